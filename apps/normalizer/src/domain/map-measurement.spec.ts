import {
  aVkpBloodPressureObservation,
  aVkpVitalSignObservation,
  vkpDeviceIdentifier,
  vkpFixtureTimes,
  type VkpVitalSign,
} from '@knutepunkt/fhir/testing';
import type { Observation } from '@medplum/fhirtypes';
import { bodyOf, errorOf, invalidAvroPaths, onlyEventOf } from './normalize.spec-helper';

const ucum = 'http://unitsofmeasure.org';
const loinc = 'http://loinc.org';

describe('Observation → Measurement', () => {
  it('maps a blood pressure with its systolic and diastolic components', () => {
    const event = onlyEventOf(aVkpBloodPressureObservation({ systolic: 141, diastolic: 92 }));

    expect(bodyOf(event, 'Measurement')).toEqual({
      code: {
        system: loinc,
        code: '85354-9',
        display: 'Blood pressure panel with all children optional',
      },
      status: 'final',
      value: null,
      valueText: null,
      components: [
        {
          code: { system: loinc, code: '8480-6', display: 'Systolic blood pressure' },
          value: { value: 141, unit: 'mmHg', system: ucum, code: 'mm[Hg]' },
          valueText: null,
        },
        {
          code: { system: loinc, code: '8462-4', display: 'Diastolic blood pressure' },
          value: { value: 92, unit: 'mmHg', system: ucum, code: 'mm[Hg]' },
          valueText: null,
        },
      ],
    });
    expect(event).toMatchObject({ service: 'DHO', urgent: false });
    expect(event.device?.identifier).toEqual(vkpDeviceIdentifier('BP-7700-0815'));
    expect(event.occurredAt).toBe(Date.parse(vkpFixtureTimes.measured));
    expect(invalidAvroPaths(event)).toEqual([]);
  });

  it.each([
    ['bodyTemperature', '8310-5', 37.2, 'Cel', '°C'],
    ['bodyWeight', '29463-7', 71.4, 'kg', 'kg'],
    ['heartRate', '8867-4', 72, '/min', 'beats/min'],
    ['oxygenSaturation', '59408-5', 96, '%', '%'],
  ] as const)('maps %s as LOINC %s in UCUM', (sign: VkpVitalSign, code, value, unitCode, unit) => {
    const event = onlyEventOf(aVkpVitalSignObservation(sign));

    expect(bodyOf(event, 'Measurement')).toMatchObject({
      code: { system: loinc, code },
      value: { value, unit, system: ucum, code: unitCode },
      components: [],
    });
    expect(invalidAvroPaths(event)).toEqual([]);
  });

  it('gives a measurement coded only in SNOMED CT (as the VKP profiles allow) its LOINC code', () => {
    const event = onlyEventOf(aVkpVitalSignObservation('heartRate', { sendLoinc: false }));

    expect(bodyOf(event, 'Measurement').code).toEqual({
      system: loinc,
      code: '8867-4',
      display: 'Heart rate',
    });
  });

  it.each([
    ['bodyTemperature', 98.6, '[degF]', 37, 'Cel'],
    ['bodyTemperature', 38.5, '°C', 38.5, 'Cel'],
    ['bodyWeight', 154, '[lb_av]', 69.85322498, 'kg'],
    ['bodyWeight', 71400, 'g', 71.4, 'kg'],
    ['heartRate', 64, 'bpm', 64, '/min'],
    ['oxygenSaturation', 0.97, '1', 97, '%'],
  ] as const)(
    'converts %s %d %s to %d %s',
    (sign: VkpVitalSign, value, unit, expected, unitCode) => {
      const event = onlyEventOf(aVkpVitalSignObservation(sign, { value, unit }));

      expect(bodyOf(event, 'Measurement').value).toMatchObject({
        value: expected,
        system: ucum,
        code: unitCode,
      });
    },
  );

  it('converts a blood pressure in kPa to mmHg', () => {
    const event = onlyEventOf(
      aVkpBloodPressureObservation({ systolic: 17.6, diastolic: 11.2, unit: 'kPa' }),
    );

    expect(
      bodyOf(event, 'Measurement').components.map((component) => component.value?.value),
    ).toEqual([132.010856155, 84.0069084624]);
  });

  it.each([
    [
      'bodyTemperature',
      370,
      'Cel',
      'Body temperature 370 °C is outside the plausible range 25–45 °C.',
    ],
    [
      'oxygenSaturation',
      140,
      '%',
      'Oxygen saturation 140 % is outside the plausible range 50–100 %.',
    ],
    [
      'heartRate',
      0,
      '/min',
      'Heart rate 0 beats/min is outside the plausible range 20–300 beats/min.',
    ],
    ['bodyWeight', 714, 'kg', 'Body weight 714 kg is outside the plausible range 0.5–500 kg.'],
    [
      'bodyTemperature',
      300,
      '[degF]',
      'Body temperature 300 [degF] (148.888888889 °C) is outside the plausible range 25–45 °C.',
    ],
  ] as const)('refuses an implausible %s of %d %s', (sign: VkpVitalSign, value, unit, message) => {
    expect(errorOf(aVkpVitalSignObservation(sign, { value, unit }))).toEqual({
      code: 'NORMALIZE.IMPLAUSIBLE_VALUE',
      message,
      expression: 'Observation.valueQuantity.value',
      vkpCode: '2',
    });
  });

  it('refuses a blood pressure whose systolic is not above its diastolic', () => {
    expect(errorOf(aVkpBloodPressureObservation({ systolic: 80, diastolic: 95 }))).toMatchObject({
      code: 'NORMALIZE.IMPLAUSIBLE_VALUE',
      expression: 'Observation.component[0].valueQuantity.value',
    });
  });

  it('refuses an implausible component, naming it', () => {
    expect(errorOf(aVkpBloodPressureObservation({ systolic: 1320 }))).toMatchObject({
      code: 'NORMALIZE.IMPLAUSIBLE_VALUE',
      expression: 'Observation.component[0].valueQuantity.value',
    });
  });

  it('refuses a blood pressure without its diastolic component', () => {
    const observation = aVkpBloodPressureObservation();
    observation.component = observation.component!.slice(0, 1);

    expect(errorOf(observation)).toMatchObject({
      code: 'NORMALIZE.MISSING_ELEMENT',
      message: 'A blood pressure measurement needs a diastolic blood pressure component.',
      expression: 'Observation.component',
    });
  });

  it('refuses a temperature in a unit that is not a temperature', () => {
    expect(errorOf(aVkpVitalSignObservation('bodyTemperature', { unit: 'kg' }))).toMatchObject({
      code: 'NORMALIZE.UNIT_NOT_CONVERTIBLE',
      message: 'Body temperature in "kg" cannot be converted to °C (UCUM Cel).',
      expression: 'Observation.valueQuantity.code',
    });
  });

  it('refuses a known measurement without a unit', () => {
    const observation = aVkpVitalSignObservation('heartRate');
    observation.valueQuantity = { value: 72 };

    expect(errorOf(observation)).toMatchObject({
      code: 'NORMALIZE.UNIT_NOT_CONVERTIBLE',
      expression: 'Observation.valueQuantity.unit',
    });
  });

  it('refuses a number sent as text', () => {
    const observation = aVkpVitalSignObservation('bodyTemperature') as unknown as {
      resourceType: string;
      valueQuantity: Record<string, unknown>;
    };
    observation.valueQuantity['value'] = '37.2';

    expect(errorOf(observation)).toMatchObject({
      code: 'NORMALIZE.INVALID_FORMAT',
      expression: 'Observation.valueQuantity.value',
      vkpCode: '2.4',
    });
  });

  it('refuses a vital sign that is not a quantity', () => {
    const observation = aVkpVitalSignObservation('heartRate');
    delete observation.valueQuantity;
    observation.valueInteger = 72;

    expect(errorOf(observation)).toMatchObject({
      code: 'NORMALIZE.INVALID_FORMAT',
      expression: 'Observation.valueInteger',
    });
  });

  describe('any other LOINC/UCUM measurement', () => {
    function steps(quantity: Observation['valueQuantity']): Observation {
      return {
        ...aVkpVitalSignObservation('heartRate'),
        code: { coding: [{ system: loinc, code: '55423-8', display: 'Number of steps' }] },
        valueQuantity: quantity,
      };
    }

    it('keeps a UCUM quantity as sent', () => {
      const event = onlyEventOf(
        steps({ value: 4210, unit: 'steps', system: ucum, code: '{steps}' }),
      );

      expect(bodyOf(event, 'Measurement')).toMatchObject({
        code: { system: loinc, code: '55423-8', display: 'Number of steps' },
        value: { value: 4210, unit: 'steps', system: ucum, code: '{steps}' },
      });
    });

    it('codes a known unit spelling in UCUM', () => {
      const event = onlyEventOf(steps({ value: 5.4, unit: 'mmol/l' }));

      expect(bodyOf(event, 'Measurement').value).toEqual({
        value: 5.4,
        unit: 'mmol/l',
        system: ucum,
        code: 'mmol/L',
      });
    });

    it('keeps an unknown unit uncoded', () => {
      const event = onlyEventOf(steps({ value: 3, unit: 'skritt per økt' }));

      expect(bodyOf(event, 'Measurement').value).toEqual({
        value: 3,
        unit: 'skritt per økt',
        system: null,
        code: null,
      });
    });
  });

  it('renders a non-quantity value as text', () => {
    const observation: Observation = {
      ...aVkpVitalSignObservation('heartRate'),
      code: { coding: [{ system: loinc, code: '72514-3', display: 'Pain severity' }] },
      valueQuantity: undefined,
      valueCodeableConcept: {
        coding: [{ system: 'http://example.org', code: 'moderate', display: 'Moderat' }],
      },
    };

    expect(bodyOf(onlyEventOf(observation), 'Measurement')).toMatchObject({
      value: null,
      valueText: 'Moderat',
    });
  });

  it('says why a value is absent', () => {
    const observation = aVkpVitalSignObservation('heartRate');
    delete observation.valueQuantity;
    observation.dataAbsentReason = {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
          code: 'error',
          display: 'Error',
        },
      ],
    };

    expect(bodyOf(onlyEventOf(observation), 'Measurement').valueText).toBe('Data absent: Error');
  });

  it('fails without any value', () => {
    const observation = aVkpVitalSignObservation('heartRate');
    delete observation.valueQuantity;

    expect(errorOf(observation)).toMatchObject({
      code: 'NORMALIZE.MISSING_ELEMENT',
      expression: 'Observation.value[x]',
    });
  });

  it('fails without a coded code', () => {
    const observation = aVkpVitalSignObservation('heartRate');
    observation.code = { text: 'Puls' };

    expect(errorOf(observation)).toMatchObject({
      code: 'NORMALIZE.MISSING_ELEMENT',
      expression: 'Observation.code.coding',
    });
  });

  it('takes the time from effectivePeriod.start when there is no effectiveDateTime', () => {
    const observation = aVkpVitalSignObservation('bodyWeight');
    delete observation.effectiveDateTime;
    observation.effectivePeriod = { start: '2025-01-14T20:00:00Z' };

    expect(onlyEventOf(observation).occurredAt).toBe(Date.parse('2025-01-14T20:00:00Z'));
  });
});
