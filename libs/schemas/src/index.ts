/**
 * @knutepunkt/schemas — the contracts: Avro records and their generated types, the topic
 * catalog, and the Confluent wire-format serde.
 */
export * from './generated';
export type { TimestampMillis, Uuid } from './logical-types';
export { avroNamespace } from './avro-json';
export {
  type ValueSchemaName,
  type ValueTypes,
  isValueSchemaName,
  valueSchema,
  valueSchemaFullName,
  valueSchemaNames,
  valueType,
} from './value-schemas';
export {
  type TaggedWelfareEventBody,
  type WelfareEventBodyByKind,
  type WelfareEventKind,
  tagWelfareEventBody,
  welfareEventBody,
  welfareEventKind,
  welfareEventKinds,
} from './welfare-event';
export {
  type AppName,
  type CleanupPolicy,
  type TopicConfigEntry,
  type TopicSpec,
  Topics,
  appNames,
  consentedTopicFor,
  dlqTopic,
  dlqTopicPattern,
  epjTopic,
  epjTopicPattern,
  hasValueSchema,
  normalizedTopicFor,
  orgnrOfEpjTopic,
  staticTopics,
  topicConfigEntries,
  topicPrefix,
  valueSubject,
} from './topics';
export {
  type CreateSerdeOptions,
  type DecodedMessage,
  type Serde,
  confluentHeaderLength,
  createSerde,
  readSchemaId,
  registerAll,
} from './serde';
export {
  type ConfluentSchemaRegistryOptions,
  type SchemaRegistryPort,
  createConfluentSchemaRegistry,
} from './schema-registry';
export {
  type SerdeErrorCode,
  type SerdeErrorDetails,
  SerdeError,
  isRetryableSerdeError,
  isSerdeError,
} from './serde-error';
