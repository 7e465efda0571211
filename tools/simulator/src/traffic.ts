/*
 * What the simulated vendors send: VKP-shaped FHIR built by the shared fixtures, for a population
 * of synthetic patients, each with the welfare services (and devices) a municipality gives them.
 * Pure: the randomness comes in as a function, the time as a number.
 */
import type { Resource } from '@medplum/fhirtypes';
import {
  aVkpAlarmBundle,
  aVkpBloodPressureObservation,
  aVkpDigitalEncounter,
  aVkpGpsLocationBundle,
  aVkpLegacyFlag,
  aVkpMedicationDispense,
  aVkpMedicationDispenseMessage,
  aVkpSupervisionBundle,
  aVkpVitalSignObservation,
  vkpFixtureTimes,
  vkpPatientIdentifier,
  type FhirIdentifier,
} from '@knutepunkt/fhir/testing';

export type WelfareService = 'TA' | 'GPS' | 'MD' | 'DT' | 'DHO';

export interface SimulatedPatient {
  readonly identifier: FhirIdentifier;
  readonly services: readonly WelfareService[];
  /** Reserved against journaling (a deny Consent): every event of theirs must be withheld. */
  readonly reserved: boolean;
}

export interface SimulatedMunicipality {
  readonly orgnr: string;
  readonly patients: readonly SimulatedPatient[];
}

export interface SimulatedEvent {
  readonly orgnr: string;
  readonly patient: SimulatedPatient;
  /** What it is, for the counts (`alarm`, `missed dose`…). */
  readonly label: string;
  readonly service: WelfareService;
  /** `fhir`: `POST /fhir/{orgnr}/{type}`; `devices`: vendor JSON, `POST /devices/{orgnr}/{type}`. */
  readonly route: 'fhir' | 'devices';
  /** The resource type, or the vendor template. */
  readonly type: string;
  readonly body: string;
}

/**
 * A vendor's own JSON document for a mapping template (apps/normalizer/templates/examples),
 * sent with the patient's identity number and the times moved to now.
 */
export interface VendorExample {
  readonly template: string;
  readonly service: WelfareService;
  readonly document: unknown;
  /** The identity number the example names, replaced by the simulated patient's. */
  readonly examplePatient: string;
}

/** A number in [0, 1), like Math.random. */
export type Random = () => number;

interface EventTemplate {
  readonly label: string;
  readonly service: WelfareService;
  readonly build: (patient: FhirIdentifier) => Resource;
  /** Relative frequency at `hour` (Norwegian time, 0–23). */
  readonly weight: (hour: number) => number;
}

const morning = (hour: number) => (hour >= 7 && hour <= 10 ? 4 : 1);
const night = (hour: number) => (hour >= 22 || hour <= 6 ? 4 : 1);
const mealtimes = (hour: number) => ([8, 13, 18, 22].includes(hour) ? 6 : 1);

/** The events of each service, as vendors of each kind of device send them. */
const templates: readonly EventTemplate[] = [
  {
    label: 'dose taken',
    service: 'MD',
    build: (patient) => aVkpMedicationDispense({ patient }),
    weight: mealtimes,
  },
  {
    label: 'missed dose',
    service: 'MD',
    build: (patient) =>
      aVkpMedicationDispense({ patient, statusReason: 'Dosen ble ikke tatt ut av dispenseren' }),
    weight: (hour) => mealtimes(hour) * 0.1,
  },
  {
    label: 'as-needed dose',
    service: 'MD',
    build: (patient) => aVkpMedicationDispense({ patient, eventCode: '1.3' }),
    weight: () => 0.2,
  },
  {
    label: 'dispenser message',
    service: 'MD',
    build: (patient) => aVkpMedicationDispenseMessage(patient),
    weight: () => 0.2,
  },
  {
    label: 'safety alarm',
    service: 'TA',
    build: (patient) => aVkpAlarmBundle({ patient }),
    weight: () => 0.6,
  },
  {
    label: 'low battery',
    service: 'TA',
    build: (patient) => aVkpLegacyFlag({ patient }),
    weight: () => 0.1,
  },
  {
    label: 'night supervision',
    service: 'DT',
    build: (patient) => aVkpSupervisionBundle(patient),
    weight: night,
  },
  {
    label: 'digital visit',
    service: 'DT',
    build: (patient) => aVkpDigitalEncounter({ patient }),
    weight: night,
  },
  {
    label: 'GPS position',
    service: 'GPS',
    build: (patient) => aVkpGpsLocationBundle({ patient }),
    weight: (hour) => (hour >= 8 && hour <= 20 ? 2 : 0.5),
  },
  {
    label: 'blood pressure',
    service: 'DHO',
    build: (patient) => aVkpBloodPressureObservation({ patient }),
    weight: morning,
  },
  {
    label: 'heart rate',
    service: 'DHO',
    build: (patient) => aVkpVitalSignObservation('heartRate', { patient }),
    weight: morning,
  },
  {
    label: 'oxygen saturation',
    service: 'DHO',
    build: (patient) => aVkpVitalSignObservation('oxygenSaturation', { patient }),
    weight: morning,
  },
  {
    label: 'weight',
    service: 'DHO',
    build: (patient) => aVkpVitalSignObservation('bodyWeight', { patient }),
    weight: morning,
  },
];

