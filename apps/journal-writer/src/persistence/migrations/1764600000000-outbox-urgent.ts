import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alarms first in the outbox (docs/adr/0014-alarms-first.md): rows caused by an urgent event
 * are published before routine ones waiting longer. The index serves the relay's
 * `ORDER BY urgent DESC, id LIMIT n` without sorting a backlog.
 */
export class OutboxUrgent1764600000000 implements MigrationInterface {
  name = 'OutboxUrgent1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE journal.outbox ADD COLUMN urgent boolean NOT NULL DEFAULT false`,
    );
    await queryRunner.query(`CREATE INDEX outbox_urgent_first ON journal.outbox (urgent DESC, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX journal.outbox_urgent_first`);
    await queryRunner.query(`ALTER TABLE journal.outbox DROP COLUMN urgent`);
  }
}
