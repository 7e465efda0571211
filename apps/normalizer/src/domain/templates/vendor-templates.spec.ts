import type { WelfareEvent } from '@knutepunkt/schemas';
import { syntheticFodselsnummer } from '@knutepunkt/schemas/testing';
import { bodyOf, invalidAvroPaths } from '../normalize.spec-helper';
import {
  deviceEventsOf,
  deviceSubmission,
  exampleOf,
  normalizeDevice,
  templateContext,
} from './templates.spec-helper';
import { aVkpAlarmBundle, vkpJson } from '@knutepunkt/fhir/testing';
import { normalizeAccepted } from '../normalize-accepted';
import { submissionOf, testContext } from '../normalize.spec-helper';
import { normalizeSubmission } from '../normalize-submission';
import { deviceTemplateTagSystem } from '@knutepunkt/device-templates';

const fnr = '02818000726';
const fodselsnummerSystem = 'urn:oid:2.16.578.1.12.4.1.4.1';

function errorOf(ref: string, document: unknown) {
  const result = normalizeDevice(ref, document);
  if (result.ok) throw new Error(`Expected an error, got ${result.value.length} event(s)`);
  return result.error;
}

function expectValidAvro(events: readonly WelfareEvent[]): void {
  for (const event of events) expect(invalidAvroPaths(event)).toEqual([]);
}

