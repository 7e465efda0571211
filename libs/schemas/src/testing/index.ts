/**
 * @knutepunkt/schemas/testing — fixture builders for every record, synthetic identifiers,
 * and an in-memory schema registry. Synthetic data only: national identity numbers are
 * synthetic test numbers (month + 80, valid mod-11 check digits), never real ones.
 */
import { createHash } from 'node:crypto';
import { Type } from 'avsc';
import { backwardIncompatibilityOf } from '../compatibility';
import type {
  AcceptedSubmission,
  Alert,
  AuditRecord,
  Client,
  Coding,
  ConsentDecision,
  ConsentDirective,
  ConsentedEvent,
  ConsentPolicy,
  ConsentState,
  Device,
  DigitalVisit,
  Identifier,
  JournalEntry,
  Location,
  Measurement,
  MedicationDispensing,
  Municipality,
  Note,
  OriginalResource,
  Patient,
  QuestionnaireAnswer,
  Registration,
  RegistryRecord,
  StatusChange,
  WelfareEvent,
  WelfareService,
} from '../generated';
import type { SchemaRegistryPort } from '../schema-registry';
import { SerdeError } from '../serde-error';
import {
  type WelfareEventBodyByKind,
  type WelfareEventKind,
  welfareEventBody,
} from '../welfare-event';

// ---------------------------------------------------------------------------------------
// Identifiers

export const identifierSystems = {
  fodselsnummer: 'urn:oid:2.16.578.1.12.4.1.4.1',
  dNumber: 'urn:oid:2.16.578.1.12.4.1.4.2',
  /** Felles hjelpenummer (FHN), per the VKP profiles' `…4.3` slice. */
  fhn: 'urn:oid:2.16.578.1.12.4.1.4.3',
  /** A municipality EPJ's own running number, under a reserved `.test` domain. */
  epjRunningNumber: 'https://epj.knutepunkt.test/fhir/sid/lopenummer',
  /** Device serial numbers of the fixture vendor. */
  deviceSerial: 'https://vendor.knutepunkt.test/fhir/sid/serienummer',
} as const;

const vkp = {
  alert: 'http://ehelse.no/fhir/CodeSystem/vkp-alert-code-v090',
  severity: 'http://ehelse.no/fhir/CodeSystem/vkp-severity-level-v090',
  triage: 'http://ehelse.no/fhir/CodeSystem/vkp-triage-v090',
  dispenseEvent: 'http://ehelse.no/fhir/CodeSystem/vkp-medicationdispense-events-v090',
  encounterClass: 'http://ehelse.no/fhir/CodeSystem/vkp-encounter-class-v090',
  encounterReason: 'http://ehelse.no/fhir/CodeSystem/vkp-encounter-reason-v090',
  compositionCategory: 'http://ehelse.no/fhir/CodeSystem/vkp-composition-category-v090',
  compositionEvent: 'http://ehelse.no/fhir/CodeSystem/vkp-composition-event-v090',
  compositionSection: 'http://ehelse.no/fhir/CodeSystem/vkp-composition-section-v090',
} as const;
const loinc = 'http://loinc.org';
const ucum = 'http://unitsofmeasure.org';

function mod11(digits: string, weights: readonly number[]): number | null {
  let sum = 0;
  weights.forEach((weight, index) => {
    sum += weight * Number(digits[index]);
  });
  const check = 11 - (sum % 11);
  if (check === 11) {
    return 0;
  }
  return check === 10 ? null : check;
}

const fodselsnummerWeights1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const fodselsnummerWeights2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
const orgnrWeights = [3, 2, 7, 6, 5, 4, 3, 2];

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * A synthetic test fødselsnummer (month + 80, as Test-Norge/Tenor's synthetic population;
 * month + 40 would be an H-number), with valid mod-11 check digits; different `sequence`
 * numbers give different numbers. Born 1980–1999, individual numbers 000–499.
 * libs/fhir's `checkIdentityNumber` classifies these as synthetic.
 */
