import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The `consent` schema's tables (migration 1764410000000-consent). TypeORM entities only
 * here and in the stores; the rest of the app sees the stores' plain records.
 */

/** The version of one patient's state on `knutepunkt.consent.changes.v1`. */
@Entity({ name: 'patient_states' })
export class PatientStateRow {
  @PrimaryColumn({ type: 'char', length: 9 })
  orgnr!: string;

  @PrimaryColumn({ name: 'patient_key', type: 'text' })
  patientKey!: string;

  @Column({ type: 'bigint' })
  version!: string;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;
}

/** A service recipient (tjenestemottaker) registered by the municipality. */
@Entity({ name: 'registrations' })
export class RegistrationRow {
  @PrimaryColumn({ name: 'registration_id', type: 'uuid' })
  registrationId!: string;

  @Column({ type: 'char', length: 9 })
  orgnr!: string;

  /** The patient key of the preferred identifier: the key of the patient's state. */
  @Column({ name: 'patient_key', type: 'text' })
  patientKey!: string;

  /** `[{ system, value }]`, preferred first. */
  @Column({ type: 'jsonb' })
  identifiers!: { system: string; value: string }[];

  @Column({ type: 'text', array: true })
  services!: string[];

  @Column({ name: 'valid_from', type: 'date' })
  validFrom!: string;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'text' })
  updatedBy!: string;
}

/** One identifier of a registration, by its patient key: unique per municipality. */
@Entity({ name: 'registration_identifiers' })
export class RegistrationIdentifierRow {
  @PrimaryColumn({ type: 'char', length: 9 })
  orgnr!: string;

  @PrimaryColumn({ name: 'identifier_key', type: 'text' })
  identifierKey!: string;

  @Column({ name: 'registration_id', type: 'uuid' })
  registrationId!: string;
}

/** A device lent to a registered patient for a period (dates in Europe/Oslo, inclusive). */
@Entity({ name: 'device_loans' })
export class DeviceLoanRow {
  @PrimaryGeneratedColumn('identity', {
    name: 'loan_id',
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
  })
  loanId!: string;

  @Column({ name: 'registration_id', type: 'uuid' })
  registrationId!: string;

  @Column({ type: 'char', length: 9 })
  orgnr!: string;

  @Column({ name: 'device_system', type: 'text' })
  deviceSystem!: string;

  @Column({ name: 'device_value', type: 'text' })
  deviceValue!: string;

  @Column({ name: 'loan_from', type: 'date' })
  loanFrom!: string;

  @Column({ name: 'loan_to', type: 'date', nullable: true })
  loanTo!: string | null;
}

/** A consent or reservation: the FHIR Consent as recorded and what the decision reads of it. */
@Entity({ name: 'consents' })
export class ConsentRow {
  @PrimaryColumn({ type: 'char', length: 9 })
  orgnr!: string;

  @PrimaryColumn({ name: 'consent_id', type: 'text' })
  consentId!: string;

  /** The state it belongs to: its registration's patient key, else its identifier's. */
  @Column({ name: 'patient_key', type: 'text' })
  patientKey!: string;

  /** The patient key of the identifier the Consent names. */
  @Column({ name: 'identifier_key', type: 'text' })
  identifierKey!: string;

  @Column({ type: 'text' })
  provision!: 'permit' | 'deny';

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'text', array: true })
  services!: string[];

  @Column({ name: 'period_start', type: 'date', nullable: true })
  periodStart!: string | null;

  @Column({ name: 'period_end', type: 'date', nullable: true })
  periodEnd!: string | null;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ name: 'recorded_by', type: 'text' })
  recordedBy!: string;

  @Column({ type: 'jsonb' })
  resource!: Record<string, unknown>;
}

/** A municipality's journaling policy as set through the consent API. */
@Entity({ name: 'policies' })
export class PolicyRow {
  @PrimaryColumn({ type: 'char', length: 9 })
  orgnr!: string;

  @Column({ type: 'text' })
  mode!: string;

  @Column({ name: 'hold_for', type: 'text' })
  holdFor!: string;

  @Column({ type: 'bigint' })
  version!: string;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;

  @Column({ name: 'changed_by', type: 'text' })
  changedBy!: string;
}

/**
 * A publication waiting for the relay: a state key (published as the key's current state)
 * or a ready message (an AuditRecord).
 */
@Entity({ name: 'outbox' })
export class OutboxRow {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'state_key', type: 'text', nullable: true })
  stateKey!: string | null;

  @Column({ type: 'text', nullable: true })
  topic!: string | null;

  @Column({ name: 'message_key', type: 'text', nullable: true })
  messageKey!: string | null;

  @Column({ type: 'bytea', nullable: true })
  value!: Buffer | null;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt!: Date;
}

/** An event for a patient not registered yet, held until `until` (DESIGN.md "Consent API"). */
@Entity({ name: 'held_events' })
export class HeldEventRow {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  /** Assigned by the database: the order events are released in. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column({ type: 'char', length: 9 })
  orgnr!: string;

  /** The patient key the event names. */
  @Column({ name: 'patient_key', type: 'text' })
  patientKey!: string;

  /** The WelfareEvent, Avro in the Confluent wire format as on `knutepunkt.normalized.v1`. */
  @Column({ type: 'bytea' })
  event!: Buffer;

  @Column({ name: 'held_since', type: 'timestamptz' })
  heldSince!: Date;

  @Column({ type: 'timestamptz' })
  until!: Date;
}

/** An event already decided: a redelivered batch does not publish it again. */
@Entity({ name: 'decided_events' })
export class DecidedEventRow {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'decided_at', type: 'timestamptz' })
  decidedAt!: Date;
}

export const consentEntities = [
  PatientStateRow,
  RegistrationRow,
  RegistrationIdentifierRow,
  DeviceLoanRow,
  ConsentRow,
  PolicyRow,
  OutboxRow,
  HeldEventRow,
  DecidedEventRow,
];
