import { z } from 'zod';
import { ConfigError } from './load-config';

const csv = z
  .string()
  .min(1)
  .transform((value) =>
    value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.length > 0),
  );

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/** Settings every service shares, grouped by concern; each app composes the groups it needs. */
export const runtimeEnv = z.object({
  KNUTEPUNKT_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export const kafkaEnv = z.object({
  KAFKA_BROKERS: csv.default('127.0.0.1:9092'),
  KAFKA_CLIENT_ID: z.string().min(1).optional(),
  KAFKA_SSL: bool.default('false'),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
  /** Replication factor for topics this service creates from the catalog (3 in production). */
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).default(1),
  KAFKA_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  KAFKA_RETRY_BACKOFF_MS: z.coerce.number().int().min(1).default(200),
});

export const schemaRegistryEnv = z.object({
  /** The Confluent-compatible API's base URL; the local stack's Apicurio serves it under a prefix. */
  SCHEMA_REGISTRY_URL: z.string().url().default('http://127.0.0.1:8081/apis/ccompat/v7'),
  SCHEMA_REGISTRY_USERNAME: z.string().optional(),
  SCHEMA_REGISTRY_PASSWORD: z.string().optional(),
});

export const databaseEnv = z.object({
  DATABASE_URL: z
    .string()
    .url()
    .default('postgres://knutepunkt:knutepunkt@127.0.0.1:5432/knutepunkt'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).default(10),
  /** Run pending migrations at boot; the Helm chart runs them as a hook job instead. */
  DATABASE_MIGRATIONS_RUN: bool.default('true'),
});

export const httpEnv = z.object({
  HTTP_HOST: z.string().default('127.0.0.1'),
  HTTP_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
});

/**
 * The deployment secret of the patient key (DESIGN.md "Topics": an HMAC over orgnr and the
 * patient's identifier). Outside production a fixed development secret is used, so keys are
 * stable across local restarts; production must set its own (see `patientKeySecret`).
 */
export const patientKeyEnv = z.object({
  PATIENT_KEY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
});

const developmentPatientKeySecret = 'knutepunkt-development-patient-key-secret-not-for-production';

export function patientKeySecret(
  env: z.infer<typeof patientKeyEnv> & z.infer<typeof runtimeEnv>,
): string {
  if (env.PATIENT_KEY_SECRET !== undefined) return env.PATIENT_KEY_SECRET;
  if (env.KNUTEPUNKT_ENV === 'production') {
    throw new ConfigError(['PATIENT_KEY_SECRET: required in production']);
  }
  return developmentPatientKeySecret;
}

export type RuntimeEnv = z.infer<typeof runtimeEnv>;
export type KafkaEnv = z.infer<typeof kafkaEnv>;
export type SchemaRegistryEnv = z.infer<typeof schemaRegistryEnv>;
export type DatabaseEnv = z.infer<typeof databaseEnv>;
export type HttpEnv = z.infer<typeof httpEnv>;
