import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The authorization register as the admin API keeps it: one row per registry key
 * (`municipality:<orgnr>`, `client:<id>`), the entry as JSON. The same entries travel on the
 * compacted `knutepunkt.registry.v1`, which is how every other service learns them.
 */
export class RegisterEntries1764360000000 implements MigrationInterface {
  name = 'RegisterEntries1764360000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ingest.register_entries (
        key text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('municipality', 'client')),
        entry jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        changed_at timestamptz NOT NULL,
        changed_by text
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE ingest.register_entries');
  }
}