describe('template doseguard-event-log.v1 (medication dispenser event log)', () => {
  const ref = 'doseguard-event-log.v1';

  it('makes one MedicationDispensing per log entry: taken, as-needed, missed', () => {
    const events = deviceEventsOf(ref, exampleOf(ref));
    expectValidAvro(events);
    expect(events.map((event) => bodyOf(event, 'MedicationDispensing').event.code)).toEqual([
      '1.1',
      '1.3',
      '1',
    ]);
    const [taken, asNeeded, missed] = events.map((event) => bodyOf(event, 'MedicationDispensing'));
    expect(taken).toMatchObject({
      status: 'completed',
      event: { display: 'medisin utlevert uassistert' },
      plannedAt: Date.parse('2026-11-28T08:00:00+01:00'),
      handedOverAt: Date.parse('2026-11-28T08:00:41+01:00'),
      dosageText: 'Morgen: 4 tabletter',
      statusReason: null,
    });
    expect(asNeeded?.medication).toEqual({ codings: [], text: 'Paracetamol 500 mg' });
    expect(missed).toMatchObject({
      status: 'not-done',
      handedOverAt: null,
      statusReason: { text: 'Dosen ble ikke tatt ut av dispenseren innen tidsvinduet' },
    });
  });

  it('names patient and dispenser, decides MD by the service rules, keeps the routine lane', () => {
    const [event] = deviceEventsOf(ref, exampleOf(ref));
    expect(event).toMatchObject({
      service: 'MD',
      urgent: false,
      occurredAt: Date.parse('2026-11-28T08:00:41+01:00'),
      patient: { identifier: { system: fodselsnummerSystem, value: fnr } },
      device: {
        identifier: { system: 'urn:doseguard:serial', value: 'DG-204519' },
        vendor: 'DoseGuard AS',
        model: 'DoseGuard 3',
        type: { text: 'Medisindispenser' },
      },
      originalResources: [{ resourceType: 'Binary' }],
    });
    expect(event?.patient?.patientKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same event ids when the same submission is normalized again', () => {
    const submission = deviceSubmission(ref, exampleOf(ref));
    const first = normalizeAccepted(submission, templateContext);
    const again = normalizeAccepted(submission, templateContext);
    const ids = (result: typeof first) => (result.ok ? result.value.map((e) => e.eventId) : []);
    expect(ids(first)).toHaveLength(3);
    expect(new Set(ids(first)).size).toBe(3);
    expect(ids(again)).toEqual(ids(first));
  });

  it('fails an entry of a type the template does not know, naming its path', () => {
    const document = exampleOf(ref);
    (document['events'] as Record<string, unknown>[])[1]!['type'] = 'DOSE_SPILLED';
    expect(errorOf(ref, document)).toMatchObject({
      code: 'NORMALIZE.UNKNOWN_CODE',
      expression: '$.events[1].type',
      vkpCode: '2',
    });
  });

  it('fails an entry without a time zone, naming its path', () => {
    const document = exampleOf(ref);
    (document['events'] as Record<string, unknown>[])[2]!['time'] = '2026-11-28 09:10';
    expect(errorOf(ref, document)).toMatchObject({
      code: 'NORMALIZE.INVALID_FORMAT',
      expression: '$.events[2].time',
    });
  });

  it('fails a log without its events array, and a bad national identity number', () => {
    const noEvents = exampleOf(ref);
    delete noEvents['events'];
    expect(errorOf(ref, noEvents)).toMatchObject({
      code: 'NORMALIZE.MISSING_ELEMENT',
      expression: '$.events',
    });
    expect(errorOf(ref, { ...exampleOf(ref), client: { nin: '02818000727' } })).toMatchObject({
      code: 'NORMALIZE.INVALID_PATIENT_IDENTIFIER',
      expression: '$.client.nin',
      vkpCode: '2.1',
    });
  });

  it('applies the environment rule: a synthetic number fails in production', () => {
    const production = { ...templateContext, environment: 'production' as const };
    const result = normalizeDevice(
      ref,
      { ...exampleOf(ref), client: { nin: syntheticFodselsnummer(4) } },
      production,
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.expression).toBe('$.client.nin');
  });
});

describe('template nattro-bed-sensor.v1 (bed and fall sensor)', () => {
  const ref = 'nattro-bed-sensor.v1';

  it('makes a detected fall an urgent TA alert (4.1, severity 40) at the epoch time sent', () => {
    const [event, ...more] = deviceEventsOf(ref, exampleOf(ref));
    expect(more).toEqual([]);
    expectValidAvro([event!]);
    expect(event).toMatchObject({
      service: 'TA',
      urgent: true,
      occurredAt: 1795829520 * 1000,
      severity: { code: '40', display: 'Kritisk' },
      device: { identifier: { system: 'urn:nattro:sensor-id', value: 'NS-88213' } },
    });
    expect(bodyOf(event!, 'Alert')).toMatchObject({
      code: { code: '4.1', display: 'Fall' },
      status: 'final',
      detail: 'Soverom',
    });
  });

  it('makes leaving the bed a routine DT alert (4.2)', () => {
    const document = { ...exampleOf(ref), alarm: { type: 'OUT_OF_BED', at: 1795829520 } };
    const [event] = deviceEventsOf(ref, document);
    expect(event).toMatchObject({ service: 'DT', urgent: false });
    expect(bodyOf(event!, 'Alert').code.code).toBe('4.2');
  });

  it('takes an alarm that names only the sensor (the device loan attributes it)', () => {
    const sensorOnly = exampleOf(ref);
    delete sensorOnly['resident'];
    const [event] = deviceEventsOf(ref, sensorOnly);
    expect(event?.patient).toBeNull();
    expect(event?.device?.identifier?.value).toBe('NS-88213');
  });

  it('fails an alarm whose time is text instead of epoch seconds', () => {
    const document = { ...exampleOf(ref), alarm: { type: 'FALL_DETECTED', at: '1795829520' } };
    expect(errorOf(ref, document)).toMatchObject({
      code: 'NORMALIZE.INVALID_FORMAT',
      expression: '$.alarm.at',
    });
  });

  it('fails an alarm with neither resident nor sensor id', () => {
    const document = { alarm: { type: 'FALL_DETECTED', at: 1795829520 }, sensor: {} };
    expect(errorOf(ref, document)).toMatchObject({
      code: 'NORMALIZE.MISSING_ELEMENT',
      expression: '$.sensor.id',
    });
  });
});

describe('template tensio-bp-cuff.v1 (blood-pressure cuff)', () => {
  const ref = 'tensio-bp-cuff.v1';

  it('makes a blood-pressure panel and a heart rate of a reading with a pulse, and a panel alone without', () => {
    const events = deviceEventsOf(ref, exampleOf(ref));
    expectValidAvro(events);
    expect(events.map((event) => bodyOf(event, 'Measurement').code.code)).toEqual([
      '85354-9',
      '8867-4',
      '85354-9',
    ]);
    expect(events.every((event) => event.service === 'DHO' && !event.urgent)).toBe(true);
    const [panel, pulse] = events.map((event) => bodyOf(event, 'Measurement'));
    expect(panel?.components.map((c) => [c.code.code, c.value?.value, c.value?.code])).toEqual([
      ['8480-6', 132, 'mm[Hg]'],
      ['8462-4', 84, 'mm[Hg]'],
    ]);
    expect(pulse?.value).toEqual({
      value: 71,
      unit: 'beats/min',
      system: 'http://unitsofmeasure.org',
      code: '/min',
    });
  });

  it('converts kPa to mmHg (UCUM mm[Hg])', () => {
    const events = deviceEventsOf(ref, exampleOf(ref));
    const evening = bodyOf(events[2]!, 'Measurement');
    expect(evening.components.map((c) => c.value)).toEqual([
      { value: 132.010856155, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
      { value: 84.0069084624, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    ]);
  });

  it('fails an implausible systolic value through the measurement rules, naming its path', () => {
    const document = exampleOf(ref);
    (document['readings'] as Record<string, unknown>[])[0]!['sys'] = 400;
    const error = errorOf(ref, document);
    expect(error).toMatchObject({
      code: 'NORMALIZE.IMPLAUSIBLE_VALUE',
      expression: '$.readings[0].sys',
    });
    expect(error.message).toMatch(/400 mmHg is outside the plausible range 40–300/);
  });

  it('fails a systolic below the diastolic, and a unit it cannot convert', () => {
    const swapped = exampleOf(ref);
    Object.assign((swapped['readings'] as Record<string, unknown>[])[0]!, { sys: 80, dia: 120 });
    expect(errorOf(ref, swapped)).toMatchObject({
      code: 'NORMALIZE.IMPLAUSIBLE_VALUE',
      expression: '$.readings[0].sys',
    });
    const inches = exampleOf(ref);
    (inches['readings'] as Record<string, unknown>[])[1]!['unit'] = 'inHg';
    expect(errorOf(ref, inches)).toMatchObject({
      code: 'NORMALIZE.UNKNOWN_CODE',
      expression: '$.readings[1].unit',
    });
  });

  it('fails a value of the wrong type, and a missing one', () => {
    const text = exampleOf(ref);
    (text['readings'] as Record<string, unknown>[])[0]!['dia'] = '84';
    expect(errorOf(ref, text)).toMatchObject({
      code: 'NORMALIZE.INVALID_FORMAT',
      expression: '$.readings[0].dia',
    });
    const missing = exampleOf(ref);
    delete (missing['readings'] as Record<string, unknown>[])[1]!['dia'];
    expect(errorOf(ref, missing)).toMatchObject({
      code: 'NORMALIZE.MISSING_ELEMENT',
      expression: '$.readings[1].dia',
    });
  });
});

describe('device submissions in general', () => {
  it('fail a template version this normalizer does not have', () => {
    expect(errorOf('tensio-bp-cuff.v9', {})).toMatchObject({
      code: 'NORMALIZE.UNKNOWN_TEMPLATE',
      vkpCode: '2',
    });
  });

  it('leave FHIR submissions to the FHIR mapping, also one that mentions the tag system', () => {
    const alarm = JSON.parse(vkpJson(aVkpAlarmBundle())) as Record<string, unknown>;
    alarm['meta'] = { tag: [{ system: 'urn:other', code: deviceTemplateTagSystem }] };
    const submission = submissionOf(alarm as { resourceType: string });
    const viaFhir = normalizeSubmission(submission, testContext);
    expect(viaFhir.ok).toBe(true);
    expect(normalizeAccepted(submission, templateContext)).toEqual(viaFhir);
  });

  it('fail a vendor document that is not JSON', () => {
    expect(errorOf('tensio-bp-cuff.v1', '{"readings": [')).toMatchObject({
      code: 'NORMALIZE.MALFORMED_JSON',
    });
  });
});
