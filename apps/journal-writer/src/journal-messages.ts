import { CorrelationHeaders, type MessageHeaders, type OutgoingMessage } from '@knutepunkt/kafka';
import {
  Topics,
  type AuditActor,
  type AuditRecord,
  type Serde,
  type StatusChange,
  type SubmissionStage,
} from '@knutepunkt/schemas';
import { auditMessage, auditRecord } from '@knutepunkt/service';

/** What the lifecycle messages of one entry need to know about it. */
export interface EntryFacts {
  readonly entryId: string;
  readonly eventId: string;
  readonly submissionId: string;
  readonly orgnr: string;
  readonly patientKey: string;
  /** The vendor client that submitted the event (the status API shows it only to that client). */
  readonly vendorClientId: string;
}

/** A `StatusChange` of an entry's submission on `knutepunkt.status.v1`, keyed by submission id. */
export function entryStatusMessage(
  serde: Serde,
  entry: EntryFacts,
  stage: Extract<SubmissionStage, 'delivered' | 'read' | 'journaled'>,
  at: number,
  headers: MessageHeaders,
): OutgoingMessage {
  const change: StatusChange = {
    submissionId: entry.submissionId,
    eventId: entry.eventId,
    journalEntryId: entry.entryId,
    stage,
    at,
    reason: null,
    operationOutcomeCode: null,
    orgnr: entry.orgnr,
    clientId: entry.vendorClientId,
    reportedBy: 'journal-writer',
  };
  return {
    topic: Topics.status.name,
    key: entry.submissionId,
    value: serde.encode(Topics.status, change),
    headers,
  };
}

export type EntryAction =
  'journal-entry.create' | 'journal-entry.read' | 'journal-entry.acknowledge';

/** An AuditRecord of an action on an entry: who, which patient (by key), which entry. */
export function entryAuditMessage(
  serde: Serde,
  entry: EntryFacts,
  facts: {
    readonly action: EntryAction;
    readonly actor: AuditActor;
    readonly at: number;
    readonly requestId: string | null;
    readonly details: Readonly<Record<string, string>>;
  },
): OutgoingMessage {
  const record: AuditRecord = auditRecord('journal-writer', {
    at: new Date(facts.at),
    actor: facts.actor,
    action: facts.action,
    entity: { type: 'Composition', id: entry.entryId },
    outcome: 'success',
    orgnr: entry.orgnr,
    patientKey: entry.patientKey,
    purpose: 'journaling',
    requestId: facts.requestId,
    details: { eventId: entry.eventId, submissionId: entry.submissionId, ...facts.details },
  });
  return { ...auditMessage(serde, record), headers: correlation(facts.requestId, entry) };
}

/** Correlation headers of an entry's messages. */
export function correlation(correlationId: string | null, entry: EntryFacts): MessageHeaders {
  return {
    [CorrelationHeaders.correlationId]: correlationId ?? entry.submissionId,
    [CorrelationHeaders.causationId]: entry.eventId,
    [CorrelationHeaders.eventId]: entry.eventId,
  };
}
