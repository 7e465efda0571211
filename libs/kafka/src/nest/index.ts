export { KafkaBatchTransport, KafkaBatchContext } from './kafka-batch.transport';
export type { ConsumedBatch, KafkaBatchTransportOptions } from './kafka-batch.transport';
export { KafkaErrorPassthroughFilter } from './error-passthrough.filter';
export { connectBatchTransport } from './connect-batch-transport';
