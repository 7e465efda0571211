import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A submission row is written `pending` before its record is published and becomes
 * `registered` once Kafka acknowledged it, so no database connection is held while the
 * broker answers. `registered_at` is null while pending.
 */
export class PendingSubmissions1764350000000 implements MigrationInterface {
  name = 'PendingSubmissions1764350000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ingest.submissions ADD COLUMN state text NOT NULL DEFAULT 'registered'`,
    );
    await queryRunner.query(`ALTER TABLE ingest.submissions ALTER COLUMN state DROP DEFAULT`);
    await queryRunner.query(
      `ALTER TABLE ingest.submissions ALTER COLUMN registered_at DROP NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE ingest.submissions ADD CONSTRAINT submissions_state CHECK (state IN ('pending', 'registered'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM ingest.submissions WHERE state = 'pending'`);
    await queryRunner.query('ALTER TABLE ingest.submissions DROP CONSTRAINT submissions_state');
    await queryRunner.query(
      'ALTER TABLE ingest.submissions ALTER COLUMN registered_at SET NOT NULL',
    );
    await queryRunner.query('ALTER TABLE ingest.submissions DROP COLUMN state');
  }
}
