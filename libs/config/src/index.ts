export { loadConfig, ConfigError } from './load-config';
export {
  kafkaEnv,
  databaseEnv,
  httpEnv,
  schemaRegistryEnv,
  runtimeEnv,
  patientKeyEnv,
  patientKeySecret,
} from './common-env';
export type { KafkaEnv, DatabaseEnv, HttpEnv, SchemaRegistryEnv, RuntimeEnv } from './common-env';
