import {
  aVkpDigitalEncounter,
  aVkpGpsLocation,
  aVkpGpsLocationBundle,
  vkpDeviceIdentifier,
  vkpFixtureTimes,
  vkpGpsFullUrls,
  vkpPatientIdentifier,
} from '@knutepunkt/fhir/testing';
import type { Bundle } from '@medplum/fhirtypes';
import { bodyOf, errorOf, eventsOf, invalidAvroPaths, onlyEventOf } from './normalize.spec-helper';

describe('GPS position (Location in a LocationMeasurement message) → Location', () => {
  it('maps position, accuracy, zone and the device’s timestamp', () => {
    const event = onlyEventOf(aVkpGpsLocationBundle());

    expect(bodyOf(event, 'Location')).toEqual({
      latitude: 63.4269,
      longitude: 10.4023,
      accuracyMeters: 8.5,
      zone: 'Trondheim|Midtbyen|Sone 3|Bakklandet',
    });
    expect(event).toMatchObject({ service: 'GPS', urgent: false });
    expect(event.occurredAt).toBe(Date.parse(vkpFixtureTimes.positioned));
    expect(invalidAvroPaths(event)).toEqual([]);
  });

  it('takes the patient and the GPS watch from the Bundle, as Location names neither', () => {
    const patient = vkpPatientIdentifier(3);
    const event = onlyEventOf(aVkpGpsLocationBundle({ patient }));

    expect(event.patient?.identifier).toEqual(patient);
    expect(event.device?.identifier).toEqual(vkpDeviceIdentifier('GPS-W5-2231'));
    expect(event.originalResources.map((resource) => resource.fullUrl)).toEqual([
      vkpGpsFullUrls.location,
      vkpGpsFullUrls.patient,
      vkpGpsFullUrls.device,
    ]);
  });

  it('leaves accuracy and zone null when the vendor sends neither', () => {
    const bundle = aVkpGpsLocationBundle();
    const location = bundle.entry![1]!.resource as { extension?: unknown };
    delete location.extension;

    expect(bodyOf(onlyEventOf(bundle), 'Location')).toMatchObject({
      accuracyMeters: null,
      zone: null,
    });
  });

  it.each([
    [{ latitude: 95 }, 'latitude'],
    [{ longitude: -181 }, 'longitude'],
  ])('refuses %j', (position, element) => {
    expect(errorOf(aVkpGpsLocationBundle(position))).toMatchObject({
      code: 'NORMALIZE.INVALID_VALUE',
      expression: `Bundle.entry[1].resource.position.${element}`,
    });
  });

  it('refuses a negative accuracy', () => {
    expect(errorOf(aVkpGpsLocationBundle({ accuracyMeters: -3 }))).toMatchObject({
      code: 'NORMALIZE.INVALID_VALUE',
      expression: 'Bundle.entry[1].resource.extension[0].extension[1].valueDecimal',
    });
  });

  it('fails when the message’s focus Location has no position', () => {
    const bundle = aVkpGpsLocationBundle();
    const location = bundle.entry![1]!.resource as { position?: unknown };
    delete location.position;

    expect(errorOf(bundle)).toMatchObject({
      code: 'NORMALIZE.MISSING_ELEMENT',
      expression: 'Bundle.entry[1].resource.position',
    });
  });

  it('does not make an event of a Location that another event points at', () => {
    const encounter = aVkpDigitalEncounter();
    encounter.location = [
      { location: { reference: 'urn:uuid:0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0' } },
    ];
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'urn:uuid:1e2d3c4b-5a69-4877-86a5-b4c3d2e1f00f', resource: encounter },
        { fullUrl: 'urn:uuid:0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', resource: aVkpGpsLocation() },
      ],
    };

    expect(eventsOf(bundle).map((event) => event.service)).toEqual(['DT']);
  });

  it('makes an event of a Location with a position in a collection', () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'urn:uuid:0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', resource: aVkpGpsLocation() },
        {
          fullUrl: 'urn:uuid:2d3c4b5a-6978-4a86-95b4-c3d2e1f00f1e',
          resource: { resourceType: 'Patient', identifier: [vkpPatientIdentifier()] },
        },
      ],
    };

    expect(eventsOf(bundle).map((event) => event.service)).toEqual(['GPS']);
  });
});
