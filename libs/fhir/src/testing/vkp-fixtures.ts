/**
 * VKP-shaped FHIR R4 submissions, as welfare-technology vendors send them to the hub: built
 * from the VKP profiles in ../shared/vkp-r4 (and NHN's VKP.Samples alarm Bundle), typed with
 * @medplum/fhirtypes so the compiler holds them to FHIR R4. Shared by the ingest, normalizer and
 * end-to-end tests. Synthetic data only: patients carry synthetic (Tenor) identity numbers,
 * devices and systems live under `.test` domains.
 *
 * Every builder returns a fresh object, so a test may change it before serialising it with
 * `vkpJson`.
 */
import type {
  Bundle,
  BundleEntry,
  Composition,
  DetectedIssue,
  Device,
  Encounter,
  Extension,
  Flag,
  Identifier,
  Location,
  MedicationDispense,
  MessageHeader,
  Observation,
  Patient,
  QuestionnaireResponse,
  Resource,
} from '@medplum/fhirtypes';
import { syntheticIdentityNumber } from './synthetic-identity-number';

// ---------------------------------------------------------------------------------------
// Systems and fixed values

export const vkpFixtureSystems = {
  fodselsnummer: 'urn:oid:2.16.578.1.12.4.1.4.1',
  uuid: 'urn:ietf:rfc:3986',
  alert: 'http://ehelse.no/fhir/CodeSystem/vkp-alert-code-v090',
  retiredFlagCode: 'http://ehelse.no/fhir/CodeSystem/vkp-flag-code-v090',
  /** The value-set URL the vkp-severity-level-v090 extension fixes as `coding.system` (a profile defect vendors follow). */
  severityLevelAsProfiled: 'http://ehelse.no/fhir/ValueSet/vkp-severity-level-v090',
  severityLevel: 'http://ehelse.no/fhir/CodeSystem/vkp-severity-level-v090',
  triage: 'http://ehelse.no/fhir/CodeSystem/vkp-triage-v090',
  medicationDispenseEvent: 'http://ehelse.no/fhir/CodeSystem/vkp-medicationdispense-events-v090',
  compositionCategory: 'http://ehelse.no/fhir/CodeSystem/vkp-composition-category-v090',
  compositionEvent: 'http://ehelse.no/fhir/CodeSystem/vkp-composition-event-v090',
  compositionSection: 'http://ehelse.no/fhir/CodeSystem/vkp-composition-section-v090',
  encounterClass: 'http://ehelse.no/fhir/CodeSystem/vkp-encounter-class-v090',
  encounterMode: 'http://ehelse.no/fhir/CodeSystem/vkp-encounter-mode-v090',
  encounterReason: 'http://ehelse.no/fhir/CodeSystem/vkp-encounter-reason-v090',
  messageEvent: 'http://ehelse.no/fhir/CodeSystem/vkp-message-event-v090',
  v3ActCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  ucum: 'http://unitsofmeasure.org',
  /** Device serial numbers of the fixture vendor (the same as @knutepunkt/schemas/testing's). */
  deviceSerial: 'https://vendor.knutepunkt.test/fhir/sid/serienummer',
} as const;

export const vkpExtensionUrls = {
  severityLevel: 'http://ehelse.no/fhir/StructureDefinition/vkp-severity-level-v090',
  medicationDispenseDevice:
    'http://ehelse.no/fhir/StructureDefinition/VkpMedicationDispenseDevice-v090',
  encounterDevice: 'http://ehelse.no/fhir/StructureDefinition/vkp-encounterDevice-v090',
  deviceReference: 'http://ehelse.no/fhir/StructureDefinition/vkp-deviceReference-v090',
  sone: 'http://ehelse.no/fhir/StructureDefinition/vkp-sone-v090',
  /** The URL vkp-additionalpositiondata-v090.xml still declares. */
  additionalPositionData:
    'http://ehelse.no/fhir/StructureDefinition/vkp-additionalpositiondata-v05',
} as const;

const profiles = {
  medicationDispense: 'http://ehelse.no/fhir/StructureDefinition/vkp-MedicationDispense-v090',
  detectedIssue: 'http://ehelse.no/fhir/StructureDefinition/vkp-DetectedIssue-v090',
  flag: 'http://ehelse.no/fhir/StructureDefinition/vkp-Flag-v090',
  encounter: 'http://ehelse.no/fhir/StructureDefinition/vkp-Encounter-v090',
  digitalEncounter: 'http://ehelse.no/fhir/StructureDefinition/vkp-digital-Encounter-v090',
  composition: 'http://ehelse.no/fhir/StructureDefinition/vkp-Composition-v090',
  bloodPressure: 'http://ehelse.no/fhir/StructureDefinition/vkp-Observation-Bloodpressure-v090',
  bodyTemperature: 'http://hl7.no/fhir/StructureDefinition/vkp-Observation-Bodytemp-v090',
  bodyWeight: 'http://hl7.no/fhir/StructureDefinition/vkp-Observation-Bodyweight-v090',
  heartRate: 'http://hl7.no/fhir/StructureDefinition/vkp-Observation-Heartrate-v090',
  oxygenSaturation: 'http://hl7.no/fhir/StructureDefinition/vkp-Observation-Oxygensat-v090',
  questionnaireResponse: 'http://ehelse.no/fhir/StructureDefinition/vkp-QuestionnaireReponse-v090',
  location: 'http://ehelse.no/fhir/StructureDefinition/vkp-Location-v090',
  patient: 'http://ehelse.no/fhir/StructureDefinition/vkp-Patient-v090',
} as const;