export function syntheticFodselsnummer(sequence = 0): string {
  const day = 1 + (sequence % 28);
  const month = 1 + (Math.floor(sequence / 28) % 12);
  const year = 80 + (Math.floor(sequence / 336) % 20);
  const birth = `${twoDigits(day)}${twoDigits(month + 80)}${twoDigits(year)}`;
  // Some individual numbers give check digit 10 (invalid); take the next that does not.
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const individual = String((sequence * 7 + attempt) % 500).padStart(3, '0');
    const first9 = `${birth}${individual}`;
    const k1 = mod11(first9, fodselsnummerWeights1);
    if (k1 === null) {
      continue;
    }
    const k2 = mod11(`${first9}${k1}`, fodselsnummerWeights2);
    if (k2 !== null) {
      return `${first9}${k1}${k2}`;
    }
  }
  throw new Error(`No valid synthetic fødselsnummer for sequence ${sequence}`);
}

/** Whether an 11-digit number has valid fødselsnummer check digits. */
export function hasValidFodselsnummerCheckDigits(value: string): boolean {
  if (!/^\d{11}$/.test(value)) {
    return false;
  }
  return (
    mod11(value, fodselsnummerWeights1) === Number(value[9]) &&
    mod11(value, fodselsnummerWeights2) === Number(value[10])
  );
}

/** An organisation number: the 8 given digits and their mod-11 check digit. */
export function orgnrWithCheckDigit(first8: string): string {
  if (!/^\d{8}$/.test(first8)) {
    throw new Error('Give the first 8 digits of the organisation number');
  }
  const check = mod11(first8, orgnrWeights);
  if (check === null) {
    throw new Error(`${first8} has no valid organisation number check digit`);
  }
  return `${first8}${check}`;
}

/**
 * A random valid organisation number, so test runs (and tests running side by side on one
 * stack) never share a municipality: the register and the consent state are shared topics.
 */
export function aFreshOrgnr(): string {
  for (;;) {
    const first8 = String(10_000_000 + Math.floor(Math.random() * 89_999_999));
    try {
      return orgnrWithCheckDigit(first8);
    } catch {
      // Some prefixes have no valid check digit; draw again.
    }
  }
}

/** The fixture municipality's organisation number (synthetic, valid check digit). */
export const testOrgnr = orgnrWithCheckDigit('99999999');

/**
 * A patient key that looks like a real one (64 hex digits). Not the production derivation
 * (an HMAC with the deployment secret): only stable per orgnr and identifier.
 */
export function aPatientKey(
  orgnr: string = testOrgnr,
  identifier: Identifier = aFodselsnummer(),
): string {
  return createHash('sha256')
    .update(`fixture|${orgnr}|${identifier.system}|${identifier.value}`)
    .digest('hex');
}

export function aFodselsnummer(sequence = 0): Identifier {
  return { system: identifierSystems.fodselsnummer, value: syntheticFodselsnummer(sequence) };
}

export function anEpjIdentifier(runningNumber = '100234'): Identifier {
  return { system: identifierSystems.epjRunningNumber, value: runningNumber };
}

// ---------------------------------------------------------------------------------------
// Fixed values: builders are deterministic so tests can compare whole records.

export const fixtureIds = {
  submissionId: '3f1c2a9e-6b7d-4c1e-9a52-0d8e7f6a5b41',
  eventId: '8a4e0c7d-2f51-4b3a-8e9c-6d1f0a2b3c4d',
  entryId: 'c5d2e8f1-7a3b-4c6d-9e0f-1a2b3c4d5e6f',
  auditId: '5e7a9c1b-3d2f-4e8a-b6c4-2f1e0d9c8b7a',
  registrationId: 'reg-0001',
  consentId: 'consent-0001',
} as const;

/** 2025-01-15T08:30:00Z, in epoch milliseconds. */
export const fixtureTime = Date.UTC(2025, 0, 15, 8, 30, 0);
export const fixtureClientId = 'test-vendor-client';
export const fixtureSourceSystem = 'Test Responssenter';

// ---------------------------------------------------------------------------------------
// Shared parts

export function aCoding(overrides: Partial<Coding> = {}): Coding {
  return { system: vkp.alert, code: '4.1', display: 'Fall', ...overrides };
}

export function aPatient(overrides: Partial<Patient> = {}): Patient {
  const identifier = overrides.identifier ?? aFodselsnummer();
  return { identifier, patientKey: aPatientKey(testOrgnr, identifier), ...overrides };
}

