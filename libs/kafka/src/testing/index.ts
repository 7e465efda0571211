export { readTopic } from './topic-reader';
export type { TopicReader } from './topic-reader';