/** Times of the fixtures: the morning of 15 January 2025, Norwegian time (UTC+1). */
export const vkpFixtureTimes = {
  /** Planned morning dose. */
  dosePlanned: '2025-01-15T08:00:00+01:00',
  doseHandedOver: '2025-01-15T08:02:30+01:00',
  /** The fall sensor fires. */
  alarmRaised: '2025-01-15T09:29:10+01:00',
  alarmAnswered: '2025-01-15T09:29:40+01:00',
  responderSent: '2025-01-15T09:31:00+01:00',
  alarmClosed: '2025-01-15T09:58:00+01:00',
  visitStart: '2025-01-15T22:00:00+01:00',
  visitEnd: '2025-01-15T22:02:00+01:00',
  measured: '2025-01-15T07:45:00+01:00',
  positioned: '2025-01-15T13:12:45+01:00',
  answered: '2025-01-15T10:15:00+01:00',
  flagRaised: '2025-01-15T12:00:00+01:00',
} as const;

export interface FhirIdentifier {
  readonly system: string;
  readonly value: string;
}

/** The fixtures' default patient: a synthetic (Tenor, month + 80) fødselsnummer. */
export function vkpPatientIdentifier(seed = 1): FhirIdentifier {
  return { system: vkpFixtureSystems.fodselsnummer, value: syntheticIdentityNumber(seed) };
}

/** The serial number of the fixture vendor's devices. */
export function vkpDeviceIdentifier(serial = 'SN-000123'): FhirIdentifier {
  return { system: vkpFixtureSystems.deviceSerial, value: serial };
}

/** The submission body: the resource as vendors send it. */
export function vkpJson(resource: Resource): string {
  return JSON.stringify(resource);
}

function subject(patient: FhirIdentifier): { identifier: Identifier; display: string } {
  return { identifier: { ...patient }, display: 'Testperson Syntetisk' };
}

function uuidIdentifier(uuid: string): Identifier[] {
  return [{ system: vkpFixtureSystems.uuid, value: `urn:uuid:${uuid}` }];
}

function entry(fullUrl: string, resource: Resource): BundleEntry {
  return { fullUrl, resource };
}

function xhtml(text: string): string {
  return `<div xmlns="http://www.w3.org/1999/xhtml">${text}</div>`;
}

// ---------------------------------------------------------------------------------------
// Medication dispensers (MD)

export interface MedicationDispenseOptions {
  /** vkp-medicationdispense-events-v090 code; default `1.1` medisin utlevert uassistert. */
  readonly eventCode?: string;
  readonly eventDisplay?: string;
  readonly status?: MedicationDispense['status'];
  /** Why a planned dose was not dispensed; with it the fixture has no hand-over time. */
  readonly statusReason?: string;
  readonly patient?: FhirIdentifier;
  readonly id?: string;
}

const dispenseEventDisplays: Readonly<Record<string, string>> = {
  '1': 'medisin utlevert',
  '1.1': 'medisin utlevert uassistert',
  '1.2': 'medisin utlevert assistert',
  '1.3': 'behovsmedisin utlevert',
  '2': 'medisin utlevert reise',
  '2.1': 'medisin utlevert reise uassistert',
  '2.2': 'medisin utlevert reise assistert',
  '3': 'medisin melding til bruker',
};

/** The VkpMedicationDispenseDevice-v090 extension of the fixture dispenser. */
export function vkpMedicationDispenseDeviceExtension(imei = '352099001761481'): Extension {
  return {
    url: vkpExtensionUrls.medicationDispenseDevice,
    extension: [
      { url: 'identifier', valueString: imei },
      { url: 'displayName', valueString: 'Medisindispenser kjøkken' },
      { url: 'type', valueString: 'Medisindispenser' },
      { url: 'typeName', valueString: 'Dosell MD-200' },
      { url: 'location', valueString: 'Kjøkken' },
    ],
  };
}

/**
 * A dispenser event (vkp-MedicationDispense-v090): a completed unassisted morning dose, with the
 * device extension and the dispenser as the performer's logical reference. With
 * `statusReason` it is a dose that was not taken out (status `declined` unless given).
 */
