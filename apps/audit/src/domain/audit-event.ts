import type {
  AuditEvent,
  AuditEventAgent,
  AuditEventEntity,
  Bundle,
  Coding,
} from '@medplum/fhirtypes';
import type { ChainedEntry } from './audit-entry';

/**
 * Audit rows as FHIR R4 `AuditEvent`s shaped after IHE Basic Audit Log Patterns (BALP):
 * type `rest` with the RESTful interaction as subtype, the client as the requesting agent
 * (DCM 110153 "Source Role ID"), its organisation, Knutepunkt as the responding agent
 * (110152), the patient as an entity with role Patient ("with Patient" patterns), the data
 * object as a second entity, and the request id as BALP's `XrequestId` entity. Not validated
 * against the BALP profiles, so `meta.profile` is not claimed (docs/audit.md "AuditEvent").
 */
export const AuditSystems = {
  /** Our action codes, `<entity>.<verb>` (the AuditRecord's `action`). */
  action: 'https://knutepunkt.no/fhir/CodeSystem/audit-action',
  /** The patient key (an HMAC per municipality): the patient without their number. */
  patientKey: 'https://knutepunkt.no/fhir/sid/patient-key',
  clientId: 'https://knutepunkt.no/fhir/sid/client-id',
  /** Ids of Knutepunkt's own objects, per type: `<base>/<type>`. */
  entityBase: 'https://knutepunkt.no/fhir/sid/entity',
  purpose: 'https://knutepunkt.no/fhir/CodeSystem/audit-purpose',
  /** Enhetsregisteret's organisation number. */
  orgnr: 'urn:oid:2.16.578.1.12.4.1.4.101',
  auditEventType: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
  restfulInteraction: 'http://hl7.org/fhir/restful-interaction',
  dicom: 'http://dicom.nema.org/resources/ontology/DCM',
  entityType: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
  objectRole: 'http://terminology.hl7.org/CodeSystem/object-role',
  balpEntityType: 'https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType',
  securitySource: 'http://terminology.hl7.org/CodeSystem/security-source-type',
  actReason: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
} as const;

type Interaction = 'create' | 'read' | 'update' | 'delete' | 'search-type' | 'operation';

/** The verb of `<entity>.<verb>` as a FHIR RESTful interaction and AuditEvent.action. */
function interactionOf(action: string): { code: Interaction; action: AuditEvent['action'] } {
  const verb = action.slice(action.lastIndexOf('.') + 1);
  switch (verb) {
    case 'create':
    case 'registered':
      return { code: 'create', action: 'C' };
    case 'read':
    case 'innsyn':
      return { code: 'read', action: 'R' };
    case 'search':
    case 'verify':
      return { code: 'search-type', action: 'E' };
    case 'update':
    case 'acknowledge':
    case 'journaled':
      return { code: 'update', action: 'U' };
    case 'delete':
      return { code: 'delete', action: 'D' };
    default:
      return { code: 'operation', action: 'E' };
  }
}

const outcomeCode: Record<ChainedEntry['outcome'], AuditEvent['outcome']> = {
  success: '0',
  denied: '4',
  failed: '8',
  unknown: '4',
};

/** Our purposes as HL7 v3 ActReason codes, where one fits. */
const purposeCodes: Readonly<Record<string, Coding>> = {
  journaling: { system: AuditSystems.actReason, code: 'TREAT', display: 'treatment' },
  innsyn: { system: AuditSystems.actReason, code: 'PATRQT', display: 'patient requested' },
  administration: {
    system: AuditSystems.actReason,
    code: 'HOPERAT',
    display: 'healthcare operations',
  },
  audit: {
    system: AuditSystems.actReason,
    code: 'HSYSADMIN',
    display: 'health system administration',
  },
};