export function aDevice(overrides: Partial<Device> = {}): Device {
  return {
    id: 'device-1',
    identifier: { system: identifierSystems.deviceSerial, value: 'SN-000123' },
    type: { codings: [], text: 'Trygghetsalarm' },
    vendor: 'Testleverandør AS',
    model: 'TA-100',
    ...overrides,
  };
}

export function anOriginalResource(overrides: Partial<OriginalResource> = {}): OriginalResource {
  return {
    resourceType: 'DetectedIssue',
    id: 'detectedissue-1',
    fullUrl: 'urn:uuid:0e6b1f5a-9c3d-4e2b-8a7f-1d2c3b4a5e6f',
    json: JSON.stringify({
      resourceType: 'DetectedIssue',
      id: 'detectedissue-1',
      status: 'final',
      code: { coding: [{ system: vkp.alert, code: '4.1', display: 'Fall' }] },
      identifiedDateTime: new Date(fixtureTime).toISOString(),
    }),
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------
// WelfareEvent bodies, one per kind

export function aMedicationDispensing(
  overrides: Partial<MedicationDispensing> = {},
): MedicationDispensing {
  return {
    event: { system: vkp.dispenseEvent, code: '1.1', display: 'medisin utlevert uassistert' },
    status: 'completed',
    statusReason: null,
    medication: { codings: [], text: 'Multidose pose, morgen' },
    plannedAt: fixtureTime - 5 * 60 * 1000,
    handedOverAt: fixtureTime,
    dosageText: null,
    ...overrides,
  };
}

export function anAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    code: { system: vkp.alert, code: '4.1', display: 'Fall' },
    sourceResourceType: 'DetectedIssue',
    status: 'final',
    detail: 'Fallsensor utløst på soverommet',
    eventCode: { system: vkp.compositionEvent, code: '4', display: 'hendelse til utrykning' },
    text: 'Responssenteret fikk ikke kontakt og sendte hjemmetjenesten.',
    ...overrides,
  };
}

export function aDigitalVisit(overrides: Partial<DigitalVisit> = {}): DigitalVisit {
  return {
    visitClass: { system: vkp.encounterClass, code: '1', display: 'bildetilsyn' },
    mode: null,
    reason: { system: vkp.encounterReason, code: '1', display: 'planlagt tilsyn' },
    status: 'finished',
    start: fixtureTime,
    end: fixtureTime + 2 * 60 * 1000,
    text: 'Bruker sov. Alt i orden.',
    ...overrides,
  };
}

export function aMeasurement(overrides: Partial<Measurement> = {}): Measurement {
  return {
    code: { system: loinc, code: '85354-9', display: 'Blood pressure panel' },
    status: 'final',
    value: null,
    valueText: null,
    components: [
      {
        code: { system: loinc, code: '8480-6', display: 'Systolic blood pressure' },
        value: { value: 132, unit: 'mmHg', system: ucum, code: 'mm[Hg]' },
        valueText: null,
      },
      {
        code: { system: loinc, code: '8462-4', display: 'Diastolic blood pressure' },
        value: { value: 84, unit: 'mmHg', system: ucum, code: 'mm[Hg]' },
        valueText: null,
      },
    ],
    ...overrides,
  };
}

export function aLocation(overrides: Partial<Location> = {}): Location {
  return {
    latitude: 63.4305,
    longitude: 10.3951,
    accuracyMeters: 12.5,
    zone: 'Hjemme',
    ...overrides,
  };
}

export function aNote(overrides: Partial<Note> = {}): Note {
  const text = 'Bruker trykket på alarmknappen ved et uhell. Ingen tiltak nødvendig.';
  return {
    category: { system: vkp.compositionCategory, code: '1', display: 'Trygghet og mestring' },
    eventCode: { system: vkp.compositionEvent, code: '3', display: 'hendelse kvittert' },
    title: 'Alarm kvittert',
    text,
    sections: [
      {
        code: { system: vkp.compositionSection, code: '1.2', display: 'beskrivelse av hendelse' },
        title: null,
        text,
      },
    ],
    author: fixtureSourceSystem,
    ...overrides,
  };
}