export function aVkpMedicationDispense(
  options: MedicationDispenseOptions = {},
): MedicationDispense {
  const eventCode = options.eventCode ?? '1.1';
  const missed = options.statusReason !== undefined;
  const dispense: MedicationDispense = {
    resourceType: 'MedicationDispense',
    id: options.id ?? 'md-0001',
    meta: { profile: [profiles.medicationDispense] },
    extension: [vkpMedicationDispenseDeviceExtension()],
    identifier: uuidIdentifier('6f2b4b8e-3c1d-4a57-9e0f-2d7c8b1a4e61'),
    status: options.status ?? (missed ? 'declined' : 'completed'),
    category: {
      coding: [
        {
          system: vkpFixtureSystems.medicationDispenseEvent,
          code: eventCode,
          display: options.eventDisplay ?? dispenseEventDisplays[eventCode] ?? eventCode,
        },
      ],
    },
    medicationCodeableConcept: { text: 'Multidosepose morgen (4 tabletter)' },
    subject: subject(options.patient ?? vkpPatientIdentifier()),
    performer: [
      {
        actor: {
          type: 'Device',
          identifier: vkpDeviceIdentifier('MD-200-004711'),
          display: 'Medisindispenser',
        },
      },
    ],
    dosageInstruction: [
      {
        text: 'Morgendose kl. 08:00',
        timing: { event: [vkpFixtureTimes.dosePlanned] },
      },
    ],
  };
  if (missed) {
    dispense.statusReasonCodeableConcept = { text: options.statusReason };
  } else {
    dispense.whenHandedOver = vkpFixtureTimes.doseHandedOver;
  }
  return dispense;
}

// ---------------------------------------------------------------------------------------
// Alarms (TA, DT, MD): DetectedIssue + Encounter + Composition, and the retired Flag

export interface DetectedIssueOptions {
  /** vkp-alert-code-v090; default `4.1` Fall. */
  readonly alertCode?: string;
  readonly alertDisplay?: string;
  /** vkp-severity-level-v090 code (0, 10, 20, 30, 40); none when null. Default `30`. */
  readonly severity?: string | null;
  /** vkp-triage-v090 code as an extra coding of `code`; none by default. */
  readonly triage?: string;
  readonly detail?: string;
  readonly patient?: FhirIdentifier;
  /** The Device the alarm came from (`author`); default the Bundle's device entry. */
  readonly authorReference?: string;
}

/** vkp-severity-level-v090 as the profile has it (its `coding.system` is the value-set URL). */
export function vkpSeverityExtension(code: string): Extension {
  return {
    url: vkpExtensionUrls.severityLevel,
    valueCodeableConcept: {
      coding: [{ system: vkpFixtureSystems.severityLevelAsProfiled, code }],
    },
  };
}

export const vkpAlarmFullUrls = {
  composition: 'urn:uuid:0b7a1c52-8e3f-4d21-b6a9-5f4e3d2c1b0a',
  detectedIssue: 'urn:uuid:1c8b2d63-9f40-4e32-87ba-6a5f4e3d2c1b',
  encounter: 'urn:uuid:2d9c3e74-a051-4f43-98cb-7b6a5f4e3d2c',
  device: 'urn:uuid:3ead4f85-b162-4054-a9dc-8c7b6a5f4e3d',
  patient: 'urn:uuid:4fbe5096-c273-4165-baed-9d8c7b6a5f4e',
} as const;

/** A DetectedIssue (vkp-DetectedIssue-v090): a fall alarm from a fall sensor, severity 30. */
export function aVkpDetectedIssue(options: DetectedIssueOptions = {}): DetectedIssue {
  const severity = options.severity === undefined ? '30' : options.severity;
  const issue: DetectedIssue = {
    resourceType: 'DetectedIssue',
    id: 'di-0001',
    meta: { profile: [profiles.detectedIssue] },
    status: 'final',
    code: {
      coding: [
        {
          system: vkpFixtureSystems.alert,
          code: options.alertCode ?? '4.1',
          ...(options.alertDisplay === undefined && options.alertCode !== undefined
            ? {}
            : { display: options.alertDisplay ?? 'Fall' }),
        },
        ...(options.triage === undefined
          ? []
          : [{ system: vkpFixtureSystems.triage, code: options.triage }]),
      ],
    },
    patient: subject(options.patient ?? vkpPatientIdentifier()),
    identifiedDateTime: vkpFixtureTimes.alarmRaised,
    author: { reference: options.authorReference ?? vkpAlarmFullUrls.device },
    detail: options.detail ?? 'Fallsensor utløst på soverommet',
  };
  if (severity !== null) {
    issue.extension = [vkpSeverityExtension(severity)];
  }
  return issue;
}

/** The fixture vendor's safety-alarm sensor as a Device entry. */
export function aVkpDevice(serial = 'SN-000123'): Device {
  return {
    resourceType: 'Device',
    id: 'device-0001',
    identifier: [
      // NHN's sample sends an empty IMEI beside the transmitter id; vendors do.
      { system: 'https://fhir.vkp.com/system-codes/IMEI', value: '' },
      vkpDeviceIdentifier(serial),
    ],
    manufacturer: 'Testleverandør AS',
    deviceName: [{ name: 'TA-100 fallsensor', type: 'model-name' }],
    type: { text: 'Fallsensor' },
  };
}

export function aVkpPatient(identifier: FhirIdentifier = vkpPatientIdentifier()): Patient {
  return {
    resourceType: 'Patient',
    id: 'patient-0001',
    meta: { profile: [profiles.patient] },
    identifier: [{ ...identifier }],
    name: [{ family: 'Syntetisk', given: ['Testperson'] }],
  };
}

