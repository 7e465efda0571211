import { vkpMedicationDispenseEvents } from '@knutepunkt/fhir';
import {
  aVkpMedicationDispense,
  vkpDeviceIdentifier,
  vkpFixtureTimes,
  vkpPatientIdentifier,
} from '@knutepunkt/fhir/testing';
import type { Medication } from '@medplum/fhirtypes';
import {
  bodyOf,
  copyOf,
  errorOf,
  invalidAvroPaths,
  onlyEventOf,
  testContext,
} from './normalize.spec-helper';
import { unscopedDeviceIdentifierSystem } from './vkp-systems';

describe('MedicationDispense → MedicationDispensing', () => {
  it.each(vkpMedicationDispenseEvents.concepts.map((concept) => [concept.code, concept.display]))(
    'maps event code %s (%s) to an MD event',
    (code, display) => {
      const event = onlyEventOf(aVkpMedicationDispense({ eventCode: code, eventDisplay: '' }));

      expect(bodyOf(event, 'MedicationDispensing').event).toEqual({
        system: vkpMedicationDispenseEvents.url,
        code,
        display: display ?? null,
      });
      expect(event.service).toBe('MD');
      expect(event.urgent).toBe(false);
      expect(invalidAvroPaths(event)).toEqual([]);
    },
  );

  it('carries status, medication, planned and hand-over time and dosage text', () => {
    const event = onlyEventOf(aVkpMedicationDispense());

    expect(bodyOf(event, 'MedicationDispensing')).toEqual({
      event: expect.objectContaining({ code: '1.1' }) as unknown,
      status: 'completed',
      statusReason: null,
      medication: { codings: [], text: 'Multidosepose morgen (4 tabletter)' },
      plannedAt: Date.parse(vkpFixtureTimes.dosePlanned),
      handedOverAt: Date.parse(vkpFixtureTimes.doseHandedOver),
      dosageText: 'Morgendose kl. 08:00',
    });
    expect(event.occurredAt).toBe(Date.parse(vkpFixtureTimes.doseHandedOver));
  });

  it('maps a missed dose: its status and reason, no hand-over, the planned time as when', () => {
    const event = onlyEventOf(
      aVkpMedicationDispense({ statusReason: 'Dosen ble ikke tatt ut av dispenseren' }),
    );

    expect(bodyOf(event, 'MedicationDispensing')).toMatchObject({
      status: 'declined',
      statusReason: { codings: [], text: 'Dosen ble ikke tatt ut av dispenseren' },
      handedOverAt: null,
    });
    expect(event.occurredAt).toBe(Date.parse(vkpFixtureTimes.dosePlanned));
  });

  it('maps an as-needed dose (1.3 behovsmedisin utlevert)', () => {
    const event = onlyEventOf(aVkpMedicationDispense({ eventCode: '1.3' }));

    expect(bodyOf(event, 'MedicationDispensing').event.display).toBe('behovsmedisin utlevert');
  });

  it('names the patient by subject.identifier and keys it with the injected function', () => {
    const patient = vkpPatientIdentifier(7);
    const event = onlyEventOf(aVkpMedicationDispense({ patient }));

    expect(event.patient).toEqual({
      identifier: patient,
      patientKey: testContext.patientKey(event.orgnr, patient),
    });
  });

  it('takes the dispenser from performer.actor and the device extension', () => {
    const event = onlyEventOf(aVkpMedicationDispense());

    expect(event.device).toEqual({
      id: null,
      identifier: vkpDeviceIdentifier('MD-200-004711'),
      type: { codings: [], text: 'Medisindispenser' },
      vendor: null,
      model: 'Dosell MD-200',
    });
  });

  it('takes the IMEI of the device extension when no performer names the device', () => {
    const dispense = aVkpMedicationDispense();
    delete dispense.performer;

    expect(onlyEventOf(dispense).device?.identifier).toEqual({
      system: unscopedDeviceIdentifierSystem,
      value: '352099001761481',
    });
  });

  it('does not take a practitioner performer for the device', () => {
    const dispense = aVkpMedicationDispense();
    dispense.performer = [
      { actor: { identifier: { system: 'urn:oid:2.16.578.1.12.4.1.4.4', value: '9144900' } } },
    ];

    expect(onlyEventOf(dispense).device?.identifier?.system).toBe(unscopedDeviceIdentifierSystem);
  });

  it('reads the code of a contained Medication', () => {
    const dispense = aVkpMedicationDispense();
    delete dispense.medicationCodeableConcept;
    const medication: Medication = {
      resourceType: 'Medication',
      id: 'multidose',
      code: { text: 'Multidose kveld' },
    };
    dispense.contained = [medication];
    dispense.medicationReference = { reference: '#multidose' };

    expect(bodyOf(onlyEventOf(dispense), 'MedicationDispensing').medication).toEqual({
      codings: [],
      text: 'Multidose kveld',
    });
  });

  it('fails without a category', () => {
    const dispense = aVkpMedicationDispense();
    delete dispense.category;

    expect(errorOf(dispense)).toMatchObject({
      code: 'NORMALIZE.MISSING_ELEMENT',
      expression: 'MedicationDispense.category',
      vkpCode: '2',
    });
  });

  it('fails on a category outside vkp-medicationdispense-events-v090', () => {
    const dispense = aVkpMedicationDispense();
    dispense.category = { coding: [{ system: 'http://example.org/events', code: 'x' }] };

    expect(errorOf(dispense)).toMatchObject({
      code: 'NORMALIZE.UNKNOWN_CODE',
      expression: 'MedicationDispense.category',
    });
  });

  it('fails on an event code the code system does not have', () => {
    const error = errorOf(aVkpMedicationDispense({ eventCode: '9.9' }));

    expect(error).toMatchObject({
      code: 'NORMALIZE.UNKNOWN_CODE',
      expression: 'MedicationDispense.category.coding[0].code',
    });
    expect(error.message).toContain('9.9');
  });

  it('fails without a status', () => {
    const dispense = copyOf(aVkpMedicationDispense()) as unknown as Record<string, unknown>;
    delete dispense['status'];

    expect(errorOf(dispense as { resourceType: string })).toMatchObject({
      code: 'NORMALIZE.MISSING_ELEMENT',
      expression: 'MedicationDispense.status',
    });
  });

  it('fails on a hand-over time without a time zone, naming the element', () => {
    const dispense = aVkpMedicationDispense();
    dispense.whenHandedOver = '2025-01-15T08:02:30';

    expect(errorOf(dispense)).toMatchObject({
      code: 'NORMALIZE.INVALID_FORMAT',
      expression: 'MedicationDispense.whenHandedOver',
      vkpCode: '2.4',
    });
  });
});