export function aQuestionnaireAnswer(
  overrides: Partial<QuestionnaireAnswer> = {},
): QuestionnaireAnswer {
  return {
    questionnaire: 'https://dho.knutepunkt.test/Questionnaire/daglig-kols',
    status: 'completed',
    authoredAt: fixtureTime,
    items: [
      { linkId: '1', text: 'Hvordan er pusten i dag?', answers: ['Som vanlig'] },
      { linkId: '2', text: 'Har du hoste?', answers: ['false'] },
    ],
    ...overrides,
  };
}

const defaultBodies: { readonly [K in WelfareEventKind]: () => WelfareEventBodyByKind[K] } = {
  MedicationDispensing: () => aMedicationDispensing(),
  Alert: () => anAlert(),
  DigitalVisit: () => aDigitalVisit(),
  Measurement: () => aMeasurement(),
  Location: () => aLocation(),
  Note: () => aNote(),
  QuestionnaireAnswer: () => aQuestionnaireAnswer(),
};

const defaultServices: { readonly [K in WelfareEventKind]: WelfareService } = {
  MedicationDispensing: 'MD',
  Alert: 'TA',
  DigitalVisit: 'DT',
  Measurement: 'DHO',
  Location: 'GPS',
  Note: 'TA',
  QuestionnaireAnswer: 'DHO',
};

// ---------------------------------------------------------------------------------------
// Topic values

/** A fall alarm (trygghetsalarm), severity 30 (alvorlig), on the urgent lane. */
export function aWelfareEvent(overrides: Partial<WelfareEvent> = {}): WelfareEvent {
  return {
    eventId: fixtureIds.eventId,
    submissionId: fixtureIds.submissionId,
    occurredAt: fixtureTime - 30 * 1000,
    receivedAt: fixtureTime,
    orgnr: testOrgnr,
    service: 'TA',
    patient: aPatient(),
    device: aDevice(),
    severity: { system: vkp.severity, code: '30', display: 'Alvorlig' },
    triage: { system: vkp.triage, code: 'O', display: 'orange' },
    urgent: true,
    body: welfareEventBody('Alert', anAlert()),
    originalResources: [anOriginalResource()],
    sourceSystem: fixtureSourceSystem,
    clientId: fixtureClientId,
    ...overrides,
  };
}

/** A routine event of the given kind, with that kind's usual service and default body. */
export function aWelfareEventOfKind(
  kind: WelfareEventKind,
  overrides: Partial<WelfareEvent> = {},
): WelfareEvent {
  const urgent = kind === 'Alert';
  return aWelfareEvent({
    service: defaultServices[kind],
    body: welfareEventBody(kind, defaultBodies[kind]()),
    urgent,
    severity: urgent ? { system: vkp.severity, code: '30', display: 'Alvorlig' } : null,
    triage: null,
    ...overrides,
  });
}

export function anAcceptedSubmission(
  overrides: Partial<AcceptedSubmission> = {},
): AcceptedSubmission {
  return {
    submissionId: fixtureIds.submissionId,
    receivedAt: fixtureTime,
    clientId: fixtureClientId,
    sourceSystem: fixtureSourceSystem,
    orgnr: testOrgnr,
    resourceType: 'DetectedIssue',
    contentType: 'application/fhir+json; fhirVersion=4.0',
    fhirJson: anOriginalResource().json,
    contentHash: `sha256:${createHash('sha256').update(anOriginalResource().json).digest('hex')}`,
    idempotencyKey: 'idem-0001',
    requestId: 'req-0001',
    patientKey: null,
    warnings: [],
    ...overrides,
  };
}

export function aConsentDecision(overrides: Partial<ConsentDecision> = {}): ConsentDecision {
  return {
    decidedAt: fixtureTime + 1000,
    basis: 'no_reservation',
    policyMode: 'opt-out',
    patient: aPatient(),
    attributedViaDevice: false,
    registrationId: fixtureIds.registrationId,
    registeredIdentifiers: [aFodselsnummer(), anEpjIdentifier()],
    consentId: null,
    heldSince: null,
    ...overrides,
  };
}

export function aConsentedEvent(
  overrides: { readonly event?: WelfareEvent; readonly consent?: Partial<ConsentDecision> } = {},
): ConsentedEvent {
  return {
    event: overrides.event ?? aWelfareEvent(),
    consent: aConsentDecision(overrides.consent),
  };
}

