import {
  aVkpAlarmBundle,
  aVkpBloodPressureObservation,
  aVkpDigitalEncounter,
  aVkpGpsLocationBundle,
  aVkpLegacyFlag,
  aVkpMeasurementCollection,
  aVkpMedicationDispense,
  aVkpMedicationDispenseMessage,
  aVkpQuestionnaireResponse,
  aVkpSupervisionBundle,
  aVkpVitalSignObservation,
} from '../testing';
import { repairStructure } from './repair';
import { validateStructure } from './validate';

const asJson = (resource: unknown) =>
  JSON.parse(JSON.stringify(resource)) as Record<string, unknown>;

describe('validateStructure and repairStructure on the VKP fixtures', () => {
  it.each([
    ['an alarm document Bundle', aVkpAlarmBundle()],
    ['an alarm message Bundle', aVkpAlarmBundle({ bundleType: 'message' })],
  ])(
    "repairs %s's empty device IMEI (as NHN's own sample sends it), then finds it well-formed",
    (_what, resource) => {
      const json = asJson(resource);
      expect(repairStructure(json)).toEqual([
        expect.objectContaining({
          code: 'REPAIR.EMPTY_STRING_REMOVED',
          expression: expect.stringMatching(
            /^Bundle\.entry\[\d\]\.resource\.identifier\[0\]\.value$/,
          ) as unknown,
        }),
      ]);
      expect(validateStructure(json)).toEqual([]);
    },
  );

  it.each([
    ['a MedicationDispense', aVkpMedicationDispense()],
    ['a MedicationDispense message', aVkpMedicationDispenseMessage()],
    ['a legacy Flag', aVkpLegacyFlag()],
    ['a digital Encounter', aVkpDigitalEncounter()],
    ['a supervision Bundle', aVkpSupervisionBundle()],
    ['a blood-pressure Observation', aVkpBloodPressureObservation()],
    ['a temperature Observation', aVkpVitalSignObservation('bodyTemperature')],
    ['a measurement collection', aVkpMeasurementCollection()],
    ['a GPS location Bundle', aVkpGpsLocationBundle()],
    ['a QuestionnaireResponse', aVkpQuestionnaireResponse()],
  ])('finds %s well-formed FHIR R4 that needs no repair', (_what, resource) => {
    const json = asJson(resource);
    expect(repairStructure(json)).toEqual([]);
    expect(validateStructure(json)).toEqual([]);
  });
});

describe('repairStructure', () => {
  it('wraps a single value where FHIR wants a list, down into Bundle entries', () => {
    const bundle = asJson(aVkpAlarmBundle());
    const entries = bundle['entry'] as { resource: Record<string, unknown> }[];
    const composition = entries[0]?.resource ?? {};
    composition['author'] = (composition['author'] as unknown[])[0];
    const repairs = repairStructure(bundle);
    expect(repairs).toContainEqual(
      expect.objectContaining({
        code: 'REPAIR.SINGLE_TO_ARRAY',
        expression: 'Bundle.entry[0].resource.author',
      }),
    );
    expect(Array.isArray(composition['author'])).toBe(true);
    expect(validateStructure(bundle)).toEqual([]);
  });

  it('wraps a single coding in a CodeableConcept and a single category', () => {
    const observation = asJson(aVkpBloodPressureObservation());
    const code = observation['code'] as Record<string, unknown>;
    code['coding'] = (code['coding'] as unknown[])[0];
    observation['category'] = (observation['category'] as unknown[])[0];
    const repairs = repairStructure(observation);
    expect(repairs.map((r) => r.expression).sort()).toEqual([
      'Observation.category',
      'Observation.code.coding',
    ]);
    expect(validateStructure(observation)).toEqual([]);
  });

  it('removes empty strings, also from lists', () => {
    const observation = asJson(aVkpBloodPressureObservation());
    observation['id'] = '';
    observation['note'] = [{ text: 'ok' }];
    (observation['code'] as Record<string, unknown>)['text'] = '';
    const repairs = repairStructure(observation);
    expect(repairs.map((r) => [r.code, r.expression])).toEqual([
      ['REPAIR.EMPTY_STRING_REMOVED', 'Observation.id'],
      ['REPAIR.EMPTY_STRING_REMOVED', 'Observation.code.text'],
    ]);
    expect(observation).not.toHaveProperty('id');
    expect(validateStructure(observation)).toEqual([]);
  });

  it('resolves choice types (valueQuantity) to their branch', () => {
    const observation = asJson(aVkpVitalSignObservation('heartRate'));
    (observation['valueQuantity'] as Record<string, unknown>)['unit'] = '';
    expect(repairStructure(observation)).toEqual([
      expect.objectContaining({ expression: 'Observation.valueQuantity.unit' }),
    ]);
  });
});

describe('validateStructure', () => {
  it('names each element that breaks FHIR R4, without repeating its value', () => {
    const observation = asJson(aVkpBloodPressureObservation());
    Reflect.deleteProperty(observation, 'status');
    observation['valueQuantity'] = { value: '01017012345' };
    observation['unknownProperty'] = true;
    const errors = validateStructure(observation);
    expect(errors.map((e) => e.expression)).toEqual(
      expect.arrayContaining([
        'Observation.status',
        'Observation.value[x].value',
        'Observation.unknownProperty',
      ]),
    );
    expect(JSON.stringify(errors)).not.toContain('01017012345');
  });
});

describe('properties named like Object.prototype members', () => {
  it.each(['constructor', '__proto__', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'])(
    'treats %s as the unknown element it is, in repair and validation',
    (property) => {
      const observation = JSON.parse(
        JSON.stringify(aVkpVitalSignObservation('heartRate')).replace(
          '{',
          `{"${property}":{"prototype":{"polluted":"yes"}},`,
        ),
      ) as Record<string, unknown>;
      expect(() => repairStructure(observation)).not.toThrow();
      expect(validateStructure(observation).map((e) => e.expression)).toContain(
        `Observation.${property}`,
      );
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    },
  );
});

describe('codes FHIR R4 binds as required', () => {
  it.each([
    ['a made-up status', 'finalised'],
    ['a 500 KiB status', 'f'.repeat(500 * 1024)],
    ['a lone surrogate', '\ud800'],
  ])('refuses %s as Observation.status, without repeating it', (_what, status) => {
    const observation = { ...asJson(aVkpVitalSignObservation('heartRate')), status };
    const errors = validateStructure(observation);
    expect(errors.map((e) => e.expression)).toEqual(['Observation.status']);
    expect(errors[0]?.message).toContain('http://hl7.org/fhir/ValueSet/observation-status');
    expect(JSON.stringify(errors)).not.toContain(status.slice(0, 8));
  });

  it('looks into Bundle entries and repeated elements', () => {
    const bundle = asJson(aVkpAlarmBundle());
    const entries = bundle['entry'] as { resource: Record<string, unknown> }[];
    const first = entries[0];
    if (!first) throw new Error('the fixture has entries');
    first.resource['status'] = 'nonsense';
    expect(validateStructure(bundle).map((e) => e.expression)).toEqual([
      'Bundle.entry[0].resource.status',
    ]);
  });
});
