import type {
  AcceptedSubmission,
  AuditOutcome,
  AuditRecord,
  ConsentState,
  RegistryRecord,
  StatusChange,
  SubmissionStage,
} from '@knutepunkt/schemas';
import type { AuditFact } from './audit-entry';

/** Where a lifecycle fact was read: its stable id is its place in Kafka. */
export interface TopicPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** `<topic>:<partition>:<offset>`: a redelivered message gets the same id, a new one never does. */
export function positionId(position: TopicPosition): string {
  return `${position.topic}:${position.partition}:${position.offset}`;
}

/** An AuditRecord from `knutepunkt.audit.v1` as it is: deduplicated by its own `auditId`. */
export function factFromAuditRecord(record: AuditRecord): AuditFact {
  return {
    sourceId: record.auditId,
    at: record.at,
    actor: record.actor,
    action: record.action,
    entity: record.entity,
    outcome: record.outcome,
    orgnr: record.orgnr,
    patientKey: record.patientKey,
    purpose: record.purpose,
    app: record.app,
    requestId: record.requestId,
    details: record.details,
  };
}

/**
 * `accepted` → `submission.create`: the vendor client handed the hub a patient's data. Never
 * the FHIR body (it holds the national identity number): only its type and content hash.
 */
export function factFromAccepted(
  submission: AcceptedSubmission,
  position: TopicPosition,
): AuditFact {
  return {
    sourceId: positionId(position),
    at: submission.receivedAt,
    actor: {
      kind: 'vendor',
      clientId: submission.clientId,
      orgnr: null,
      system: submission.sourceSystem,
    },
    action: 'submission.create',
    entity: { type: 'Submission', id: submission.submissionId },
    outcome: 'success',
    orgnr: submission.orgnr,
    patientKey: submission.patientKey,
    purpose: 'journaling',
    app: 'ingest',
    requestId: submission.requestId,
    details: {
      resourceType: submission.resourceType,
      contentHash: submission.contentHash,
      ...(submission.warnings.length > 0 && { repairs: String(submission.warnings.length) }),
    },
  };
}

const stageOutcome: Record<SubmissionStage, AuditOutcome> = {
  registered: 'success',
  normalized: 'success',
  consented: 'success',
  // Consent or registration refused journaling: the data did not move on.
  withheld: 'denied',
  delivered: 'success',
  read: 'success',
  journaled: 'success',
  failed: 'failed',
  unknown: 'unknown',
};

/**
 * `status` → `submission.<stage>`: the submission moved (normalized, consented or withheld,
 * delivered to the municipality's EPJ topic, read, journaled, failed). The status topic
 * carries no patient key; innsyn finds these rows through the submission's
 * `submission.create` (docs/audit.md "Innsyn").
 */
export function factFromStatus(change: StatusChange, position: TopicPosition): AuditFact {
  const details: Record<string, string> = {};
  if (change.eventId !== null) details['eventId'] = change.eventId;
  if (change.journalEntryId !== null) details['journalEntryId'] = change.journalEntryId;
  if (change.reason !== null) details['reason'] = change.reason;
  if (change.operationOutcomeCode !== null)
    details['operationOutcomeCode'] = change.operationOutcomeCode;
  if (change.clientId !== null) details['submittedBy'] = change.clientId;
  return {
    sourceId: positionId(position),
    at: change.at,
    actor: { kind: 'service', clientId: null, orgnr: null, system: change.reportedBy },
    action: `submission.${change.stage}`,
    entity: { type: 'Submission', id: change.submissionId },
    outcome: stageOutcome[change.stage],
    orgnr: change.orgnr,
    patientKey: null,
    purpose: 'journaling',
    app: change.reportedBy,
    requestId: null,
    details,
  };
}

/**
 * `consent.changes` → `consent-state.update` for a patient (registration, consents and
 * reservations), `policy.update` for a municipality's policy. Identifiers of the
 * registration are never copied: only counts and ids.
 */
export function factFromConsentState(state: ConsentState, position: TopicPosition): AuditFact {
  const base = {
    sourceId: positionId(position),
    at: state.changedAt,
    actor: { kind: 'service', clientId: null, orgnr: null, system: 'consent' },
    outcome: 'success',
    orgnr: state.orgnr,
    purpose: 'administration',
    app: 'consent',
    requestId: null,
  } as const;
  if (state.patientKey === null) {
    return {
      ...base,
      action: 'policy.update',
      entity: { type: 'ConsentPolicy', id: state.orgnr },
      patientKey: null,
      details: {
        version: String(state.version),
        ...(state.policy && { mode: state.policy.mode, holdFor: state.policy.holdFor }),
      },
    };
  }
  const details: Record<string, string> = {
    version: String(state.version),
    consents: String(state.consents.length),
  };
  if (state.registration !== null) {
    details['registrationId'] = state.registration.registrationId;
    details['services'] = state.registration.services.join(',');
  }
  return {
    ...base,
    action: 'consent-state.update',
    entity: { type: 'ConsentState', id: `${state.orgnr}:${state.patientKey}` },
    patientKey: state.patientKey,
    details,
  };
}

/** `registry` → `municipality.update` or `client.update`, by the administrator who changed it. */
export function factFromRegistry(record: RegistryRecord, position: TopicPosition): AuditFact {
  const entry = record.entry;
  const actor = {
    kind: record.changedBy === null ? 'service' : 'admin',
    clientId: record.changedBy,
    orgnr: null,
    system: 'ingest',
  } as const;
  const base = {
    sourceId: positionId(position),
    at: record.changedAt,
    actor,
    outcome: 'success',
    patientKey: null,
    purpose: 'administration',
    app: 'ingest',
    requestId: null,
  } as const;
  if ('no.knutepunkt.v1.Municipality' in entry) {
    const municipality = entry['no.knutepunkt.v1.Municipality'];
    return {
      ...base,
      action: 'municipality.update',
      entity: { type: 'Municipality', id: municipality.orgnr },
      orgnr: municipality.orgnr,
      details: { name: municipality.name },
    };
  }
  const client = entry['no.knutepunkt.v1.Client'];
  return {
    ...base,
    action: 'client.update',
    entity: { type: 'Client', id: client.clientId },
    orgnr: null,
    details: {
      kind: client.kind,
      municipalities: client.municipalities.join(','),
      services: client.services.join(','),
    },
  };
}