/** The response centre's Encounter of an alarm: two-way voice with the user, then a responder. */
function alarmEncounter(patient: FhirIdentifier): Encounter {
  return {
    resourceType: 'Encounter',
    id: 'enc-alarm-0001',
    meta: { profile: [profiles.encounter] },
    identifier: uuidIdentifier('5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'),
    status: 'finished',
    class: { system: vkpFixtureSystems.v3ActCode, code: 'VR', display: 'virtual' },
    subject: subject(patient),
    participant: [
      {
        type: [
          {
            coding: [
              { system: vkpFixtureSystems.encounterMode, code: '2', display: 'toveis tale' },
            ],
          },
        ],
        period: { start: vkpFixtureTimes.alarmAnswered, end: vkpFixtureTimes.responderSent },
        individual: { reference: vkpAlarmFullUrls.device, type: 'Device' },
      },
    ],
    period: { start: vkpFixtureTimes.alarmAnswered, end: vkpFixtureTimes.alarmClosed },
    reasonCode: [
      {
        coding: [
          {
            system: vkpFixtureSystems.encounterReason,
            code: '2',
            display: 'hendelsesbasert tilsyn',
          },
        ],
      },
    ],
  };
}

export interface ResponseCentreCompositionOptions {
  readonly patient?: FhirIdentifier;
  /** vkp-composition-category-v090; default `1` Trygghet og mestring. */
  readonly category?: string;
  /** section.entry of the first section (the alarm it documents). */
  readonly documents?: string;
  /** Handling steps (vkp-composition-event-v090 code, time); default meldt, behandles, til utrykning. */
  readonly events?: readonly (readonly [string, string])[];
}

/**
 * A response centre's note (vkp-Composition-v090): LOINC 34133-9, the fixed title, the handling
 * steps as events and two sections (what happened, what was done).
 */
export function aVkpResponseCentreComposition(
  options: ResponseCentreCompositionOptions = {},
): Composition {
  const events = options.events ?? [
    ['0', vkpFixtureTimes.alarmRaised],
    ['1', vkpFixtureTimes.alarmAnswered],
    ['4', vkpFixtureTimes.responderSent],
  ];
  const entries =
    options.documents === undefined ? {} : { entry: [{ reference: options.documents }] };
  return {
    resourceType: 'Composition',
    id: 'comp-0001',
    meta: { profile: [profiles.composition] },
    status: 'final',
    type: {
      coding: [
        { system: vkpFixtureSystems.loinc, code: '34133-9', display: 'Summary of episode note' },
      ],
    },
    category: [
      {
        coding: [
          {
            system: vkpFixtureSystems.compositionCategory,
            code: options.category ?? '1',
          },
        ],
      },
    ],
    subject: subject(options.patient ?? vkpPatientIdentifier()),
    date: vkpFixtureTimes.alarmClosed,
    author: [{ display: 'Test Responssenter' }],
    title: 'Journalnotat for respons på hendelse',
    event: events.map(([code, start]) => ({
      code: [{ coding: [{ system: vkpFixtureSystems.compositionEvent, code }] }],
      period: { start },
    })),
    section: [
      {
        title: 'Beskrivelse av hendelse',
        code: { coding: [{ system: vkpFixtureSystems.compositionSection, code: '1.2' }] },
        text: {
          status: 'additional',
          div: xhtml(
            'Fallalarm fra soverommet. Bruker svarte i toveis tale og hadde falt ved sengen.',
          ),
        },
        ...entries,
      },
      {
        title: 'Beskrivelse av oppfølging',
        code: { coding: [{ system: vkpFixtureSystems.compositionSection, code: '1.1' }] },
        text: {
          status: 'additional',
          div: xhtml(
            'Hjemmetjenesten rykket ut kl. 09:31.<br/>Bruker hjulpet opp, ingen synlige skader.',
          ),
        },
      },
    ],
  };
}

export interface AlarmBundleOptions extends DetectedIssueOptions {
  /** `document` (default, as NHN's sample and JFT's example), `collection` or `message`. */
  readonly bundleType?: 'document' | 'collection' | 'message';
  /** Leave the Encounter out. */
  readonly withoutEncounter?: boolean;
}

/**
 * An alarm as VKP sends it: one Bundle with the response centre's Composition (first, as a
 * document wants it), the DetectedIssue, the Encounter, the sensor's Device and the Patient.
 */