export function aRegistration(overrides: Partial<Registration> = {}): Registration {
  return {
    registrationId: fixtureIds.registrationId,
    identifiers: [aFodselsnummer(), anEpjIdentifier()],
    services: ['TA', 'MD'],
    validFrom: '2025-01-01',
    validTo: null,
    devices: [
      {
        identifier: { system: identifierSystems.deviceSerial, value: 'SN-000123' },
        from: '2025-01-01',
        to: null,
      },
    ],
    ...overrides,
  };
}

export function aConsentDirective(overrides: Partial<ConsentDirective> = {}): ConsentDirective {
  return {
    consentId: fixtureIds.consentId,
    provision: 'permit',
    status: 'active',
    services: [],
    periodStart: '2025-01-01',
    periodEnd: null,
    recordedAt: fixtureTime - 24 * 60 * 60 * 1000,
    fhirJson: null,
    ...overrides,
  };
}

export function aConsentPolicy(overrides: Partial<ConsentPolicy> = {}): ConsentPolicy {
  return { mode: 'opt-out', holdFor: 'PT24H', ...overrides };
}

/** A patient's state: registered for TA and MD, with one consent. */
export function aConsentState(overrides: Partial<ConsentState> = {}): ConsentState {
  return {
    orgnr: testOrgnr,
    patientKey: aPatientKey(),
    registration: aRegistration(),
    consents: [aConsentDirective()],
    policy: null,
    version: 1,
    changedAt: fixtureTime,
    ...overrides,
  };
}

export function aJournalEntry(overrides: Partial<JournalEntry> = {}): JournalEntry {
  const narrative =
    'Fallalarm (trygghetsalarm) 15.01.2025 kl. 09:29 fra Testleverandør AS TA-100. Alvorlighet: alvorlig.';
  return {
    entryId: fixtureIds.entryId,
    eventId: fixtureIds.eventId,
    submissionId: fixtureIds.submissionId,
    orgnr: testOrgnr,
    patient: aPatient(),
    service: 'TA',
    kind: 'Alert',
    category: { system: vkp.compositionCategory, code: '1', display: 'Trygghet og mestring' },
    severity: { system: vkp.severity, code: '30', display: 'Alvorlig' },
    urgent: true,
    createdAt: fixtureTime + 2000,
    lastUpdated: fixtureTime + 2000,
    narrative,
    compositionJson: JSON.stringify({
      resourceType: 'Composition',
      id: fixtureIds.entryId,
      status: 'final',
      text: {
        status: 'generated',
        div: `<div xmlns="http://www.w3.org/1999/xhtml">${narrative}</div>`,
      },
    }),
    originalResources: [anOriginalResource()],
    ...overrides,
  };
}

export function aStatusChange(overrides: Partial<StatusChange> = {}): StatusChange {
  return {
    submissionId: fixtureIds.submissionId,
    eventId: fixtureIds.eventId,
    journalEntryId: null,
    stage: 'normalized',
    at: fixtureTime + 500,
    reason: null,
    operationOutcomeCode: null,
    orgnr: testOrgnr,
    clientId: fixtureClientId,
    reportedBy: 'normalizer',
    ...overrides,
  };
}

export function anAuditRecord(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    auditId: fixtureIds.auditId,
    at: fixtureTime,
    actor: {
      kind: 'vendor',
      clientId: fixtureClientId,
      orgnr: orgnrWithCheckDigit('91000000'),
      system: fixtureSourceSystem,
    },
    action: 'submission.create',
    entity: { type: 'Submission', id: fixtureIds.submissionId },
    outcome: 'success',
    orgnr: testOrgnr,
    patientKey: aPatientKey(),
    purpose: 'journaling',
    app: 'ingest',
    requestId: 'req-0001',
    details: { resourceType: 'DetectedIssue' },
    ...overrides,
  };
}

export function aMunicipality(overrides: Partial<Municipality> = {}): Municipality {
  return {
    orgnr: testOrgnr,
    name: 'Testkommune',
    identifierSystems: [identifierSystems.epjRunningNumber],
    policy: aConsentPolicy(),
    ...overrides,
  };
}

export function aClient(overrides: Partial<Client> = {}): Client {
  return {
    clientId: fixtureClientId,
    name: 'Testleverandør AS',
    kind: 'vendor',
    municipalities: [testOrgnr],
    services: ['TA', 'MD'],
    requireDpop: false,
    strict: false,
    ratePerSecond: 50,
    ...overrides,
  };
}

