export { readTopic } from './topic-reader';
export type { ReadTopicOptions, TopicReader } from './topic-reader';
