import type { DatabaseDefinition } from '@knutepunkt/service';
import { AuditCheckpointRow, AuditEntryRow } from './persistence/audit-entry.entity';
import { AuditLog1764360000000 } from './persistence/migrations/1764360000000-audit-log';
import { AppendOnlyRole1764360100000 } from './persistence/migrations/1764360100000-append-only-role';

/** The `audit` schema: the hash-chained entries and their signed checkpoints (docs/audit.md). */
export const database: DatabaseDefinition = {
  schema: 'audit',
  entities: [AuditEntryRow, AuditCheckpointRow],
  migrations: [AuditLog1764360000000, AppendOnlyRole1764360100000],
};
