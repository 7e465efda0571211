import { z } from 'zod';
import { ConfigError, loadConfig, runtimeEnv } from '@knutepunkt/config';

/** The audit app's own settings (STYLE.md "Configuration"), beside the service settings. */
export const auditEnv = runtimeEnv.extend({
  /**
   * Signs the chain's checkpoints (HMAC-SHA-256). Keep it away from the database's owner:
   * whoever holds both could rewrite the log and re-sign it. Required in production.
   */
  AUDIT_CHECKPOINT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** How often a checkpoint of the chain head is signed (only when the head moved). */
  AUDIT_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  /**
   * How often, after the one at start, the service recomputes the whole chain and sets
   * `knutepunkt_audit_chain_valid` (a million rows take about a minute; GET /audit/verify sets
   * it too).
   */
  AUDIT_VERIFY_INTERVAL_MS: z.coerce.number().int().min(1_000).default(3_600_000),
  /**
   * The audit log's own database, when it is not the one in DATABASE_URL: the audit app and
   * `audit:verify` use it instead (docs/audit.md "A separate database").
   */
  AUDIT_DATABASE_URL: z.string().url().optional(),
});

export type AuditEnv = z.infer<typeof auditEnv>;

const developmentCheckpointSecret =
  'knutepunkt-development-audit-checkpoint-secret-not-for-production';

export function loadAuditEnv(env: Readonly<Record<string, string | undefined>>): AuditEnv {
  return loadConfig(auditEnv, env);
}

export function checkpointSecret(env: AuditEnv): string {
  if (env.AUDIT_CHECKPOINT_SECRET !== undefined) return env.AUDIT_CHECKPOINT_SECRET;
  if (env.KNUTEPUNKT_ENV === 'production')
    throw new ConfigError(['AUDIT_CHECKPOINT_SECRET: required in production']);
  return developmentCheckpointSecret;
}

/** The environment with AUDIT_DATABASE_URL, when set, as the DATABASE_URL the service opens. */
export function withAuditDatabase(
  env: Readonly<Record<string, string | undefined>>,
): Readonly<Record<string, string | undefined>> {
  const url = loadAuditEnv(env).AUDIT_DATABASE_URL;
  return url === undefined ? env : { ...env, DATABASE_URL: url };
}
