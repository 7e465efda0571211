import type { Bundle, Resource } from '@medplum/fhirtypes';
import { codeSystemByUrl, lookupCode } from '../code-systems';
import { parseIdentityNumber } from '../identity/identity-number';
import { isNationalIdentitySystem } from '../identity/national-identifier';
import {
  aVkpAlarmBundle,
  aVkpBloodPressureObservation,
  aVkpDetectedIssue,
  aVkpDigitalEncounter,
  aVkpGpsLocationBundle,
  aVkpLegacyFlag,
  aVkpMeasurementCollection,
  aVkpMedicationDispense,
  aVkpMedicationDispenseMessage,
  aVkpQuestionnaireResponse,
  aVkpResponseCentreComposition,
  aVkpSupervisionBundle,
  aVkpVitalSignObservation,
  vkpFixtureSystems,
  vkpJson,
} from './vkp-fixtures';

const fixtures: readonly (readonly [string, Resource])[] = [
  ['MedicationDispense', aVkpMedicationDispense()],
  ['missed MedicationDispense', aVkpMedicationDispense({ statusReason: 'Ikke tatt ut' })],
  ['DetectedIssue', aVkpDetectedIssue({ triage: 'R' })],
  ['alarm document Bundle', aVkpAlarmBundle()],
  ['alarm message Bundle', aVkpAlarmBundle({ bundleType: 'message' })],
  ['legacy Flag', aVkpLegacyFlag()],
  ['digital Encounter', aVkpDigitalEncounter()],
  ['supervision Bundle', aVkpSupervisionBundle()],
  ['blood pressure', aVkpBloodPressureObservation()],
  ['body temperature', aVkpVitalSignObservation('bodyTemperature')],
  ['body weight', aVkpVitalSignObservation('bodyWeight')],
  ['heart rate', aVkpVitalSignObservation('heartRate')],
  ['SpO2', aVkpVitalSignObservation('oxygenSaturation')],
  ['measurement collection', aVkpMeasurementCollection()],
  ['response centre Composition', aVkpResponseCentreComposition()],
  ['GPS message Bundle', aVkpGpsLocationBundle()],
  ['QuestionnaireResponse', aVkpQuestionnaireResponse()],
  ['dispense message Bundle', aVkpMedicationDispenseMessage()],
];

/** Every object in `value` (depth first) with its path. */
function objectsIn(value: unknown, path = ''): [string, Record<string, unknown>][] {
  if (Array.isArray(value)) {
    return value.flatMap((element, index) => objectsIn(element, `${path}[${index}]`));
  }
  if (typeof value !== 'object' || value === null) {
    return [];
  }
  const record = value as Record<string, unknown>;
  return [
    [path, record],
    ...Object.entries(record).flatMap(([key, child]) => objectsIn(child, `${path}.${key}`)),
  ];
}

const dateTimeKeys =
  /^(date|authored|timestamp|whenHandedOver|identifiedDateTime|effectiveDateTime|start|end|valueDateTime)$/;

describe.each(fixtures)('the VKP fixture %s', (_name, resource) => {
  it('survives a JSON round trip unchanged', () => {
    expect(JSON.parse(vkpJson(resource))).toEqual(resource);
  });

  it('uses only codes its VKP code systems define', () => {
    for (const [path, object] of objectsIn(resource)) {
      const { system, code } = object;
      if (typeof system !== 'string' || typeof code !== 'string') {
        continue;
      }
      const codeSystem =
        system === vkpFixtureSystems.severityLevelAsProfiled
          ? vkpFixtureSystems.severityLevel
          : system;
      if (codeSystemByUrl(codeSystem) !== undefined) {
        expect([path, lookupCode(codeSystem, code)?.code]).toEqual([path, code]);
      }
    }
  });

  it('names patients by valid synthetic national identity numbers only', () => {
    for (const [, object] of objectsIn(resource)) {
      const { system, value } = object;
      if (
        typeof system === 'string' &&
        isNationalIdentitySystem(system) &&
        typeof value === 'string'
      ) {
        const parsed = parseIdentityNumber(value);

        expect(parsed.ok && parsed.value.classification).toBe('synthetic');
      }
    }
  });

  it('gives every date-time a time zone, as FHIR R4 requires', () => {
    for (const [path, object] of objectsIn(resource)) {
      for (const [key, value] of Object.entries(object)) {
        if (dateTimeKeys.test(key) && typeof value === 'string' && value.includes('T')) {
          expect([`${path}.${key}`, /(Z|[+-]\d\d:\d\d)$/.test(value)]).toEqual([
            `${path}.${key}`,
            true,
          ]);
        }
      }
    }
  });
});

describe.each(
  fixtures.filter((fixture): fixture is [string, Bundle] => fixture[1].resourceType === 'Bundle'),
)('the VKP Bundle fixture %s', (_name, bundle) => {
  it('has unique fullUrls, and every urn:uuid reference resolves to one of its entries', () => {
    const fullUrls = (bundle.entry ?? []).map((entry) => entry.fullUrl);
    const references = objectsIn(bundle)
      .map(([, object]) => object['reference'])
      .filter(
        (reference): reference is string =>
          typeof reference === 'string' && reference.startsWith('urn:uuid:'),
      );

    expect(new Set(fullUrls).size).toBe(fullUrls.length);
    expect(references.filter((reference) => !fullUrls.includes(reference))).toEqual([]);
  });

  it('starts as its type requires: a document with a Composition, a message with a MessageHeader', () => {
    const first = bundle.entry?.[0]?.resource?.resourceType;
    if (bundle.type === 'document') {
      expect(first).toBe('Composition');
      expect(bundle.identifier).toBeDefined();
      expect(bundle.timestamp).toBeDefined();
    } else if (bundle.type === 'message') {
      expect(first).toBe('MessageHeader');
    } else {
      expect(bundle.type).toBe('collection');
    }
  });
});
