import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Submissions as ingest registered them (the dedupe key is unique per client, so a repeat
 * finds the first), and the lifecycle stages reported on `knutepunkt.status.v1`, first
 * report of each stage kept. Both in the `ingest` schema; no other app reads them.
 */
export class Submissions1764340000000 implements MigrationInterface {
  name = 'Submissions1764340000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ingest.submissions (
        submission_id uuid PRIMARY KEY,
        client_id text NOT NULL,
        dedupe_key text NOT NULL,
        orgnr char(9) NOT NULL,
        resource_type text NOT NULL,
        received_at timestamptz NOT NULL,
        registered_at timestamptz NOT NULL,
        CONSTRAINT submissions_client_dedupe_key UNIQUE (client_id, dedupe_key)
      )`);
    await queryRunner.query(`
      CREATE TABLE ingest.submission_stages (
        submission_id uuid NOT NULL,
        stage text NOT NULL,
        at timestamptz NOT NULL,
        reason text,
        operation_outcome_code text,
        PRIMARY KEY (submission_id, stage)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE ingest.submission_stages');
    await queryRunner.query('DROP TABLE ingest.submissions');
  }
}