export function aVkpAlarmBundle(options: AlarmBundleOptions = {}): Bundle {
  const patient = options.patient ?? vkpPatientIdentifier();
  const bundleType = options.bundleType ?? 'document';
  const entries: BundleEntry[] = [
    entry(
      vkpAlarmFullUrls.composition,
      aVkpResponseCentreComposition({ patient, documents: vkpAlarmFullUrls.detectedIssue }),
    ),
    entry(vkpAlarmFullUrls.detectedIssue, aVkpDetectedIssue({ ...options, patient })),
    ...(options.withoutEncounter === true
      ? []
      : [entry(vkpAlarmFullUrls.encounter, alarmEncounter(patient))]),
    entry(vkpAlarmFullUrls.device, aVkpDevice()),
    entry(vkpAlarmFullUrls.patient, aVkpPatient(patient)),
  ];
  if (bundleType === 'message') {
    const header: MessageHeader = {
      resourceType: 'MessageHeader',
      id: 'mh-alarm-0001',
      eventCoding: { system: vkpFixtureSystems.alert, code: options.alertCode ?? '4.1' },
      source: {
        name: 'Test Responssenter',
        endpoint: 'https://responssenter.knutepunkt.test/fhir',
      },
      focus: [{ reference: vkpAlarmFullUrls.detectedIssue }],
    };
    entries.unshift(entry('urn:uuid:6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', header));
  }
  return {
    resourceType: 'Bundle',
    identifier: {
      system: vkpFixtureSystems.uuid,
      value: 'urn:uuid:7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e',
    },
    type: bundleType,
    timestamp: vkpFixtureTimes.alarmClosed,
    entry: entries,
  };
}

export interface LegacyFlagOptions {
  /** Code in the retired vkp-flag-code-v090 (default `2.2` Måling ikke rapportert). */
  readonly flagCode?: string;
  /** Send the code in vkp-alert-code-v090 instead. */
  readonly alertCode?: string;
  /** vkp-severity-level-v090 code; default `20`. */
  readonly severity?: string;
  readonly patient?: FhirIdentifier;
}

/**
 * The retired VKP Flag (vkp-Flag-v090, deleted from the VKP repository in 2025 but still sent
 * by DHO platforms): severity level, the event text in `code.text`, `period.start` as the time.
 */
export function aVkpLegacyFlag(options: LegacyFlagOptions = {}): Flag {
  return {
    resourceType: 'Flag',
    id: 'flag-0001',
    meta: { profile: [profiles.flag] },
    extension: [vkpSeverityExtension(options.severity ?? '20')],
    status: 'active',
    code: {
      coding: [
        options.alertCode === undefined
          ? {
              system: vkpFixtureSystems.retiredFlagCode,
              code: options.flagCode ?? '2.2',
              display: 'Måling ikke rapportert',
            }
          : { system: vkpFixtureSystems.alert, code: options.alertCode },
      ],
      text: 'Blodtrykk er ikke målt de siste to døgnene',
    },
    subject: subject(options.patient ?? vkpPatientIdentifier()),
    period: { start: vkpFixtureTimes.flagRaised },
  };
}

// ---------------------------------------------------------------------------------------
// Digital supervision (DT)

export interface DigitalEncounterOptions {
  readonly patient?: FhirIdentifier;
  /** vkp-encounter-class-v090 code in `type`; default `1` bildetilsyn. None when null. */
  readonly visitClass?: string | null;
  /** vkp-encounter-reason-v090; default `1` planlagt tilsyn. */
  readonly reason?: string;
  readonly classCoding?: { readonly system: string; readonly code: string };
}

/**
 * A planned night-time camera look-in (vkp-digital-Encounter-v090): class VR, the VKP class in
 * `type`, one participant per device and mode, the camera in vkp-encounterDevice-v090.
 */
export function aVkpDigitalEncounter(options: DigitalEncounterOptions = {}): Encounter {
  const visitClass = options.visitClass === undefined ? '1' : options.visitClass;
  return {
    resourceType: 'Encounter',
    id: 'enc-visit-0001',
    meta: { profile: [profiles.digitalEncounter] },
    extension: [
      {
        url: vkpExtensionUrls.encounterDevice,
        extension: [
          { url: 'identifier', valueString: 'CAM-0042' },
          { url: 'displayName', valueString: 'Kamera soverom' },
          { url: 'type', valueString: 'Kamera' },
          { url: 'typeName', valueString: 'Roommate 2' },
          { url: 'location', valueString: 'Soverom' },
        ],
      },
    ],
    identifier: uuidIdentifier('8c9d0e1f-2a3b-4c4d-8e5f-6a7b8c9d0e1f'),
    status: 'finished',
    class: options.classCoding
      ? { ...options.classCoding }
      : { system: vkpFixtureSystems.v3ActCode, code: 'VR', display: 'virtual' },
    ...(visitClass === null
      ? {}
      : {
          type: [
            {
              coding: [{ system: vkpFixtureSystems.encounterClass, code: visitClass }],
            },
          ],
        }),
    subject: subject(options.patient ?? vkpPatientIdentifier()),
    participant: [
      {
        type: [
          {
            coding: [
              { system: vkpFixtureSystems.encounterMode, code: '1', display: 'bildetilsyn' },
            ],
          },
        ],
        period: { start: vkpFixtureTimes.visitStart, end: vkpFixtureTimes.visitEnd },
        individual: {
          identifier: vkpDeviceIdentifier('CAM-0042'),
          type: 'Device',
          display: 'Kamera soverom',
        },
      },
    ],
    period: { start: vkpFixtureTimes.visitStart, end: vkpFixtureTimes.visitEnd },
    reasonCode: [
      { coding: [{ system: vkpFixtureSystems.encounterReason, code: options.reason ?? '1' }] },
    ],
    location: [{ location: { display: 'Soverom @ Testveien 1' } }],
  };
}