function agents(entry: ChainedEntry): AuditEventAgent[] {
  const { actor } = entry;
  const requestor: AuditEventAgent = {
    type: {
      coding: [{ system: AuditSystems.dicom, code: '110153', display: 'Source Role ID' }],
    },
    who:
      actor.clientId === null
        ? { display: actor.system ?? actor.kind }
        : {
            identifier: { system: AuditSystems.clientId, value: actor.clientId },
            ...(actor.system !== null && { display: actor.system }),
          },
    requestor: true,
    role: [{ text: actor.kind }],
  };
  const list: AuditEventAgent[] = [requestor];
  if (actor.orgnr !== null)
    list.push({
      type: { text: 'organisation' },
      who: { identifier: { system: AuditSystems.orgnr, value: actor.orgnr } },
      requestor: false,
    });
  list.push({
    type: {
      coding: [{ system: AuditSystems.dicom, code: '110152', display: 'Destination Role ID' }],
    },
    who: { display: `knutepunkt-${entry.app}` },
    requestor: false,
  });
  return list;
}

function entities(entry: ChainedEntry): AuditEventEntity[] {
  const list: AuditEventEntity[] = [];
  if (entry.patientKey !== null)
    list.push({
      what: { identifier: { system: AuditSystems.patientKey, value: entry.patientKey } },
      type: { system: AuditSystems.entityType, code: '1', display: 'Person' },
      role: { system: AuditSystems.objectRole, code: '1', display: 'Patient' },
    });
  const details = Object.entries(entry.details)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([type, valueString]) => ({ type, valueString }));
  list.push({
    what: {
      identifier: {
        system: `${AuditSystems.entityBase}/${entry.entity.type}`,
        value: entry.entity.id,
      },
      display: `${entry.entity.type}/${entry.entity.id}`,
    },
    type: { system: AuditSystems.entityType, code: '2', display: 'System Object' },
    role: { system: AuditSystems.objectRole, code: '4', display: 'Domain Resource' },
    ...(entry.orgnr !== null && {
      securityLabel: [{ system: AuditSystems.orgnr, code: entry.orgnr }],
    }),
    ...(details.length > 0 && { detail: details }),
  });
  if (entry.requestId !== null)
    list.push({
      what: { identifier: { value: entry.requestId } },
      type: { system: AuditSystems.balpEntityType, code: 'XrequestId', display: 'Request Id' },
    });
  return list;
}

/** One row as an AuditEvent; its id is the row's `seq`, its hash travels in `meta.tag`. */
export function toAuditEvent(entry: ChainedEntry): AuditEvent {
  const interaction = interactionOf(entry.action);
  const purpose = entry.purpose === null ? undefined : purposeCodes[entry.purpose];
  return {
    resourceType: 'AuditEvent',
    id: String(entry.seq),
    meta: {
      lastUpdated: new Date(entry.recordedAt).toISOString(),
      tag: [{ system: 'https://knutepunkt.no/fhir/CodeSystem/audit-hash', code: entry.hash }],
    },
    type: { system: AuditSystems.auditEventType, code: 'rest', display: 'RESTful Operation' },
    subtype: [
      { system: AuditSystems.restfulInteraction, code: interaction.code },
      { system: AuditSystems.action, code: entry.action },
    ],
    action: interaction.action,
    recorded: new Date(entry.at).toISOString(),
    outcome: outcomeCode[entry.outcome],
    ...(entry.details['reason'] !== undefined && { outcomeDesc: entry.details['reason'] }),
    ...(entry.purpose !== null && {
      purposeOfEvent: [
        {
          coding: [
            ...(purpose ? [purpose] : []),
            { system: AuditSystems.purpose, code: entry.purpose },
          ],
        },
      ],
    }),
    agent: agents(entry),
    source: {
      observer: { display: `knutepunkt-${entry.app}` },
      type: [{ system: AuditSystems.securitySource, code: '4', display: 'Application Server' }],
    },
    entity: entities(entry),
  };
}

/** Rows as a FHIR `searchset` Bundle, with a `next` link when there may be more. */
export function auditEventBundle(
  entries: readonly ChainedEntry[],
  options: { readonly type: 'searchset' | 'collection'; readonly next?: string; readonly at: Date },
): Bundle<AuditEvent> {
  return {
    resourceType: 'Bundle',
    type: options.type,
    timestamp: options.at.toISOString(),
    ...(options.next !== undefined && { link: [{ relation: 'next', url: options.next }] }),
    entry: entries.map((entry) => ({
      fullUrl: `urn:knutepunkt:audit:${entry.seq}`,
      resource: toAuditEvent(entry),
      ...(options.type === 'searchset' && { search: { mode: 'match' as const } }),
    })),
  };
}
