import { vkpFixtureTimes } from '@knutepunkt/fhir/testing';
import {
  nextEvent,
  nextMixedEvent,
  retimed,
  simulatedPatients,
  vendorDocument,
  type SimulatedMunicipality,
} from './traffic';
import { vendorExamples } from './vendor-examples';

/** A deterministic stand-in for Math.random (a linear congruential generator). */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('simulated traffic', () => {
  it('moves the fixture times to now and keeps the intervals between them', () => {
    const now = Date.parse('2026-11-28T21:00:00Z');
    const moved = retimed(
      {
        planned: vkpFixtureTimes.dosePlanned,
        handedOver: vkpFixtureTimes.doseHandedOver,
        other: 'x',
      },
      now,
    );
    expect(moved.other).toBe('x');
    expect(Date.parse(moved.handedOver) - Date.parse(moved.planned)).toBe(150_000);
    expect(Date.parse(retimed({ at: vkpFixtureTimes.alarmRaised }, now).at)).toBe(now);
  });

  it('reserves the given share of patients, each with a usual combination of services', () => {
    const patients = simulatedPatients(100, 20, 0.1, seededRandom(1));
    expect(patients.filter((p) => p.reserved)).toHaveLength(2);
    expect(new Set(patients.map((p) => p.identifier.value)).size).toBe(20);
    expect(patients.every((p) => p.services.length > 0)).toBe(true);
  });

  it('sends only events of the services a patient has, as FHIR of the type it is posted as', () => {
    const random = seededRandom(7);
    const municipalities: SimulatedMunicipality[] = [
      { orgnr: '970000008', patients: simulatedPatients(0, 30, 0, random) },
    ];
    const now = Date.parse('2026-11-28T07:30:00Z');
    for (let n = 0; n < 300; n += 1) {
      const event = nextEvent(municipalities, now, random);
      expect(event.patient.services).toContain(event.service);
      const body = JSON.parse(event.body) as { resourceType: string };
      expect(body.resourceType).toBe(event.type);
      expect(event.body).toContain(event.patient.identifier.value);
      expect(event.body).not.toContain('2025-01-15');
    }
  });

  it('sends home measurements mostly in the morning', () => {
    const random = seededRandom(3);
    const municipalities: SimulatedMunicipality[] = [
      {
        orgnr: '970000008',
        patients: [
          { identifier: { system: 's', value: '1' }, services: ['DHO', 'DT'], reserved: false },
        ],
      },
    ];
    const share = (isoTime: string) => {
      let measurements = 0;
      for (let n = 0; n < 1000; n += 1) {
        if (nextEvent(municipalities, Date.parse(isoTime), random).service === 'DHO')
          measurements += 1;
      }
      return measurements / 1000;
    };
    expect(share('2026-11-28T07:30:00Z')).toBeGreaterThan(share('2026-11-28T23:30:00Z'));
  });

  it('sends the own JSON of a device for the patient, its times moved to now', () => {
    const examples = vendorExamples();
    expect(examples.map((e) => e.template).sort()).toEqual([
      'doseguard-event-log',
      'nattro-bed-sensor',
      'tensio-bp-cuff',
    ]);
    const now = Date.parse('2026-11-28T21:00:00Z');
    for (const example of examples) {
      const text = JSON.stringify(vendorDocument(example, '41018012345', now));
      expect(text).toContain('41018012345');
      expect(text).not.toContain(example.examplePatient);
    }
    const cuff = examples.find((e) => e.template === 'tensio-bp-cuff');
    if (!cuff) throw new Error('no tensio example');
    const moved = vendorDocument(cuff, '41018012345', now) as {
      readings: { measuredAt: string }[];
    };
    expect(Date.parse(moved.readings[0]?.measuredAt ?? '')).toBe(now);
  });

  it('mixes vendor JSON in for patients with the service of the template, at about the share asked', () => {
    const random = seededRandom(11);
    const municipalities: SimulatedMunicipality[] = [
      { orgnr: '970000008', patients: simulatedPatients(0, 30, 0, random) },
    ];
    const examples = vendorExamples();
    let vendorJson = 0;
    for (let n = 0; n < 500; n += 1) {
      const event = nextMixedEvent(municipalities, Date.now(), random, examples, 0.3);
      expect(event.patient.services).toContain(event.service);
      if (event.route === 'devices') vendorJson += 1;
    }
    expect(vendorJson).toBeGreaterThan(25);
    expect(vendorJson).toBeLessThan(200);
  });
});
