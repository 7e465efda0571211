import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';
import type { ActorKind, AuditOutcome } from '@knutepunkt/schemas';
import type { ChainedEntry } from '../domain';

/** bigint comes back from pg as text; every number here stays below 2^53. */
export const bigintNumber: ValueTransformer = {
  to: (value: number) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** A row of `audit.entries` (migrations/1764360000000-audit-log.ts). */
@Entity({ schema: 'audit', name: 'entries' })
export class AuditEntryRow {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  seq!: number;

  @Column({ name: 'source_id', type: 'text' })
  sourceId!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ name: 'actor_kind', type: 'text' })
  actorKind!: ActorKind;

  @Column({ name: 'actor_client_id', type: 'text', nullable: true })
  actorClientId!: string | null;

  @Column({ name: 'actor_orgnr', type: 'text', nullable: true })
  actorOrgnr!: string | null;

  @Column({ name: 'actor_system', type: 'text', nullable: true })
  actorSystem!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'entity_type', type: 'text' })
  entityType!: string;

  @Column({ name: 'entity_id', type: 'text' })
  entityId!: string;

  @Column({ type: 'text' })
  outcome!: AuditOutcome;

  @Column({ type: 'text', nullable: true })
  orgnr!: string | null;

  @Column({ name: 'patient_key', type: 'text', nullable: true })
  patientKey!: string | null;

  @Column({ type: 'text', nullable: true })
  purpose!: string | null;

  @Column({ type: 'text' })
  app!: string;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ type: 'jsonb' })
  details!: Record<string, string>;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash!: string;

  @Column({ type: 'text' })
  hash!: string;
}

/** A row of `audit.checkpoints`. */
@Entity({ schema: 'audit', name: 'checkpoints' })
export class AuditCheckpointRow {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber, generated: 'identity' })
  id!: number;

  @Column({ name: 'head_seq', type: 'bigint', transformer: bigintNumber })
  headSeq!: number;

  @Column({ name: 'head_hash', type: 'text' })
  headHash!: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  entries!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'key_id', type: 'text' })
  keyId!: string;

  @Column({ type: 'text' })
  signature!: string;
}

export function entryOfRow(row: AuditEntryRow): ChainedEntry {
  return {
    seq: row.seq,
    sourceId: row.sourceId,
    at: row.at.getTime(),
    recordedAt: row.recordedAt.getTime(),
    actor: {
      kind: row.actorKind,
      clientId: row.actorClientId,
      orgnr: row.actorOrgnr,
      system: row.actorSystem,
    },
    action: row.action,
    entity: { type: row.entityType, id: row.entityId },
    outcome: row.outcome,
    orgnr: row.orgnr,
    patientKey: row.patientKey,
    purpose: row.purpose,
    app: row.app,
    requestId: row.requestId,
    details: row.details,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}