/** Supervision as VKP sends it: the digital Encounter and the night nurse's Composition. */
export function aVkpSupervisionBundle(patient: FhirIdentifier = vkpPatientIdentifier()): Bundle {
  const encounterUrl = 'urn:uuid:9d0e1f2a-3b4c-4d5e-9f6a-7b8c9d0e1f2a';
  const note: Composition = {
    ...aVkpResponseCentreComposition({
      patient,
      documents: encounterUrl,
      events: [['3', vkpFixtureTimes.visitEnd]],
    }),
    id: 'comp-visit-0001',
    date: vkpFixtureTimes.visitEnd,
    section: [
      {
        title: 'Tilsyn',
        code: { coding: [{ system: vkpFixtureSystems.compositionSection, code: '1.3' }] },
        text: { status: 'additional', div: xhtml('Bruker sov rolig. Alt i orden.') },
        entry: [{ reference: encounterUrl }],
      },
    ],
  };
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: vkpFixtureTimes.visitEnd,
    entry: [
      entry(encounterUrl, aVkpDigitalEncounter({ patient })),
      entry('urn:uuid:ae1f2a3b-4c5d-4e6f-8a7b-8c9d0e1f2a3b', note),
    ],
  };
}

// ---------------------------------------------------------------------------------------
// Measurements (DHO)

const vitalSignsCategory = [
  {
    coding: [
      {
        system: vkpFixtureSystems.observationCategory,
        code: 'vital-signs',
        display: 'Vital Signs',
      },
    ],
  },
];

export interface ObservationOptions {
  readonly patient?: FhirIdentifier;
  readonly id?: string;
}

/** A home blood-pressure reading (vkp-Observation-Bloodpressure-v090): LOINC and SNOMED CT codes, two components. */
export function aVkpBloodPressureObservation(
  options: ObservationOptions & {
    readonly systolic?: number;
    readonly diastolic?: number;
    readonly unit?: string;
  } = {},
): Observation {
  const unit = options.unit ?? 'mm[Hg]';
  const quantity = (value: number) => ({
    value,
    unit: unit === 'mm[Hg]' ? 'mmHg' : unit,
    system: vkpFixtureSystems.ucum,
    code: unit,
  });
  return {
    resourceType: 'Observation',
    id: options.id ?? 'obs-bp-0001',
    meta: { profile: [profiles.bloodPressure] },
    status: 'final',
    category: vitalSignsCategory,
    code: {
      coding: [
        {
          system: vkpFixtureSystems.loinc,
          code: '85354-9',
          display: 'Blood pressure panel with all children optional',
        },
        { system: vkpFixtureSystems.snomed, code: '75367002', display: 'Blood pressure' },
      ],
    },
    subject: subject(options.patient ?? vkpPatientIdentifier()),
    effectiveDateTime: vkpFixtureTimes.measured,
    device: { identifier: vkpDeviceIdentifier('BP-7700-0815'), display: 'Blodtrykksmåler' },
    component: [
      {
        code: {
          coding: [
            { system: vkpFixtureSystems.loinc, code: '8480-6', display: 'Systolic blood pressure' },
            { system: vkpFixtureSystems.snomed, code: '271649006' },
          ],
        },
        valueQuantity: quantity(options.systolic ?? 132),
      },
      {
        code: {
          coding: [
            {
              system: vkpFixtureSystems.loinc,
              code: '8462-4',
              display: 'Diastolic blood pressure',
            },
            { system: vkpFixtureSystems.snomed, code: '271650006' },
          ],
        },
        valueQuantity: quantity(options.diastolic ?? 84),
      },
    ],
  };
}

export type VkpVitalSign = 'bodyTemperature' | 'bodyWeight' | 'heartRate' | 'oxygenSaturation';

const vitalSigns: Readonly<
  Record<
    VkpVitalSign,
    {
      readonly profile: string;
      readonly loinc: readonly [string, string];
      readonly snomed: string;
      readonly value: number;
      readonly unit: string;
      readonly ucum: string;
    }
  >
> = {
  bodyTemperature: {
    profile: profiles.bodyTemperature,
    loinc: ['8310-5', 'Body temperature'],
    snomed: '276885007',
    value: 37.2,
    unit: '°C',
    ucum: 'Cel',
  },
  bodyWeight: {
    profile: profiles.bodyWeight,
    loinc: ['29463-7', 'Body weight'],
    snomed: '27113001',
    value: 71.4,
    unit: 'kg',
    ucum: 'kg',
  },
  heartRate: {
    profile: profiles.heartRate,
    loinc: ['8867-4', 'Heart rate'],
    snomed: '364075005',
    value: 72,
    unit: 'beats/minute',
    ucum: '/min',
  },
  oxygenSaturation: {
    profile: profiles.oxygenSaturation,
    loinc: ['59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'],
    snomed: '431314004',
    value: 96,
    unit: '%',
    ucum: '%',
  },
};