/** A registry record of a municipality (give `entry` for a client, or use aClientRegistryRecord). */
export function aRegistryRecord(overrides: Partial<RegistryRecord> = {}): RegistryRecord {
  return {
    entry: { 'no.knutepunkt.v1.Municipality': aMunicipality() },
    changedAt: fixtureTime,
    changedBy: 'test-admin-client',
    ...overrides,
  };
}

export function aClientRegistryRecord(client: Partial<Client> = {}): RegistryRecord {
  return aRegistryRecord({ entry: { 'no.knutepunkt.v1.Client': aClient(client) } });
}

// ---------------------------------------------------------------------------------------
// In-memory schema registry

export interface InMemorySchemaRegistry extends SchemaRegistryPort {
  /** The schema ids registered under a subject, oldest first. */
  versions(subject: string): readonly number[];
  /** The schema text of an id, as registered. */
  schemaText(schemaId: number): string | undefined;
  /** While false, every call rejects with `SERDE.REGISTRY_UNAVAILABLE`. */
  setAvailable(available: boolean): void;
  /** How many times `writerType` was called (to prove caching). */
  readonly writerTypeCalls: number;
}

/** Runs a synchronous step as a promise that rejects with what the step throws. */
function settle<T>(step: () => T): Promise<T> {
  return new Promise((resolve) => {
    resolve(step());
  });
}

/**
 * A schema registry in memory for unit tests: global ids per distinct schema text, subject
 * versions, and the BACKWARD check against a subject's latest version, as the real one does.
 */
export function createInMemorySchemaRegistry(
  options: { readonly firstId?: number } = {},
): InMemorySchemaRegistry {
  let nextId = options.firstId ?? 1;
  let available = true;
  let writerTypeCalls = 0;
  const idsByText = new Map<string, number>();
  const types = new Map<number, Type>();
  const texts = new Map<number, string>();
  const subjects = new Map<string, number[]>();

  function ensureAvailable(): void {
    if (!available) {
      throw new SerdeError(
        'SERDE.REGISTRY_UNAVAILABLE',
        'In-memory schema registry is unavailable',
      );
    }
  }

  function registerNow(subject: string, schema: string): number {
    ensureAvailable();
    const text = JSON.stringify(JSON.parse(schema));
    let schemaId = idsByText.get(text);
    const type =
      schemaId === undefined
        ? Type.forSchema(JSON.parse(text) as Parameters<typeof Type.forSchema>[0])
        : types.get(schemaId);
    if (type === undefined) {
      throw new Error('In-memory registry lost a schema');
    }
    const versions = subjects.get(subject) ?? [];
    if (schemaId !== undefined && versions.includes(schemaId)) {
      return schemaId;
    }
    const latestId = versions[versions.length - 1];
    const latest = latestId === undefined ? undefined : types.get(latestId);
    const incompatibility = latest === undefined ? null : backwardIncompatibilityOf(type, latest);
    if (incompatibility !== null) {
      throw new SerdeError(
        'SERDE.REGISTRATION_REJECTED',
        `Schema is not BACKWARD compatible with the latest of ${subject}: ${incompatibility}`,
        { subject },
      );
    }
    if (schemaId === undefined) {
      schemaId = nextId;
      nextId += 1;
      idsByText.set(text, schemaId);
      types.set(schemaId, type);
      texts.set(schemaId, text);
    }
    subjects.set(subject, [...versions, schemaId]);
    return schemaId;
  }

  function writerTypeNow(schemaId: number): Type {
    writerTypeCalls += 1;
    ensureAvailable();
    const type = types.get(schemaId);
    if (type === undefined) {
      throw new SerdeError(
        'SERDE.UNKNOWN_SCHEMA_ID',
        `The schema registry has no schema ${schemaId}`,
        { schemaId },
      );
    }
    return type;
  }

  return {
    register: (subject, schema) => settle(() => registerNow(subject, schema)),
    writerType: (schemaId) => settle(() => writerTypeNow(schemaId)),

    versions(subject) {
      return subjects.get(subject) ?? [];
    },

    schemaText(schemaId) {
      return texts.get(schemaId);
    },

    setAvailable(value) {
      available = value;
    },

    get writerTypeCalls() {
      return writerTypeCalls;
    },
  };
}
