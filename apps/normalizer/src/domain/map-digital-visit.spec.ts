import { vkpEncounterClasses, vkpEncounterModes, vkpEncounterReasons } from '@knutepunkt/fhir';
import {
  aVkpDigitalEncounter,
  aVkpSupervisionBundle,
  vkpFixtureTimes,
} from '@knutepunkt/fhir/testing';
import { bodyOf, errorOf, invalidAvroPaths, onlyEventOf } from './normalize.spec-helper';
import { unscopedDeviceIdentifierSystem } from './vkp-systems';

describe('digital Encounter → DigitalVisit', () => {
  it('maps class, mode, reason, status and period of a planned camera look-in', () => {
    const event = onlyEventOf(aVkpDigitalEncounter());

    expect(bodyOf(event, 'DigitalVisit')).toEqual({
      visitClass: { system: vkpEncounterClasses.url, code: '1', display: 'bildetilsyn' },
      mode: { system: vkpEncounterModes.url, code: '1', display: 'bildetilsyn' },
      reason: { system: vkpEncounterReasons.url, code: '1', display: 'planlagt tilsyn' },
      status: 'finished',
      start: Date.parse(vkpFixtureTimes.visitStart),
      end: Date.parse(vkpFixtureTimes.visitEnd),
      text: null,
    });
    expect(event).toMatchObject({ service: 'DT', urgent: false });
    expect(event.occurredAt).toBe(Date.parse(vkpFixtureTimes.visitStart));
    expect(invalidAvroPaths(event)).toEqual([]);
  });

  it('takes the camera from vkp-encounterDevice-v090', () => {
    expect(onlyEventOf(aVkpDigitalEncounter()).device).toEqual({
      id: null,
      identifier: { system: unscopedDeviceIdentifierSystem, value: 'CAM-0042' },
      type: { codings: [], text: 'Kamera' },
      vendor: null,
      model: 'Roommate 2',
    });
  });

  it('takes the camera from participant.individual when there is no device extension', () => {
    const encounter = aVkpDigitalEncounter();
    delete encounter.extension;

    expect(onlyEventOf(encounter).device).toMatchObject({
      identifier: { value: 'CAM-0042' },
      type: { text: 'Kamera soverom' },
    });
  });

  it('keeps class VR as the visit class when no VKP encounter class is sent', () => {
    const event = onlyEventOf(aVkpDigitalEncounter({ visitClass: null }));

    expect(bodyOf(event, 'DigitalVisit').visitClass).toEqual({
      system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
      code: 'VR',
      display: 'virtual',
    });
  });

  it('reads a VKP encounter class sent in Encounter.class', () => {
    const encounter = aVkpDigitalEncounter({
      visitClass: null,
      classCoding: { system: vkpEncounterClasses.url, code: '2' },
    });

    expect(bodyOf(onlyEventOf(encounter), 'DigitalVisit').visitClass).toMatchObject({
      code: '2',
      display: 'toveis_tale',
    });
  });

  it('folds the night nurse’s Composition of a supervision Bundle into the visit', () => {
    const event = onlyEventOf(aVkpSupervisionBundle());

    expect(bodyOf(event, 'DigitalVisit').text).toBe('Bruker sov rolig. Alt i orden.');
    expect(event.originalResources.map((resource) => resource.resourceType)).toEqual([
      'Encounter',
      'Composition',
    ]);
  });

  it('takes the end as the time when the vendor knows only the end', () => {
    const encounter = aVkpDigitalEncounter();
    encounter.period = { end: vkpFixtureTimes.visitEnd };

    expect(onlyEventOf(encounter).occurredAt).toBe(Date.parse(vkpFixtureTimes.visitEnd));
  });

  it('refuses an Encounter that is not digital', () => {
    const encounter = aVkpDigitalEncounter({
      visitClass: null,
      classCoding: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'HH' },
    });

    expect(errorOf(encounter)).toMatchObject({
      code: 'NORMALIZE.UNSUPPORTED_CONTENT',
      expression: 'Encounter.class.code',
    });
  });

  it('fails on an unknown encounter reason', () => {
    expect(errorOf(aVkpDigitalEncounter({ reason: '3' }))).toMatchObject({
      code: 'NORMALIZE.UNKNOWN_CODE',
      expression: 'Encounter.reasonCode[0].coding[0].code',
    });
  });

  it('fails on an unknown VKP encounter class', () => {
    expect(errorOf(aVkpDigitalEncounter({ visitClass: '9' }))).toMatchObject({
      code: 'NORMALIZE.UNKNOWN_CODE',
      expression: 'Encounter.type[0].coding[0].code',
    });
  });
});