const serviceMixes: readonly (readonly WelfareService[])[] = [
  ['TA'],
  ['TA', 'MD'],
  ['TA', 'DT'],
  ['MD'],
  ['DHO'],
  ['TA', 'GPS'],
  ['TA', 'MD', 'DHO'],
];

/**
 * `count` patients with synthetic identity numbers from `firstSeed` on, each with one of the
 * usual combinations of services; `reservedShare` of them (rounded) reserved.
 */
export function simulatedPatients(
  firstSeed: number,
  count: number,
  reservedShare: number,
  random: Random,
): SimulatedPatient[] {
  const reservedCount = Math.round(count * reservedShare);
  return Array.from({ length: count }, (_, index) => ({
    identifier: vkpPatientIdentifier(firstSeed + index),
    services: pick(serviceMixes, random),
    reserved: index < reservedCount,
  }));
}

/** The next event: a patient at random, one of their services' events by the hour's weights. */
export function nextEvent(
  municipalities: readonly SimulatedMunicipality[],
  now: number,
  random: Random,
): SimulatedEvent {
  const municipality = pick(municipalities, random);
  const patient = pick(municipality.patients, random);
  const hour = osloHour(now);
  const candidates = templates.filter((t) => patient.services.includes(t.service));
  const template = weightedPick(candidates, (t) => t.weight(hour), random);
  const resource = template.build(patient.identifier);
  return {
    orgnr: municipality.orgnr,
    patient,
    label: template.label,
    service: template.service,
    route: 'fhir',
    type: resource.resourceType,
    body: JSON.stringify(retimed(resource, now)),
  };
}

/**
 * Like nextEvent, but a share `vendorShare` of the events a vendor JSON document of one of the
 * `examples` whose service the patient has.
 */
export function nextMixedEvent(
  municipalities: readonly SimulatedMunicipality[],
  now: number,
  random: Random,
  examples: readonly VendorExample[],
  vendorShare: number,
): SimulatedEvent {
  const event = nextEvent(municipalities, now, random);
  const usable = examples.filter((e) => event.patient.services.includes(e.service));
  if (usable.length === 0 || random() >= vendorShare) return event;
  const example = pick(usable, random);
  return {
    ...event,
    label: `${example.template} (vendor JSON)`,
    service: example.service,
    route: 'devices',
    type: example.template,
    body: JSON.stringify(vendorDocument(example, event.patient.identifier.value, now)),
  };
}

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The example for `patient` at `now`: its earliest time becomes now, epoch seconds too. */
export function vendorDocument(example: VendorExample, patient: string, now: number): unknown {
  const text = JSON.stringify(example.document);
  const times = [...text.matchAll(/"(\d{4}-\d{2}-\d{2}T[^"]+)"/g)]
    .map((match) => Date.parse(match[1] ?? ''))
    .filter(Number.isFinite);
  const shift = times.length > 0 ? now - Math.min(...times) : 0;
  return JSON.parse(text, (key, value: unknown) => {
    if (value === example.examplePatient) return patient;
    if (typeof value === 'string' && isoDateTime.test(value)) {
      return new Date(Date.parse(value) + shift).toISOString();
    }
    // Epoch seconds of this decade (the bed sensor's alarm time).
    if (key === 'at' && typeof value === 'number' && value > 1e9 && value < 1e10) {
      return Math.floor(now / 1000);
    }
    return value;
  });
}

const fixtureAnchor = Date.parse(vkpFixtureTimes.alarmRaised);
const fixtureTimes = new Set<string>(Object.values(vkpFixtureTimes));

/**
 * The fixture with its times moved so that the fixture's alarm moment is `now`, keeping the
 * intervals between them (a dose handed over 2.5 minutes after it was planned stays so).
 */
export function retimed<T>(resource: T, now: number): T {
  const shift = now - fixtureAnchor;
  return JSON.parse(JSON.stringify(resource), (_key, value: unknown) =>
    typeof value === 'string' && fixtureTimes.has(value)
      ? new Date(Date.parse(value) + shift).toISOString()
      : value,
  ) as T;
}

function osloHour(at: number): number {
  return Number(
    new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hour12: false, timeZone: 'Europe/Oslo' })
      .format(at)
      .slice(0, 2),
  );
}

function pick<T>(items: readonly T[], random: Random): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('nothing to pick from');
  return item;
}

function weightedPick<T>(items: readonly T[], weight: (item: T) => number, random: Random): T {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  let point = random() * total;
  for (const item of items) {
    point -= weight(item);
    if (point < 0) return item;
  }
  return pick(items, random);
}
