import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Journal entries and the outbox (docs/adr/0008-journal-exactly-once.md).
 *
 * `entries.event_id` is the dedupe key: a redelivered event inserts nothing. `seq` orders
 * the EPJ search; writers of one municipality take a transaction lock on its orgnr before
 * taking a sequence number, so within a municipality sequence order is commit order and a
 * cursor on `seq` never passes an entry that commits later. `patient_keys` holds the keys of
 * every identifier the registration ties together, so an EPJ finds an entry by the
 * fødselsnummer or by its own running number.
 *
 * `outbox` holds encoded Kafka messages written in the same transaction as the change that
 * caused them; the relay publishes them in id order and deletes them once Kafka has them.
 */
export class Journal1764400000000 implements MigrationInterface {
  name = 'Journal1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE journal.entries (
        entry_id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        event_id uuid NOT NULL,
        submission_id uuid NOT NULL,
        orgnr char(9) NOT NULL,
        patient_key text NOT NULL,
        patient_keys text[] NOT NULL,
        vendor_client_id text NOT NULL,
        service text NOT NULL,
        kind text NOT NULL,
        urgent boolean NOT NULL,
        created_at timestamptz NOT NULL,
        last_updated timestamptz NOT NULL,
        composition_json text NOT NULL,
        read_at timestamptz,
        read_by text,
        journaled_at timestamptz,
        journaled_by text,
        CONSTRAINT entries_event_id UNIQUE (event_id)
      )`);
    // The search: one municipality in sequence order, optionally from a cursor. (No index on
    // seq alone: the planner would walk it filtering by municipality.)
    await queryRunner.query(`CREATE INDEX entries_orgnr_seq ON journal.entries (orgnr, seq)`);
    // status=unread polls, and what the EPJ has not acknowledged (oldest-unacknowledged gauge).
    await queryRunner.query(
      `CREATE INDEX entries_unread ON journal.entries (orgnr, seq) WHERE read_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX entries_unacknowledged ON journal.entries (orgnr, seq) WHERE journaled_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX entries_orgnr_last_updated ON journal.entries (orgnr, last_updated)`,
    );
    await queryRunner.query(
      `CREATE INDEX entries_patient_keys ON journal.entries USING gin (patient_keys)`,
    );
    await queryRunner.query(`
      CREATE TABLE journal.outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        topic text NOT NULL,
        message_key text,
        value bytea NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE journal.outbox');
    await queryRunner.query('DROP TABLE journal.entries');
  }
}
