import type { DataSource } from 'typeorm';
import { registryKeys, type RegistryEntry } from '@knutepunkt/auth';
import type { Client, Municipality, RegistryRecord } from '@knutepunkt/schemas';

export interface RegisterStore {
  /**
   * Creates or replaces an entry, running `publish` inside the transaction: the row commits
   * only after Kafka acknowledged the registry record, so the table never holds an entry the
   * topic lacks. (A commit failing after the publish leaves the topic ahead; the admin's retry
   * of the same PUT, idempotent, brings both level.)
   */
  put(
    entry: RegistryEntry,
    record: RegistryRecord,
    publish: () => Promise<void>,
  ): Promise<{ created: boolean }>;
  municipalities(): Promise<Municipality[]>;
  clients(): Promise<Client[]>;
}

function keyOf(entry: RegistryEntry): string {
  return entry.kind === 'municipality'
    ? registryKeys.municipality(entry.municipality.orgnr)
    : registryKeys.client(entry.client.clientId);
}

export class PostgresRegisterStore implements RegisterStore {
  constructor(private readonly dataSource: DataSource) {}

  async put(
    entry: RegistryEntry,
    record: RegistryRecord,
    publish: () => Promise<void>,
  ): Promise<{ created: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const rows: { created: boolean }[] = await manager.query(
        `INSERT INTO ingest.register_entries (key, kind, entry, created_at, changed_at, changed_by)
         VALUES ($1, $2, $3, $4, $4, $5)
         ON CONFLICT (key) DO UPDATE
           SET entry = excluded.entry, changed_at = excluded.changed_at, changed_by = excluded.changed_by
         RETURNING (xmax = 0) AS created`,
        [
          keyOf(entry),
          entry.kind,
          JSON.stringify(entry.kind === 'municipality' ? entry.municipality : entry.client),
          new Date(record.changedAt),
          record.changedBy,
        ],
      );
      await publish();
      return { created: rows[0]?.created ?? false };
    });
  }

  async municipalities(): Promise<Municipality[]> {
    const rows: { entry: Municipality }[] = await this.dataSource.query(
      `SELECT entry FROM ingest.register_entries WHERE kind = 'municipality' ORDER BY key`,
    );
    return rows.map((r) => r.entry);
  }

  async clients(): Promise<Client[]> {
    const rows: { entry: Client }[] = await this.dataSource.query(
      `SELECT entry FROM ingest.register_entries WHERE kind = 'client' ORDER BY key`,
    );
    return rows.map((r) => r.entry);
  }
}
