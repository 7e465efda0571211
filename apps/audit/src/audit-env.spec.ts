import { ConfigError } from '@knutepunkt/config';
import { checkpointSecret, loadAuditEnv, withAuditDatabase } from './audit-env';

describe('the audit app settings', () => {
  it('opens AUDIT_DATABASE_URL instead of DATABASE_URL when it is set', () => {
    const env = {
      DATABASE_URL: 'postgres://u:p@db/knutepunkt',
      AUDIT_DATABASE_URL: 'postgres://u:p@audit-db/audit',
    };
    expect(withAuditDatabase(env)['DATABASE_URL']).toBe('postgres://u:p@audit-db/audit');
    expect(withAuditDatabase({ DATABASE_URL: env.DATABASE_URL })['DATABASE_URL']).toBe(
      env.DATABASE_URL,
    );
  });

  it('signs checkpoints with the deployment secret, a development one outside production, none by default in production', () => {
    const secret = 's'.repeat(40);
    expect(checkpointSecret(loadAuditEnv({ AUDIT_CHECKPOINT_SECRET: secret }))).toBe(secret);
    expect(checkpointSecret(loadAuditEnv({})).length).toBeGreaterThanOrEqual(32);
    expect(() => checkpointSecret(loadAuditEnv({ KNUTEPUNKT_ENV: 'production' }))).toThrow(
      ConfigError,
    );
    expect(() => loadAuditEnv({ AUDIT_CHECKPOINT_SECRET: 'short' })).toThrow(ConfigError);
  });

  it('checkpoints every minute unless told otherwise', () => {
    expect(loadAuditEnv({}).AUDIT_CHECKPOINT_INTERVAL_MS).toBe(60_000);
    expect(loadAuditEnv({}).AUDIT_VERIFY_INTERVAL_MS).toBe(3_600_000);
  });
});
