import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hash-chained audit log (docs/audit.md): `entries`, one row per fact, numbered without
 * gaps, each holding the previous row's hash and its own; `checkpoints`, signed statements of
 * the chain's head. Both append-only: a trigger refuses UPDATE, DELETE and TRUNCATE for every
 * role, the owner included (only the owner can disable it, and that shows in the chain).
 * `prev_hash` is unique, so two writers can never both append after the same row: the chain
 * cannot fork even if a writer forgot the lock.
 */
export class AuditLog1764360000000 implements MigrationInterface {
  name = 'AuditLog1764360000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit.entries (
        seq bigint PRIMARY KEY CHECK (seq > 0),
        source_id text NOT NULL,
        at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        actor_kind text NOT NULL,
        actor_client_id text,
        actor_orgnr text,
        actor_system text,
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text NOT NULL,
        outcome text NOT NULL,
        orgnr text,
        patient_key text,
        purpose text,
        app text NOT NULL,
        request_id text,
        details jsonb NOT NULL,
        prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
        hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
        CONSTRAINT entries_source_id UNIQUE (source_id),
        CONSTRAINT entries_one_successor UNIQUE (prev_hash)
      )`);
    await queryRunner.query(
      'CREATE INDEX entries_patient_key ON audit.entries (patient_key, seq) WHERE patient_key IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE INDEX entries_entity ON audit.entries (entity_type, entity_id)',
    );
    await queryRunner.query('CREATE INDEX entries_actor ON audit.entries (actor_client_id, seq)');
    await queryRunner.query('CREATE INDEX entries_at ON audit.entries (at)');
    await queryRunner.query(`
      CREATE TABLE audit.checkpoints (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        head_seq bigint NOT NULL,
        head_hash text NOT NULL,
        entries bigint NOT NULL,
        created_at timestamptz NOT NULL,
        key_id text NOT NULL,
        signature text NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX checkpoints_head_seq ON audit.checkpoints (head_seq)');
    await queryRunner.query(`
      CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit.% is append-only: % refused', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['entries', 'checkpoints']) {
      await queryRunner.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON audit.${table}
        FOR EACH ROW EXECUTE FUNCTION audit.refuse_change()`);
      await queryRunner.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON audit.${table}
        FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()`);
    }
  }

  down(): Promise<void> {
    // An audit log is never migrated down: that would drop it.
    return Promise.reject(new Error('the audit log cannot be migrated down'));
  }
}
