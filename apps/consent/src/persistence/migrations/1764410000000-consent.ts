import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The consent service's tables in the `consent` schema (DESIGN.md "Services"): registrations
 * of service recipients with their identifiers and device loans, consents and reservations
 * (the FHIR Consent as recorded), each municipality's policy, the version of every state key
 * published on `knutepunkt.consent.changes.v1`, the outbox those publications go through,
 * events held for a patient not yet registered, and the ids of events already decided.
 *
 * Patient identifiers appear only inside `registrations.identifiers` and the stored Consent
 * (they are what the register is for); everything is looked up by patient key, the keyed
 * hash of orgnr and identifier, so no index holds an identity number.
 */
export class Consent1764410000000 implements MigrationInterface {
  name = 'Consent1764410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE consent.patient_states (
        orgnr char(9) NOT NULL,
        patient_key text NOT NULL,
        version bigint NOT NULL,
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (orgnr, patient_key)
      )`);
    await queryRunner.query(`
      CREATE TABLE consent.registrations (
        registration_id uuid PRIMARY KEY,
        orgnr char(9) NOT NULL,
        patient_key text NOT NULL,
        identifiers jsonb NOT NULL,
        services text[] NOT NULL,
        valid_from date NOT NULL,
        valid_to date,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        updated_by text NOT NULL,
        CONSTRAINT registrations_patient UNIQUE (orgnr, patient_key)
      )`);
    // One identifier belongs to one registration per municipality; keyed by its patient key.
    await queryRunner.query(`
      CREATE TABLE consent.registration_identifiers (
        orgnr char(9) NOT NULL,
        identifier_key text NOT NULL,
        registration_id uuid NOT NULL REFERENCES consent.registrations ON DELETE CASCADE,
        PRIMARY KEY (orgnr, identifier_key)
      )`);
    await queryRunner.query(
      'CREATE INDEX registration_identifiers_registration ON consent.registration_identifiers (registration_id)',
    );
    await queryRunner.query(`
      CREATE TABLE consent.device_loans (
        loan_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        registration_id uuid NOT NULL REFERENCES consent.registrations ON DELETE CASCADE,
        orgnr char(9) NOT NULL,
        device_system text NOT NULL,
        device_value text NOT NULL,
        loan_from date NOT NULL,
        loan_to date
      )`);
    await queryRunner.query(
      'CREATE INDEX device_loans_device ON consent.device_loans (orgnr, device_system, device_value)',
    );
    await queryRunner.query(
      'CREATE INDEX device_loans_registration ON consent.device_loans (registration_id)',
    );
    await queryRunner.query(`
      CREATE TABLE consent.consents (
        orgnr char(9) NOT NULL,
        consent_id text NOT NULL,
        patient_key text NOT NULL,
        identifier_key text NOT NULL,
        provision text NOT NULL,
        status text NOT NULL,
        services text[] NOT NULL,
        period_start date,
        period_end date,
        recorded_at timestamptz NOT NULL,
        recorded_by text NOT NULL,
        resource jsonb NOT NULL,
        PRIMARY KEY (orgnr, consent_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX consents_patient ON consent.consents (orgnr, patient_key, recorded_at DESC)',
    );
    await queryRunner.query(
      'CREATE INDEX consents_identifier ON consent.consents (orgnr, identifier_key)',
    );
    await queryRunner.query(`
      CREATE TABLE consent.policies (
        orgnr char(9) PRIMARY KEY,
        mode text NOT NULL,
        hold_for text NOT NULL,
        version bigint NOT NULL,
        changed_at timestamptz NOT NULL,
        changed_by text NOT NULL
      )`);
    // A state row (state_key set) is published as the key's current state when relayed; a
    // message row (topic set) as stored.
    await queryRunner.query(`
      CREATE TABLE consent.outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        state_key text,
        topic text,
        message_key text,
        value bytea,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT outbox_kind CHECK ((state_key IS NULL) <> (topic IS NULL))
      )`);
    await queryRunner.query(`
      CREATE TABLE consent.held_events (
        event_id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        orgnr char(9) NOT NULL,
        patient_key text NOT NULL,
        event bytea NOT NULL,
        held_since timestamptz NOT NULL,
        until timestamptz NOT NULL
      )`);
    await queryRunner.query(
      'CREATE INDEX held_events_patient ON consent.held_events (orgnr, patient_key, seq)',
    );
    await queryRunner.query('CREATE INDEX held_events_until ON consent.held_events (until)');
    await queryRunner.query(`
      CREATE TABLE consent.decided_events (
        event_id uuid PRIMARY KEY,
        decided_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      'CREATE INDEX decided_events_decided_at ON consent.decided_events (decided_at)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'decided_events',
      'held_events',
      'outbox',
      'policies',
      'consents',
      'device_loans',
      'registration_identifiers',
      'registrations',
      'patient_states',
    ]) {
      await queryRunner.query(`DROP TABLE consent.${table}`);
    }
  }
}