/**
 * A vital sign from a home-monitoring kit (the VKP Bodytemp, Bodyweight, Heartrate and
 * Oxygensat profiles). `value` and `unit` (a UCUM code) override the realistic defaults;
 * `sendLoinc: false` sends only the SNOMED CT coding, as those profiles allow.
 */
export function aVkpVitalSignObservation(
  sign: VkpVitalSign,
  options: ObservationOptions & {
    readonly value?: number;
    readonly unit?: string;
    readonly sendLoinc?: boolean;
  } = {},
): Observation {
  const known = vitalSigns[sign];
  const ucum = options.unit ?? known.ucum;
  return {
    resourceType: 'Observation',
    id: options.id ?? `obs-${sign}-0001`,
    meta: { profile: [known.profile] },
    status: 'final',
    category: vitalSignsCategory,
    code: {
      coding: [
        ...(options.sendLoinc === false
          ? []
          : [{ system: vkpFixtureSystems.loinc, code: known.loinc[0], display: known.loinc[1] }]),
        { system: vkpFixtureSystems.snomed, code: known.snomed },
      ],
    },
    subject: subject(options.patient ?? vkpPatientIdentifier()),
    effectiveDateTime: vkpFixtureTimes.measured,
    valueQuantity: {
      value: options.value ?? known.value,
      unit: options.unit === undefined ? known.unit : options.unit,
      system: vkpFixtureSystems.ucum,
      code: ucum,
    },
  };
}

/** A morning's readings in one collection Bundle: blood pressure, heart rate, SpO2, weight. */
export function aVkpMeasurementCollection(
  patient: FhirIdentifier = vkpPatientIdentifier(),
): Bundle {
  const readings = [
    aVkpBloodPressureObservation({ patient }),
    aVkpVitalSignObservation('heartRate', { patient }),
    aVkpVitalSignObservation('oxygenSaturation', { patient }),
    aVkpVitalSignObservation('bodyWeight', { patient }),
  ];
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: vkpFixtureTimes.measured,
    entry: readings.map((reading, index) =>
      entry(
        `urn:uuid:b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d${String(index).padStart(2, '0')}`,
        reading,
      ),
    ),
  };
}

// ---------------------------------------------------------------------------------------
// GPS (lokaliseringsteknologi)

export interface GpsLocationOptions {
  readonly latitude?: number;
  readonly longitude?: number;
  readonly accuracyMeters?: number;
  /** vkp-sone-v090 value; default `Trondheim|Midtbyen|Sone 3|Bakklandet`. */
  readonly zone?: string;
  readonly patient?: FhirIdentifier;
}

export const vkpGpsFullUrls = {
  header: 'urn:uuid:c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f',
  location: 'urn:uuid:d4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f7a',
  patient: 'urn:uuid:e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b',
  device: 'urn:uuid:f6a7b8c9-d0e1-4f2a-9b3c-4d5e6f7a8b9c',
} as const;

/** A GPS position (vkp-Location-v090) with its device data, as a Location entry. */
export function aVkpGpsLocation(options: GpsLocationOptions = {}): Location {
  return {
    resourceType: 'Location',
    id: 'loc-0001',
    meta: { profile: [profiles.location] },
    extension: [
      {
        url: vkpExtensionUrls.additionalPositionData,
        extension: [
          { url: 'timestamp', valueDateTime: vkpFixtureTimes.positioned },
          { url: 'horizontalAccuracy', valueDecimal: options.accuracyMeters ?? 8.5 },
          { url: 'altitudeMeters', valueQuantity: { value: 12, unit: 'm' } },
        ],
      },
      {
        url: vkpExtensionUrls.sone,
        valueString: options.zone ?? 'Trondheim|Midtbyen|Sone 3|Bakklandet',
      },
    ],
    identifier: uuidIdentifier('0a1b2c3d-4e5f-4061-8728-394a5b6c7d8e'),
    description: 'Bruker er utenfor trygg sone',
    telecom: [{ system: 'url', value: 'https://gps.vendor.knutepunkt.test/kart/0a1b2c3d' }],
    position: { latitude: options.latitude ?? 63.4269, longitude: options.longitude ?? 10.4023 },
  };
}

/**
 * A GPS position as a VKP message: MessageHeader (event LocationMeasurement, focus the
 * Location), the Location, the Patient it is about (Location names none) and the GPS watch.
 */
export function aVkpGpsLocationBundle(options: GpsLocationOptions = {}): Bundle {
  const header: MessageHeader = {
    resourceType: 'MessageHeader',
    id: 'mh-gps-0001',
    eventCoding: { system: vkpFixtureSystems.messageEvent, code: 'LocationMeasurement' },
    source: { name: 'Test GPS-plattform', endpoint: 'https://gps.vendor.knutepunkt.test/fhir' },
    focus: [{ reference: vkpGpsFullUrls.location }],
  };
  const watch: Device = {
    resourceType: 'Device',
    id: 'device-gps-0001',
    identifier: [vkpDeviceIdentifier('GPS-W5-2231')],
    manufacturer: 'Testleverandør AS',
    deviceName: [{ name: 'Trygghetsklokke W5', type: 'model-name' }],
    type: { text: 'GPS-klokke' },
  };
  return {
    resourceType: 'Bundle',
    type: 'message',
    timestamp: vkpFixtureTimes.positioned,
    entry: [
      entry(vkpGpsFullUrls.header, header),
      entry(vkpGpsFullUrls.location, aVkpGpsLocation(options)),
      entry(vkpGpsFullUrls.patient, aVkpPatient(options.patient ?? vkpPatientIdentifier())),
      entry(vkpGpsFullUrls.device, watch),
    ],
  };
}

