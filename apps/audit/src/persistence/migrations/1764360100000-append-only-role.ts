import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where the service runs as a role other than the schema's owner (production: docs/audit.md
 * "Database roles"), that role may only read and append: `audit.grant_append_only(role)`
 * revokes everything on the audit tables and grants USAGE on the schema and SELECT, INSERT on
 * `entries` and `checkpoints`. This migration applies it to the writer role when it exists:
 * `knutepunkt_audit_writer`, or the name in the database setting `knutepunkt.audit_writer`
 * (`ALTER DATABASE … SET knutepunkt.audit_writer = '…'`). A role created later is granted by
 * calling the function as the owner.
 */
export class AppendOnlyRole1764360100000 implements MigrationInterface {
  name = 'AppendOnlyRole1764360100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('REVOKE ALL ON audit.entries, audit.checkpoints FROM PUBLIC');
    await queryRunner.query(`
      CREATE FUNCTION audit.grant_append_only(writer name) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        EXECUTE format('REVOKE ALL ON audit.entries, audit.checkpoints FROM %I', writer);
        EXECUTE format('GRANT USAGE ON SCHEMA audit TO %I', writer);
        EXECUTE format('GRANT SELECT, INSERT ON audit.entries, audit.checkpoints TO %I', writer);
      END $$`);
    await queryRunner.query(`
      DO $$
      DECLARE
        writer name := coalesce(
          nullif(current_setting('knutepunkt.audit_writer', true), ''),
          'knutepunkt_audit_writer');
      BEGIN
        IF writer <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = writer) THEN
          PERFORM audit.grant_append_only(writer);
        END IF;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION audit.grant_append_only(name)');
  }
}
