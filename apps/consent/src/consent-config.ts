import { z } from 'zod';
import { loadConfig } from '@knutepunkt/config';

/** The consent service's own settings (beside the service kit's), validated at boot. */
export const consentEnv = z.object({
  /** How often held events are checked for expiry and the outbox for leftovers. */
  CONSENT_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
  /** How long an event id is remembered, so a redelivered event is not decided twice. */
  CONSENT_DECIDED_RETENTION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .default(8 * 24),
});

export type ConsentConfig = z.infer<typeof consentEnv>;

export function consentConfig(env: Readonly<Record<string, string | undefined>>): ConsentConfig {
  return loadConfig(consentEnv, env);
}
