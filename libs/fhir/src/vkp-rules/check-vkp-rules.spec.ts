import { valueSetByUrl } from '../code-systems/lookup';
import { validateStructure } from '../structure/validate';
import { repairStructure } from '../structure/repair';
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
  vkpFixtureSystems,
  vkpPatientIdentifier,
} from '../testing';
import { checkVkpRules, defaultVkpProfileOf, vkpProfilesFor } from './check-vkp-rules';
import { vkpProfileRules } from './generated/vkp-profiles';

type Json = Record<string, unknown>;

/** A deep copy of a fixture as plain JSON, for a test to change. */
const copy = (resource: unknown): Json => JSON.parse(JSON.stringify(resource)) as Json;

/** The value at a dotted path (`performer.0.actor`). */
function at(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const step of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/** A copy of `resource` with each path set to its value (`undefined` removes it). */
function edit(resource: unknown, changes: Readonly<Record<string, unknown>>): Json {
  const result = copy(resource);
  for (const [path, value] of Object.entries(changes)) {
    const steps = path.split('.');
    const last = steps.pop() ?? '';
    const parent = steps.length === 0 ? result : at(result, steps.join('.'));
    if (typeof parent !== 'object' || parent === null) throw new Error(`no ${path}`);
    if (value === undefined) Reflect.deleteProperty(parent, last);
    // Values are copied too, so a change never reaches the fixture they were taken from.
    else (parent as Record<string, unknown>)[last] = JSON.parse(JSON.stringify(value)) as unknown;
  }
  return result;
}

const problemsOf = (resource: unknown, options = {}) =>
  checkVkpRules(copy(resource), options).map((p) => [p.code, p.expression]);

const epjSystem = 'https://epj.knutepunkt.test/fhir/sid/lopenummer';

describe('checkVkpRules on the VKP fixtures', () => {
  it.each([
    ['a MedicationDispense', aVkpMedicationDispense()],
    ['a missed dose', aVkpMedicationDispense({ statusReason: 'Ikke tatt ut' })],
    ['a MedicationDispense message', aVkpMedicationDispenseMessage()],
    ['an alarm document Bundle', aVkpAlarmBundle()],
    ['an alarm message Bundle', aVkpAlarmBundle({ bundleType: 'message' })],
    ['an alarm without Encounter', aVkpAlarmBundle({ withoutEncounter: true, severity: null })],
    ['a DetectedIssue with triage', aVkpDetectedIssue({ triage: 'R', severity: '40' })],
    ['a legacy Flag', aVkpLegacyFlag()],
    ['a digital Encounter', aVkpDigitalEncounter()],
    ['a supervision Bundle', aVkpSupervisionBundle()],
    ['a response centre Composition', aVkpResponseCentreComposition()],
    ['a blood-pressure Observation', aVkpBloodPressureObservation()],
    ['a temperature', aVkpVitalSignObservation('bodyTemperature')],
    ['a weight', aVkpVitalSignObservation('bodyWeight')],
    ['a heart rate without LOINC', aVkpVitalSignObservation('heartRate', { sendLoinc: false })],
    ['an SpO2', aVkpVitalSignObservation('oxygenSaturation')],
    ['a measurement collection', aVkpMeasurementCollection()],
    ['a GPS location Bundle', aVkpGpsLocationBundle()],
    ['a QuestionnaireResponse', aVkpQuestionnaireResponse()],
  ])('finds %s keeps every VKP rule', (_what, resource) => {
    const json = copy(resource);
    repairStructure(json);
    expect(validateStructure(json)).toEqual([]);
    expect(checkVkpRules(json)).toEqual([]);
  });
});

describe('which profile applies', () => {
  it('takes the VKP profiles meta.profile names, else the VKP profile of the type', () => {
    const names = (resource: Json) => vkpProfilesFor(resource).map((p) => p.name);
    expect(names(copy(aVkpDigitalEncounter()))).toEqual(['VkpDigitalEncounter']);
    expect(names(edit(aVkpDigitalEncounter(), { meta: undefined }))).toEqual(['VkpEncounter']);
    const other = edit(aVkpDigitalEncounter(), {
      meta: { profile: ['http://example.org/some-other-profile'] },
    });
    expect(names(other)).toEqual(['VkpEncounter']);
  });

  it('has a VKP profile for every resource type that has one, and none for Flag or Bundle', () => {
    expect(
      ['MedicationDispense', 'DetectedIssue', 'Encounter', 'Observation', 'Composition'].map(
        (type) => defaultVkpProfileOf(type)?.name,
      ),
    ).toEqual([
      'VkpMedicationDispense',
      'VkpDetectedIssue',
      'VkpEncounter',
      'VkpObservation',
      'VkpComposition',
    ]);
    expect(defaultVkpProfileOf('QuestionnaireResponse')?.url).toMatch(/QuestionnaireReponse/);
    expect(defaultVkpProfileOf('MessageHeader')?.name).toBe('VkpMessageHeader');
    // vkp-Flag-v090 was deleted from the VKP repository; there is no Bundle profile.
    expect(defaultVkpProfileOf('Flag')).toBeUndefined();
    expect(defaultVkpProfileOf('Bundle')).toBeUndefined();
  });
});

describe('required elements, cardinality and fixed values', () => {
  it('refuses a MedicationDispense without category, subject or performer', () => {
    const dispense = edit(aVkpMedicationDispense(), {
      category: undefined,
      subject: undefined,
      performer: undefined,
    });
    expect(problemsOf(dispense)).toEqual([
      ['VKP.REQUIRED', 'MedicationDispense.category'],
      ['VKP.REQUIRED', 'MedicationDispense.subject'],
      ['VKP.REQUIRED', 'MedicationDispense.performer'],
    ]);
  });

  it('refuses what a profile prohibits or fixes otherwise', () => {
    const dispense = edit(aVkpMedicationDispense(), {
      'performer.0.actor.reference': 'Device/md-200',
      'identifier.0.system': 'urn:oid:1.2.3',
    });
    expect(problemsOf(dispense)).toEqual([
      ['VKP.FIXED_VALUE', 'MedicationDispense.identifier[0].system'],
      ['VKP.PROHIBITED', 'MedicationDispense.performer[0].actor.reference'],
    ]);
  });

  it('holds a digital Encounter to class VR and its required participant type and period', () => {
    const visit = edit(aVkpDigitalEncounter(), {
      class: { system: vkpFixtureSystems.v3ActCode, code: 'AMB', display: 'virtual' },
      period: undefined,
      'participant.0.type': [],
    });
    expect(problemsOf(visit)).toEqual([
      ['VKP.FIXED_VALUE', 'Encounter.class.code'],
      ['VKP.REQUIRED', 'Encounter.participant[0].type'],
      ['VKP.REQUIRED', 'Encounter.period'],
    ]);
  });

  it('refuses a DetectedIssue without code and patient, a Composition without category', () => {
    const issue = edit(aVkpDetectedIssue(), { code: undefined, patient: undefined });
    expect(problemsOf(issue)).toEqual([
      ['VKP.REQUIRED', 'DetectedIssue.code'],
      ['VKP.REQUIRED', 'DetectedIssue.patient'],
    ]);
    const note = edit(aVkpResponseCentreComposition(), { category: undefined });
    expect(problemsOf(note)).toEqual([['VKP.REQUIRED', 'Composition.category']]);
    const answer = edit(aVkpQuestionnaireResponse(), { subject: undefined });
    expect(problemsOf(answer)).toEqual([['VKP.REQUIRED', 'QuestionnaireResponse.subject']]);
  });

  it('holds a blood pressure to its snapshot: both components, no valueQuantity of its own', () => {
    const pressure = edit(aVkpBloodPressureObservation(), {
      component: [at(copy(aVkpBloodPressureObservation()), 'component.0')],
      valueQuantity: { value: 120, unit: 'mmHg' },
    });
    expect(problemsOf(pressure)).toEqual([
      ['VKP.PROHIBITED', 'Observation.valueQuantity'],
      ['VKP.REQUIRED', 'Observation.component'],
      ['VKP.REQUIRED', 'Observation.component'],
    ]);
    const messages = checkVkpRules(pressure).map((p) => p.message);
    expect(messages).toContainEqual(expect.stringContaining('slice DiastolicBP'));
  });

  it("takes a municipality's identifier systems beside the FNR/DNR/FHN slices of subject.identifier", () => {
    const dispense = edit(aVkpMedicationDispense(), {
      'subject.identifier': { system: epjSystem, value: '10042' },
    });
    expect(problemsOf(dispense)).toEqual([
      ['VKP.SLICE_NOT_ALLOWED', 'MedicationDispense.subject.identifier'],
    ]);
    expect(problemsOf(dispense, { additionalIdentifierSystems: [epjSystem] })).toEqual([]);
    const withoutValue = edit(aVkpMedicationDispense(), { 'subject.identifier.value': undefined });
    expect(problemsOf(withoutValue)).toEqual([
      ['VKP.REQUIRED', 'MedicationDispense.subject.identifier.value'],
    ]);
  });

  it('holds VKP extensions to their definitions wherever they occur', () => {
    const parts = at(copy(aVkpMedicationDispense()), 'extension.0.extension') as Json[];
    const dispense = edit(aVkpMedicationDispense(), {
      'extension.0.extension': parts.filter((part) => part['url'] !== 'displayName'),
      'extension.0.valueString': 'Dosell',
    });
    expect(problemsOf(dispense)).toEqual([
      ['VKP.REQUIRED', 'MedicationDispense.extension[0].extension'],
      ['VKP.PROHIBITED', 'MedicationDispense.extension[0].valueString'],
    ]);
    const issue = edit(aVkpDetectedIssue(), {
      'extension.0.valueCodeableConcept': undefined,
      'extension.0.valueString': '30',
    });
    expect(problemsOf(issue)).toEqual([
      ['VKP.SLICE_NOT_ALLOWED', 'DetectedIssue.extension[0].valueString'],
    ]);
  });
});

describe('codes', () => {
  it('refuses a code its VKP code system does not have, in any element', () => {
    const issue = aVkpDetectedIssue({ alertCode: '4.99', severity: '35', triage: 'P' });
    expect(problemsOf(issue)).toEqual([
      ['VKP.UNKNOWN_CODE', 'DetectedIssue.code.coding[0].code'],
      ['VKP.UNKNOWN_CODE', 'DetectedIssue.code.coding[1].code'],
      ['VKP.UNKNOWN_CODE', 'DetectedIssue.extension[0].valueCodeableConcept.coding[0].code'],
    ]);
    expect(problemsOf(aVkpDigitalEncounter({ visitClass: '9', reason: '3' }))).toEqual([
      ['VKP.UNKNOWN_CODE', 'Encounter.type[0].coding[0].code'],
      ['VKP.UNKNOWN_CODE', 'Encounter.reasonCode[0].coding[0].code'],
    ]);
    expect(problemsOf(aVkpMedicationDispense({ eventCode: '4' }))).toEqual([
      ['VKP.UNKNOWN_CODE', 'MedicationDispense.category.coding[0].code'],
    ]);
    const note = aVkpResponseCentreComposition({ category: '3', events: [['2', 'x']] });
    expect(problemsOf(note)).toEqual([
      ['VKP.UNKNOWN_CODE', 'Composition.category[0].coding[0].code'],
      ['VKP.UNKNOWN_CODE', 'Composition.event[0].code[0].coding[0].code'],
    ]);
  });

  it('refuses a required binding met by no coding of its value set', () => {
    const dispense = edit(aVkpMedicationDispense(), { category: { text: 'utlevert' } });
    expect(problemsOf(dispense)).toEqual([
      ['VKP.NOT_IN_VALUE_SET', 'MedicationDispense.category'],
      ['VKP.REQUIRED', 'MedicationDispense.category.coding'],
    ]);
    const visit = edit(aVkpDigitalEncounter(), {
      'participant.0.type.0.coding.0.system': 'http://example.org/modes',
    });
    // vkp-digital-Encounter-v090 binds participant.type to the deleted vkp-encounter-type-v090:
    // not checkable. vkp-Encounter-v090 binds it to vkp-encounter-mode-v090.
    expect(problemsOf(visit)).toEqual([]);
    expect(problemsOf(edit(visit, { meta: undefined }))).toEqual([
      ['VKP.NOT_IN_VALUE_SET', 'Encounter.participant[0].type[0]'],
    ]);
  });

  it("accepts the severity extension's coding.system as the profile fixes it (a known defect) and as the code system", () => {
    const asProfiled = aVkpDetectedIssue({ severity: '30' });
    const system = 'extension.0.valueCodeableConcept.coding.0.system';
    expect(at(asProfiled, system)).toBe(vkpFixtureSystems.severityLevelAsProfiled);
    expect(problemsOf(asProfiled)).toEqual([]);
    expect(problemsOf(edit(asProfiled, { [system]: vkpFixtureSystems.severityLevel }))).toEqual([]);
    expect(problemsOf(edit(asProfiled, { [system]: 'http://example.org/severity' }))).toEqual([
      ['VKP.NOT_IN_VALUE_SET', 'DetectedIssue.extension[0].valueCodeableConcept'],
      ['VKP.FIXED_VALUE', 'DetectedIssue.extension[0].valueCodeableConcept.coding[0].system'],
    ]);
  });

  it('leaves codes of systems VKP does not define alone (the retired flag codes)', () => {
    expect(problemsOf(aVkpLegacyFlag({ flagCode: '9.9' }))).toEqual([]);
  });
});

describe('references inside a Bundle', () => {
  it('refuses a reference that points at no entry or contained resource', () => {
    const alarm = edit(aVkpAlarmBundle(), {
      'entry.0.resource.section.0.entry.0.reference':
        'urn:uuid:00000000-0000-4000-8000-000000000000',
      'entry.1.resource.author': { reference: 'Device/not-here' },
      'entry.2.resource.participant.0.individual': { reference: '#missing' },
    });
    expect(problemsOf(alarm)).toEqual([
      ['VKP.UNRESOLVED_REFERENCE', 'Bundle.entry[0].resource.section[0].entry[0].reference'],
      ['VKP.UNRESOLVED_REFERENCE', 'Bundle.entry[1].resource.author.reference'],
      ['VKP.UNRESOLVED_REFERENCE', 'Bundle.entry[2].resource.participant[0].individual.reference'],
    ]);
  });

  it('resolves by type/id and contained ids, and leaves absolute URLs to other servers alone', () => {
    const alarm = edit(aVkpAlarmBundle(), {
      'entry.1.resource.author': { reference: 'Device/device-0001' },
      'entry.1.resource.implicated': [
        { reference: 'https://fhir.vendor.knutepunkt.test/fhir/Device/elsewhere' },
      ],
      'entry.2.resource.contained': [copy(aVkpPatient())],
      'entry.2.resource.subject': { reference: '#patient-0001' },
    });
    expect(problemsOf(alarm)).toEqual([]);
  });
});

describe('messages', () => {
  const dispenseMessage = copy(aVkpMedicationDispenseMessage());
  const entries = at(dispenseMessage, 'entry') as Json[];
  const focus = at(dispenseMessage, 'entry.0.resource.focus') as Json[];

  it('refuses a message Bundle whose first entry is not its MessageHeader', () => {
    const message = edit(dispenseMessage, { entry: [...entries].reverse() });
    expect(problemsOf(message)).toEqual([['VKP.MESSAGE_FOCUS', 'Bundle.entry[0].resource']]);
  });

  it('holds the focus of a MedicationDispense message to its MessageDefinition', () => {
    const withoutDispense = edit(dispenseMessage, {
      'entry.0.resource.focus': focus.filter((_, index) => index !== 1),
    });
    expect(problemsOf(withoutDispense)).toEqual([
      ['VKP.MESSAGE_FOCUS', 'Bundle.entry[0].resource.focus'],
    ]);
    const alarmUrl = 'urn:uuid:5ac0ffee-0000-4000-8000-000000000001';
    const withAlarm = edit(dispenseMessage, {
      entry: [
        ...entries,
        {
          fullUrl: alarmUrl,
          resource: aVkpDetectedIssue({ authorReference: String(at(entries, '1.fullUrl')) }),
        },
      ],
      'entry.0.resource.focus': [...focus, { reference: alarmUrl }],
    });
    expect(problemsOf(withAlarm)).toEqual([
      ['VKP.MESSAGE_FOCUS', 'Bundle.entry[0].resource.focus[3]'],
    ]);
  });

  it('holds the focus to the profile the definition names, whatever its meta.profile says', () => {
    const message = edit(dispenseMessage, {
      'entry.1.resource.meta': { profile: ['http://example.org/vendor-dispense'] },
      'entry.1.resource.performer': undefined,
    });
    expect(problemsOf(message)).toEqual([['VKP.REQUIRED', 'Bundle.entry[1].resource.performer']]);
  });

  it('refuses an event code the VKP message-event system does not have', () => {
    const message = edit(aVkpGpsLocationBundle(), {
      'entry.0.resource.eventCoding.code': 'GpsPosition',
    });
    expect(problemsOf(message)).toEqual([
      ['VKP.UNKNOWN_CODE', 'Bundle.entry[0].resource.eventCoding.code'],
    ]);
  });
});

describe('what the rules do not say', () => {
  it('never repeats a submitted value in a message', () => {
    const number = vkpPatientIdentifier(3).value;
    const dispense = edit(aVkpMedicationDispense(), {
      'subject.identifier': { system: 'http://example.org/ids', value: number },
      'category.coding.0.code': number,
    });
    const problems = checkVkpRules(dispense);
    expect(problems.length).toBeGreaterThan(0);
    expect(JSON.stringify(problems)).not.toContain(number);
  });

  it('lists the required bindings it cannot check: their value sets are not in ../shared/vkp-r4', () => {
    const unresolved = new Set(
      vkpProfileRules.flatMap((profile) =>
        profile.elements
          .map((element) => element.requiredBinding)
          .filter((url): url is string => url !== undefined && !valueSetByUrl(url))
          .filter((url) => url.includes('ehelse.no') || url.includes('hl7.no')),
      ),
    );
    expect([...unresolved].sort()).toEqual([
      'http://ehelse.no/fhir/ValueSet/vkp-encounter-type-v090',
      'http://ehelse.no/fhir/ValueSet/vkp-performer-identifiers.valueset',
      'http://ehelse.no/fhir/ValueSet/vkp-subject-identifiers.valueset',
      'http://hl7.no/fhir/ValueSet/no-domain-vitalsignsobservation-bloodpressure-bodysitevalueset',
      'http://hl7.no/fhir/ValueSet/no-domain-vitalsignsobservation-bloodpressure-measurementmethodvalueSet',
    ]);
  });
});
