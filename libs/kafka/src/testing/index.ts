export { readTopic } from './topic-reader';
export type { ReadTopicOptions, TopicReader } from './topic-reader';
export { recordsBehind, recordsCommitted, recordsOn } from './offsets';
export type { Admin as KafkaAdmin } from 'kafkajs';
