import { z } from 'zod';
import { databaseEnv, httpEnv, kafkaEnv, runtimeEnv, schemaRegistryEnv } from '@knutepunkt/config';

/** The settings every service reads; an app extends this with its own group. */
export const serviceEnv = runtimeEnv
  .merge(kafkaEnv)
  .merge(schemaRegistryEnv)
  .merge(httpEnv)
  .merge(databaseEnv)
  .extend({ PORT: z.coerce.number().int().min(0).max(65535).optional() });

export type ServiceEnv = z.infer<typeof serviceEnv>;
