import { vkpOperationOutcomeCategoryOf } from '@knutepunkt/fhir';
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
  aVkpPatient,
  aVkpQuestionnaireResponse,
  aVkpResponseCentreComposition,
  aVkpSupervisionBundle,
  aVkpVitalSignObservation,
  syntheticIdentityNumber,
  vkpDeviceIdentifier,
  vkpDispenseMessageFullUrls,
  vkpPatientIdentifier,
} from '@knutepunkt/fhir/testing';
import { tagWelfareEventBody, type WelfareEvent } from '@knutepunkt/schemas';
import { fixtureIds } from '@knutepunkt/schemas/testing';
import type { Bundle } from '@medplum/fhirtypes';
import { eventIdOf } from './event-id';
import { normalizeSubmission } from './normalize-submission';
import { normalizeErrorCodes } from './normalize-error';
import {
  errorOf,
  eventsOf,
  invalidAvroPaths,
  normalize,
  onlyEventOf,
  submissionOf,
  testContext,
} from './normalize.spec-helper';

const kindsOf = (events: readonly WelfareEvent[]) =>
  events.map((event) => tagWelfareEventBody(event.body).kind);

describe('normalizeSubmission', () => {
  describe('every kind ingest accepts', () => {
    it.each([
      ['MedicationDispense', aVkpMedicationDispense(), ['MedicationDispensing']],
      ['DetectedIssue', aVkpDetectedIssue(), ['Alert']],
      ['Flag', aVkpLegacyFlag(), ['Alert']],
      ['Encounter', aVkpDigitalEncounter(), ['DigitalVisit']],
      ['Observation', aVkpBloodPressureObservation(), ['Measurement']],
      ['Composition', aVkpResponseCentreComposition(), ['Note']],
      ['QuestionnaireResponse', aVkpQuestionnaireResponse(), ['QuestionnaireAnswer']],
      ['document Bundle (alarm)', aVkpAlarmBundle(), ['Alert']],
      ['message Bundle (GPS)', aVkpGpsLocationBundle(), ['Location']],
      ['collection Bundle (supervision)', aVkpSupervisionBundle(), ['DigitalVisit']],
      [
        'collection Bundle (measurements)',
        aVkpMeasurementCollection(),
        ['Measurement', 'Measurement', 'Measurement', 'Measurement'],
      ],
      [
        'message Bundle (dispense)',
        aVkpMedicationDispenseMessage(),
        ['Alert', 'MedicationDispensing', 'Note'],
      ],
    ] as const)('turns a %s into valid WelfareEvents', (_name, resource, kinds) => {
      const submission = submissionOf(resource);
      const events = eventsOf(resource);

      expect(kindsOf(events)).toEqual(kinds);
      for (const event of events) {
        expect(invalidAvroPaths(event)).toEqual([]);
        expect(event).toMatchObject({
          submissionId: submission.submissionId,
          receivedAt: submission.receivedAt,
          orgnr: submission.orgnr,
          clientId: submission.clientId,
          sourceSystem: submission.sourceSystem,
        });
        expect(event.originalResources.length).toBeGreaterThan(0);
      }
    });

    it('accepts a transaction Bundle, skipping entries without a resource', () => {
      const bundle: Bundle = {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { request: { method: 'DELETE', url: 'Observation/old-1' } },
          {
            fullUrl: 'urn:uuid:5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b',
            resource: aVkpVitalSignObservation('bodyTemperature'),
            request: { method: 'POST', url: 'Observation' },
          },
        ],
      };

      expect(kindsOf(eventsOf(bundle))).toEqual(['Measurement']);
    });
  });

  it('carries a resource submitted on its own as the very text received', () => {
    const fhirJson = `  ${JSON.stringify(aVkpMedicationDispense(), null, 2)}\n`;
    const result = normalizeSubmission(
      submissionOf(aVkpMedicationDispense(), { fhirJson }),
      testContext,
    );

    expect(result.ok && result.value[0]?.originalResources).toEqual([
      { resourceType: 'MedicationDispense', id: 'md-0001', fullUrl: null, json: fhirJson },
    ]);
  });

  describe('event ids', () => {
    it('are the same when the same submission is normalized again', () => {
      const first = eventsOf(aVkpMeasurementCollection());
      const again = eventsOf(aVkpMeasurementCollection());

      expect(again.map((event) => event.eventId)).toEqual(first.map((event) => event.eventId));
    });

    it('differ between the events of one submission', () => {
      const ids = eventsOf(aVkpMeasurementCollection()).map((event) => event.eventId);

      expect(new Set(ids).size).toBe(4);
    });

    it('differ between submissions of the same content', () => {
      const first = onlyEventOf(aVkpMedicationDispense());
      const second = onlyEventOf(aVkpMedicationDispense(), {
        submissionId: '0d9c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a',
      });

      expect(second.eventId).not.toBe(first.eventId);
    });

    it('are UUID v5 of the submission id and the entry’s fullUrl, or "resource" on its own', () => {
      const [, dispense] = eventsOf(aVkpMedicationDispenseMessage());
      const alone = onlyEventOf(aVkpMedicationDispense());

      expect(dispense?.eventId).toBe(
        eventIdOf(fixtureIds.submissionId, vkpDispenseMessageFullUrls.dispense),
      );
      expect(alone.eventId).toBe(eventIdOf(fixtureIds.submissionId, 'resource'));
      expect(alone.eventId).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    });

    it('use the entry position when fullUrls are missing or repeated', () => {
      const bundle = aVkpMeasurementCollection();
      delete bundle.entry![0]!.fullUrl;
      bundle.entry![2]!.fullUrl = bundle.entry![1]!.fullUrl;

      const ids = eventsOf(bundle).map((event) => event.eventId);

      expect(ids.slice(0, 3)).toEqual([
        eventIdOf(fixtureIds.submissionId, 'entry[0]'),
        eventIdOf(fixtureIds.submissionId, 'entry[1]'),
        eventIdOf(fixtureIds.submissionId, 'entry[2]'),
      ]);
    });
  });

  describe('order', () => {
    it('follows MessageHeader.focus in a message, not the entry order', () => {
      const events = eventsOf(aVkpMedicationDispenseMessage());

      expect(events.map((event) => event.originalResources[0]?.fullUrl)).toEqual([
        vkpDispenseMessageFullUrls.flag,
        vkpDispenseMessageFullUrls.dispense,
        vkpDispenseMessageFullUrls.composition,
      ]);
    });

    it('follows the entry order in other Bundles', () => {
      const bundle = aVkpMeasurementCollection();
      bundle.entry!.reverse();

      expect(eventsOf(bundle).map((event) => tagWelfareEventBody(event.body).value)).toMatchObject([
        { code: { code: '29463-7' } },
        { code: { code: '59408-5' } },
        { code: { code: '8867-4' } },
        { code: { code: '85354-9' } },
      ]);
    });

    it('makes events only of the focus in a message', () => {
      const bundle = aVkpMedicationDispenseMessage();
      const header = bundle.entry![0]!.resource as { focus: unknown[] };
      header.focus = [{ reference: vkpDispenseMessageFullUrls.dispense }];

      expect(kindsOf(eventsOf(bundle))).toEqual(['MedicationDispensing']);
    });

    it('makes events of every event resource of a message without focus', () => {
      const bundle = aVkpMedicationDispenseMessage();
      const header = bundle.entry![0]!.resource as { focus?: unknown[] };
      delete header.focus;

      expect(kindsOf(eventsOf(bundle))).toEqual(['MedicationDispensing', 'Note', 'Alert']);
    });
  });

  describe('the patient', () => {
    it('is found through a reference to the Bundle’s Patient entry by its Type/id', () => {
      const patient = vkpPatientIdentifier(21);
      const observation = aVkpVitalSignObservation('heartRate');
      observation.subject = {
        reference: 'https://epj.knutepunkt.test/fhir/Patient/patient-0001/_history/2',
      };
      const bundle: Bundle = {
        resourceType: 'Bundle',
        type: 'collection',
        entry: [
          { fullUrl: 'https://vendor.knutepunkt.test/fhir/Observation/1', resource: observation },
          {
            fullUrl: 'urn:uuid:8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d1e',
            resource: aVkpPatient(patient),
          },
        ],
      };

      const event = onlyEventOf(bundle);

      expect(event.patient).toEqual({
        identifier: patient,
        patientKey: testContext.patientKey(event.orgnr, patient),
      });
      expect(event.originalResources.map((resource) => resource.resourceType)).toEqual([
        'Observation',
        'Patient',
      ]);
    });

    it('is found in a contained Patient, preferring the national identity number', () => {
      const observation = aVkpVitalSignObservation('heartRate');
      const patient = aVkpPatient();
      patient.identifier = [
        { system: 'https://epj.knutepunkt.test/lopenummer', value: '100234' },
        { ...vkpPatientIdentifier(5) },
      ];
      observation.contained = [{ ...patient, id: 'p1' }];
      observation.subject = { reference: '#p1' };

      expect(onlyEventOf(observation).patient?.identifier).toEqual(vkpPatientIdentifier(5));
    });

    it('may be a D-number', () => {
      const dNumber = {
        system: 'urn:oid:2.16.578.1.12.4.1.4.2',
        value: syntheticIdentityNumber(9, { kind: 'd-number' }),
      };

      expect(onlyEventOf(aVkpMedicationDispense({ patient: dNumber })).patient?.identifier).toEqual(
        dNumber,
      );
    });

    it('keys the patient with the injected function, per municipality', () => {
      const calls: string[] = [];
      const result = normalizeSubmission(submissionOf(aVkpMedicationDispense()), {
        patientKey: (orgnr, identifier) => {
          calls.push(`${orgnr}:${identifier.system}`);
          return 'k'.repeat(64);
        },
      });

      expect(result.ok && result.value[0]?.patient?.patientKey).toBe('k'.repeat(64));
      expect(calls).toEqual([
        `${submissionOf(aVkpMedicationDispense()).orgnr}:urn:oid:2.16.578.1.12.4.1.4.1`,
      ]);
    });

    it('is null for an event that names only a device (attributed later through a device loan)', () => {
      const observation = aVkpVitalSignObservation('heartRate');
      delete (observation as { subject?: unknown }).subject;
      observation.device = { identifier: vkpDeviceIdentifier('BP-7700-0815') };

      const event = onlyEventOf(observation);

      expect(event.patient).toBeNull();
      expect(event.device?.identifier).toEqual(vkpDeviceIdentifier('BP-7700-0815'));
    });

    it('refuses an event that names neither patient nor device', () => {
      const observation = aVkpVitalSignObservation('heartRate');
      delete (observation as { subject?: unknown }).subject;

      expect(errorOf(observation)).toMatchObject({
        code: 'NORMALIZE.NO_PATIENT',
        expression: 'Observation.subject',
        vkpCode: '2',
      });
    });

    it('refuses a national identity number with a wrong check digit, without quoting it', () => {
      const number = vkpPatientIdentifier(1).value;
      const wrong = `${number.slice(0, 10)}${(Number(number[10]) + 1) % 10}`;
      const error = errorOf(
        aVkpMedicationDispense({
          patient: { system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: wrong },
        }),
      );

      expect(error).toMatchObject({
        code: 'NORMALIZE.INVALID_PATIENT_IDENTIFIER',
        expression: 'MedicationDispense.subject.identifier.value',
        vkpCode: '2.1',
      });
      expect(error.message).not.toContain(wrong);
    });

    it('refuses a D-number sent as a fødselsnummer', () => {
      const dNumber = syntheticIdentityNumber(9, { kind: 'd-number' });

      expect(
        errorOf(
          aVkpMedicationDispense({
            patient: { system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: dNumber },
          }),
        ),
      ).toMatchObject({ code: 'NORMALIZE.INVALID_PATIENT_IDENTIFIER', vkpCode: '2.1' });
    });

    it('refuses a reference to a Patient the submission does not hold', () => {
      const observation = aVkpVitalSignObservation('heartRate');
      observation.subject = { reference: 'Patient/elsewhere' };

      expect(errorOf(observation)).toMatchObject({
        code: 'NORMALIZE.UNRESOLVED_REFERENCE',
        expression: 'Observation.subject.reference',
      });
    });

    it('refuses a subject identifier without a value', () => {
      const observation = aVkpVitalSignObservation('heartRate');
      observation.subject = { identifier: { system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: '' } };

      expect(errorOf(observation)).toMatchObject({
        code: 'NORMALIZE.NO_PATIENT',
        expression: 'Observation.subject.identifier',
      });
    });
  });

  describe('the urgent lane', () => {
    it.each([
      ['a fall', true, aVkpDetectedIssue({ alertCode: '4.1', severity: '10' })],
      ['a fire alarm', true, aVkpDetectedIssue({ alertCode: '4.11', severity: null })],
      ['a safety alarm', true, aVkpDetectedIssue({ alertCode: '3', severity: null })],
      ['severity 30', true, aVkpDetectedIssue({ alertCode: '4.9', severity: '30' })],
      ['severity 20', false, aVkpDetectedIssue({ alertCode: '4.9', severity: '20' })],
      ['triage red', true, aVkpDetectedIssue({ alertCode: '1.17', severity: null, triage: 'R' })],
      [
        'triage yellow',
        false,
        aVkpDetectedIssue({ alertCode: '1.17', severity: null, triage: 'Y' }),
      ],
      ['a low battery', false, aVkpDetectedIssue({ alertCode: '1.17', severity: null })],
      ['a measurement', false, aVkpBloodPressureObservation()],
      ['a dispense', false, aVkpMedicationDispense()],
    ] as const)('takes %s as urgent: %s', (_name, urgent, resource) => {
      expect(onlyEventOf(resource).urgent).toBe(urgent);
    });
  });

  describe('structural slips vendors make (the JSON is read before ingest’s repair)', () => {
    it('reads a single object where FHIR wants an array, and skips empty strings', () => {
      const dispense = aVkpMedicationDispense() as unknown as Record<string, unknown>;
      dispense['performer'] = (dispense['performer'] as unknown[])[0];
      dispense['dosageInstruction'] = (dispense['dosageInstruction'] as unknown[])[0];
      dispense['note'] = '';
      (dispense['subject'] as Record<string, unknown>)['display'] = '';

      const event = onlyEventOf(dispense as { resourceType: string });

      expect(event.device?.identifier).toEqual(vkpDeviceIdentifier('MD-200-004711'));
      expect(event.occurredAt).toBe(Date.parse('2025-01-15T08:02:30+01:00'));
    });

    it('reads an array where FHIR wants one object', () => {
      const observation = aVkpVitalSignObservation('heartRate') as unknown as Record<
        string,
        unknown
      >;
      observation['subject'] = [observation['subject']];
      observation['code'] = [observation['code']];

      expect(onlyEventOf(observation as { resourceType: string }).patient).not.toBeNull();
    });
  });

  describe('what cannot be read', () => {
    it('refuses text that is not JSON', () => {
      expect(
        normalizeSubmission(
          submissionOf({ resourceType: 'Observation' }, { fhirJson: '{"resourceType": ' }),
          testContext,
        ),
      ).toEqual({
        ok: false,
        error: {
          code: 'NORMALIZE.MALFORMED_JSON',
          message: 'The submission is not valid JSON.',
          vkpCode: '2.4',
        },
      });
    });

    it.each([
      ['[]', 'NORMALIZE.NOT_A_RESOURCE'],
      ['{"id": "1"}', 'NORMALIZE.NOT_A_RESOURCE'],
      ['{"resourceType": "Observation"}', 'NORMALIZE.RESOURCE_TYPE_MISMATCH'],
    ])('refuses %s accepted as a MedicationDispense', (fhirJson, code) => {
      const result = normalizeSubmission(
        submissionOf({ resourceType: 'MedicationDispense' }, { fhirJson }),
        testContext,
      );

      expect(result.ok ? null : result.error.code).toBe(code);
    });

    it('refuses a resource type ingest does not accept', () => {
      expect(errorOf(aVkpPatient())).toMatchObject({
        code: 'NORMALIZE.UNSUPPORTED_RESOURCE_TYPE',
        expression: 'resourceType',
      });
    });

    it('refuses a searchset Bundle', () => {
      const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', entry: [] };

      expect(errorOf(bundle)).toMatchObject({
        code: 'NORMALIZE.UNSUPPORTED_BUNDLE_TYPE',
        expression: 'Bundle.type',
      });
    });

    it('refuses a Bundle without any event resource', () => {
      const bundle: Bundle = {
        resourceType: 'Bundle',
        type: 'collection',
        entry: [
          { fullUrl: 'urn:uuid:6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c', resource: aVkpPatient() },
        ],
      };

      expect(errorOf(bundle)).toMatchObject({ code: 'NORMALIZE.NO_EVENTS', expression: 'Bundle' });
    });

    it('refuses an entry resource without resourceType', () => {
      const bundle = aVkpMeasurementCollection() as unknown as {
        entry: { resource: Record<string, unknown> }[];
      };
      delete bundle.entry[1]!.resource['resourceType'];

      expect(errorOf(bundle as unknown as Bundle)).toMatchObject({
        code: 'NORMALIZE.NOT_A_RESOURCE',
        expression: 'Bundle.entry[1].resource.resourceType',
      });
    });

    it('refuses a message whose focus points at nothing', () => {
      const bundle = aVkpGpsLocationBundle();
      (bundle.entry![0]!.resource as { focus: unknown[] }).focus = [
        { reference: 'urn:uuid:00000000-0000-4000-8000-000000000000' },
      ];

      expect(errorOf(bundle)).toMatchObject({
        code: 'NORMALIZE.UNRESOLVED_REFERENCE',
        expression: 'Bundle.entry[0].resource.focus[0].reference',
      });
    });

    it('fails the whole submission when one of its events fails', () => {
      const bundle = aVkpMeasurementCollection();
      bundle.entry!.push({
        fullUrl: 'urn:uuid:7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
        resource: aVkpVitalSignObservation('bodyTemperature', { value: 370 }),
      });

      expect(errorOf(bundle)).toMatchObject({
        code: 'NORMALIZE.IMPLAUSIBLE_VALUE',
        expression: 'Bundle.entry[4].resource.valueQuantity.value',
      });
    });
  });

  it('gives every error code a VKP operation-outcome code for invalid data (2.x)', () => {
    for (const vkpCode of Object.values(normalizeErrorCodes)) {
      expect(vkpOperationOutcomeCategoryOf(vkpCode)).toBe('invalid');
    }
  });

  it('never puts the patient’s number in an error message', () => {
    const patient = vkpPatientIdentifier(2);
    const broken = aVkpMedicationDispense({ patient, eventCode: '7' });

    expect(JSON.stringify(errorOf(broken))).not.toContain(patient.value);
    expect(normalize(broken).ok).toBe(false);
  });
});