// ---------------------------------------------------------------------------------------
// Questionnaires (DHO)

/** A daily symptom form (vkp-QuestionnaireReponse-v090) with a group of nested questions. */
export function aVkpQuestionnaireResponse(
  options: { readonly patient?: FhirIdentifier } = {},
): QuestionnaireResponse {
  return {
    resourceType: 'QuestionnaireResponse',
    id: 'qr-0001',
    meta: { profile: [profiles.questionnaireResponse] },
    questionnaire: 'https://dho.vendor.knutepunkt.test/fhir/Questionnaire/daglig-kols-skjema|2.1',
    status: 'completed',
    subject: subject(options.patient ?? vkpPatientIdentifier()),
    authored: vkpFixtureTimes.answered,
    item: [
      {
        linkId: '1',
        text: 'Hvordan har du det i dag?',
        answer: [
          {
            valueCoding: {
              system: 'https://dho.vendor.knutepunkt.test/fhir/CodeSystem/allmenntilstand',
              code: 'litt-darligere',
              display: 'Litt dårligere enn vanlig',
            },
          },
        ],
      },
      {
        linkId: '2',
        text: 'Pust',
        item: [
          {
            linkId: '2.1',
            text: 'Er du mer tungpustet enn vanlig?',
            answer: [{ valueBoolean: true }],
          },
          { linkId: '2.2', text: 'Hvor mange trapper klarer du?', answer: [{ valueInteger: 1 }] },
        ],
      },
      { linkId: '3', text: 'Kommentar', answer: [{ valueString: 'Mer slim enn vanlig.' }] },
    ],
  };
}

// ---------------------------------------------------------------------------------------
// Messages with several events

export const vkpDispenseMessageFullUrls = {
  header: 'urn:uuid:10a1b2c3-d4e5-4f60-8172-8394a5b6c7d8',
  dispense: 'urn:uuid:21b2c3d4-e5f6-4071-9283-94a5b6c7d8e9',
  composition: 'urn:uuid:32c3d4e5-f6a7-4182-a394-a5b6c7d8e9f0',
  flag: 'urn:uuid:43d4e5f6-a7b8-4293-b4a5-b6c7d8e9f0a1',
} as const;

/**
 * The STU3-era message "MedicationDispense-to-EPR" (vkp-r4 MessageDefinition): MessageHeader
 * with event MedicationDispense and focus the dispense, the handler's Composition about it and a
 * Flag asking for attention (an empty dispenser). The focus order is not the entry order.
 */
export function aVkpMedicationDispenseMessage(
  patient: FhirIdentifier = vkpPatientIdentifier(),
): Bundle {
  const header: MessageHeader = {
    resourceType: 'MessageHeader',
    id: 'mh-md-0001',
    eventCoding: { system: vkpFixtureSystems.messageEvent, code: 'MedicationDispense' },
    source: { name: 'Test Dispenserplattform', endpoint: 'https://md.vendor.knutepunkt.test/fhir' },
    focus: [
      { reference: vkpDispenseMessageFullUrls.flag },
      { reference: vkpDispenseMessageFullUrls.dispense },
      { reference: vkpDispenseMessageFullUrls.composition },
    ],
  };
  const note: Composition = {
    ...aVkpResponseCentreComposition({
      patient,
      category: '2',
      documents: vkpDispenseMessageFullUrls.dispense,
      events: [['3', vkpFixtureTimes.doseHandedOver]],
    }),
    id: 'comp-md-0001',
    date: vkpFixtureTimes.doseHandedOver,
    title: 'Medisinutlevering',
    section: [
      {
        title: 'Kommentar',
        code: { coding: [{ system: vkpFixtureSystems.compositionSection, code: '1.3' }] },
        text: { status: 'additional', div: xhtml('Dosen ble tatt ut 2 minutter etter varsel.') },
        entry: [{ reference: vkpDispenseMessageFullUrls.dispense }],
      },
    ],
  };
  const flag: Flag = {
    ...aVkpLegacyFlag({ alertCode: '1.12', severity: '20', patient }),
    id: 'flag-md-0001',
    code: {
      coding: [{ system: vkpFixtureSystems.alert, code: '1.12' }],
      text: 'Snart tomt for medisin',
    },
  };
  return {
    resourceType: 'Bundle',
    type: 'message',
    timestamp: vkpFixtureTimes.doseHandedOver,
    entry: [
      entry(vkpDispenseMessageFullUrls.header, header),
      entry(vkpDispenseMessageFullUrls.dispense, aVkpMedicationDispense({ patient })),
      entry(vkpDispenseMessageFullUrls.composition, note),
      entry(vkpDispenseMessageFullUrls.flag, flag),
    ],
  };
}
