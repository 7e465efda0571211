import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A journal entry (table `journal.entries`, migration 1764400000000-journal). The
 * Composition is kept as the JSON it was published as, so the EPJ read API serves the same
 * content as the EPJ topic.
 */
@Entity({ name: 'entries' })
export class JournalEntryRow {
  @PrimaryColumn({ name: 'entry_id', type: 'uuid' })
  entryId!: string;

  /** Assigned by the database: the search order. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  /** The dedupe key: unique. */
  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'submission_id', type: 'uuid' })
  submissionId!: string;

  @Column({ type: 'char', length: 9 })
  orgnr!: string;

  @Column({ name: 'patient_key', type: 'text' })
  patientKey!: string;

  @Column({ name: 'patient_keys', type: 'text', array: true })
  patientKeys!: string[];

  @Column({ name: 'vendor_client_id', type: 'text' })
  vendorClientId!: string;

  @Column({ type: 'text' })
  service!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'boolean' })
  urgent!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_updated', type: 'timestamptz' })
  lastUpdated!: Date;

  @Column({ name: 'composition_json', type: 'text' })
  compositionJson!: string;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt!: Date | null;

  @Column({ name: 'read_by', type: 'text', nullable: true })
  readBy!: string | null;

  @Column({ name: 'journaled_at', type: 'timestamptz', nullable: true })
  journaledAt!: Date | null;

  @Column({ name: 'journaled_by', type: 'text', nullable: true })
  journaledBy!: string | null;
}

/** A Kafka message waiting for the relay (table `journal.outbox`). */
@Entity({ name: 'outbox' })
export class OutboxRow {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ name: 'message_key', type: 'text', nullable: true })
  messageKey!: string | null;

  /** The encoded value (Confluent wire format), as it will be published. */
  @Column({ type: 'bytea' })
  value!: Buffer;

  @Column({ type: 'jsonb' })
  headers!: Record<string, string>;

  /** Caused by an urgent event (an alarm): the relay publishes these first. */
  @Column({ type: 'boolean' })
  urgent!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt!: Date;
}
