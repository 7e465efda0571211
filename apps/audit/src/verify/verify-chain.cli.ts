import { databaseEnv, loadConfig } from '@knutepunkt/config';
import { openDatabase } from '@knutepunkt/service';
import { checkpointSecret, loadAuditEnv } from '../audit-env';
import { database } from '../database';
import { PostgresAuditLog } from '../persistence/audit-log.store';
import type { VerifyReport } from '../domain';

/** What `audit:verify` prints on its last line, for people and for grep. */
export function verdictLine(report: VerifyReport): string {
  const counted = `${report.entries} rows, ${report.checkpoints} signed checkpoints`;
  return report.valid
    ? `audit chain valid: ${counted}, head ${report.head ?? '(empty)'}`
    : `audit chain BROKEN at row ${report.firstBrokenAt ?? '?'} (${report.problem ?? 'unknown'}): ${counted}`;
}

/**
 * `npm run audit:verify` (built: `node dist/apps/audit/src/main.js verify`): the same check
 * as `GET /audit/verify`, offline, straight against the database in AUDIT_DATABASE_URL, else
 * DATABASE_URL, with the deployment's AUDIT_CHECKPOINT_SECRET. Prints the report as JSON and
 * a verdict line; exit code 0 when the chain is intact, 1 when it is broken (naming the first
 * broken row), 2 when it could not be checked.
 */
export async function verifyChainCommand(
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const settings = loadAuditEnv(env);
  const url = settings.AUDIT_DATABASE_URL ?? loadConfig(databaseEnv, env).DATABASE_URL;
  const dataSource = await openDatabase(database, {
    url,
    poolMax: 2,
    runMigrations: false,
    applicationName: 'knutepunkt-audit-verify',
  });
  try {
    const started = Date.now();
    const report = await new PostgresAuditLog(dataSource, checkpointSecret(settings)).verify();
    console.log(JSON.stringify({ ...report, seconds: (Date.now() - started) / 1000 }));
    console.log(verdictLine(report));
    return report.valid ? 0 : 1;
  } catch (error) {
    // Not a verdict: say why in one line (a Job's log is read by people), and exit 2.
    console.error(`audit chain NOT CHECKED: ${notCheckedReason(error)}`);
    return 2;
  } finally {
    await dataSource.destroy();
  }
}

/** Why the chain could not be read, with the likely fix when PostgreSQL says what is missing. */
export function notCheckedReason(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  // 42P01 undefined_table, 3F000 invalid_schema_name: nothing migrated into this database.
  return code === '42P01' || code === '3F000'
    ? `${text} (has audit's migration run against this database? main.js migrate)`
    : text;
}
