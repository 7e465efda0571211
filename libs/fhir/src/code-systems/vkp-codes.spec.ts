import { dottedParentOf } from './lookup';
import {
  alertCategoryOf,
  isUrgentSeverity,
  isUrgentTriage,
  severityLevelOf,
  severityLevelSystems,
  urgentSeverityCode,
  vkpAlertCodes,
  vkpCompositionCategories,
  vkpEncounterClasses,
  vkpEncounterModes,
  vkpEncounterReasons,
  vkpMedicationDispenseEvents,
  vkpMessageEvents,
  vkpOperationOutcomeCategoryOf,
  vkpOperationOutcomes,
  vkpOutcome,
  vkpSeverityLevels,
  vkpTriageCodes,
} from './vkp-codes';

describe('VKP alert codes', () => {
  it('have the displays of the XML', () => {
    expect(vkpAlertCodes.url).toBe('http://ehelse.no/fhir/CodeSystem/vkp-alert-code-v090');
    expect(vkpAlertCodes.concepts).toHaveLength(65);
    expect(vkpAlertCodes.display('4.1')).toBe('Fall');
    expect(vkpAlertCodes.display('4.13')).toBe('Knappetrykk');
    // NHN's sample bundle sends 7 as "Trygghetsalarm"; the code system says 3.
    expect(vkpAlertCodes.display('3')).toBe('Trygghetsalarm');
    expect(vkpAlertCodes.display('7')).toBe('Sykesignalanlegg');
  });

  it('tell known codes from unknown ones', () => {
    expect(vkpAlertCodes.has('5.2.1')).toBe(true);
    expect(vkpAlertCodes.has('4.27')).toBe(false);
    expect(vkpAlertCodes.lookup('4.27')).toBeUndefined();
  });

  it('make a Coding with system, version and display', () => {
    expect(vkpAlertCodes.coding('4.11')).toEqual({
      system: 'http://ehelse.no/fhir/CodeSystem/vkp-alert-code-v090',
      version: '0.9.0',
      code: '4.11',
      display: 'Brannalarm',
    });
  });

  it.each([
    ['4.11', '4', 'Digitalt tilsyn'],
    ['5.2.1', '5', 'Digital hjemmeoppfølging'],
    ['1.23', '1', 'Elektronisk medisineringsstøtte'],
    ['3', '3', 'Trygghetsalarm'],
  ] as const)('put %s under category %s (%s)', (code, category, display) => {
    expect(alertCategoryOf(code)).toMatchObject({ code: category, display });
  });

  it('have a concept for every dotted parent', () => {
    for (const { code } of vkpAlertCodes.concepts) {
      const parent = dottedParentOf(code);
      if (parent !== undefined) {
        expect({ code, parentKnown: vkpAlertCodes.has(parent) }).toEqual({
          code,
          parentKnown: true,
        });
      }
      expect(() => alertCategoryOf(code)).not.toThrow();
    }
  });
});

describe('VKP severity levels', () => {
  it('are numeric levels 0–40', () => {
    expect(vkpSeverityLevels.concepts.map(({ code }) => severityLevelOf(code))).toEqual([
      0, 10, 20, 30, 40,
    ]);
    expect(severityLevelOf('35')).toBeUndefined();
  });

  it('put "Alvorlig" (30) and "Kritisk" (40) on the urgent lane, nothing below', () => {
    expect(vkpSeverityLevels.display(urgentSeverityCode)).toBe('Alvorlig');
    expect(
      vkpSeverityLevels.concepts
        .filter(({ code }) => isUrgentSeverity(code))
        .map(({ display }) => display),
    ).toEqual(['Alvorlig', 'Kritisk']);
    expect(isUrgentSeverity('20')).toBe(false);
    expect(isUrgentSeverity('35')).toBe(false);
    expect(isUrgentSeverity('high')).toBe(false);
  });

  it('accept the value-set URL that the VKP extension wrongly fixes as the system', () => {
    expect(severityLevelSystems).toEqual([
      'http://ehelse.no/fhir/CodeSystem/vkp-severity-level-v090',
      'http://ehelse.no/fhir/ValueSet/vkp-severity-level-v090',
    ]);
  });
});

describe('VKP triage codes', () => {
  it('put red and orange on the urgent lane', () => {
    expect(vkpTriageCodes.display('R')).toBe('red');
    expect(vkpTriageCodes.display('O')).toBe('orange');
    expect(
      vkpTriageCodes.concepts.filter(({ code }) => isUrgentTriage(code)).map(({ code }) => code),
    ).toEqual(['R', 'O']);
    expect(isUrgentTriage('NR')).toBe(false);
  });
});

describe('other VKP code systems', () => {
  it('list the medication-dispense events, including 3 (added Nov 2025)', () => {
    expect(vkpMedicationDispenseEvents.concepts.map(({ code }) => code)).toEqual([
      '1',
      '1.1',
      '1.2',
      '1.3',
      '2',
      '2.1',
      '2.2',
      '3',
    ]);
    expect(vkpMedicationDispenseEvents.display('1.3')).toBe('behovsmedisin utlevert');
  });

  it('give composition categories, encounter class/mode/reason and message events', () => {
    expect(vkpCompositionCategories.display('2')).toBe('Digital hjemmeoppfølging');
    expect(vkpEncounterClasses.display('2')).toBe('toveis_tale');
    expect(vkpEncounterModes.display('2')).toBe('toveis tale');
    expect(vkpEncounterReasons.display('2')).toBe('hendelsesbasert tilsyn');
    expect(vkpMessageEvents.concepts.map(({ code }) => code)).toEqual([
      'MedicationDispense',
      'LocationMeasurement',
      'CameraObservation',
      'PatientComposition',
    ]);
  });
});

describe('VKP operation outcomes', () => {
  it('are named after the definitions the code system gives, one name per code', () => {
    const nameOf = (definition: string | undefined): string =>
      (definition ?? '').charAt(0).toLowerCase() + (definition ?? '').slice(1);

    expect(
      Object.fromEntries(Object.entries(vkpOutcome).map(([name, code]) => [code, name])),
    ).toEqual(
      Object.fromEntries(
        vkpOperationOutcomes.concepts.map(({ code, definition }) => [code, nameOf(definition)]),
      ),
    );
  });

  it('fall into 1.x forbidden, 2.x invalid, 3.x other', () => {
    expect(
      vkpOperationOutcomes.concepts.map(({ code }) => [code, vkpOperationOutcomeCategoryOf(code)]),
    ).toEqual([
      ['1', 'forbidden'],
      ['1.1', 'forbidden'],
      ['1.2', 'forbidden'],
      ['1.3', 'forbidden'],
      ['1.4', 'forbidden'],
      ['1.5', 'forbidden'],
      ['2', 'invalid'],
      ['2.1', 'invalid'],
      ['2.2', 'invalid'],
      ['2.3', 'invalid'],
      ['2.4', 'invalid'],
      ['3', 'other'],
      ['3.1', 'other'],
    ]);
    expect(['1', '2', '3'].map((code) => vkpOperationOutcomes.lookup(code)?.definition)).toEqual([
      'Forbidden',
      'Invalid',
      'Other',
    ]);
  });

  it('give the Norwegian display of 2.1 InvalidSsn', () => {
    expect(vkpOperationOutcomes.display(vkpOutcome.invalidSsn)).toBe('ugyldig personidentifikator');
  });
});
