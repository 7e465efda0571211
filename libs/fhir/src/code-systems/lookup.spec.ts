import { dottedParentOf, isInValueSet, lookupCode } from './lookup';

const alertSystem = 'http://ehelse.no/fhir/CodeSystem/vkp-alert-code-v090';
const alertValueSet = 'http://ehelse.no/fhir/ValueSet/vkp-alert-code-v090';

describe('lookupCode', () => {
  it('finds a concept with its display, definition and code system version', () => {
    expect(lookupCode(alertSystem, '4.11')).toEqual({
      system: alertSystem,
      version: '0.9.0',
      code: '4.11',
      display: 'Brannalarm',
      definition: 'Brannalarm',
    });
    expect(lookupCode(alertSystem, '1.1')?.display).toBe('Ikke utlevert');
    expect(
      lookupCode('http://ehelse.no/fhir/CodeSystem/vkp-message-event-v090', 'MedicationDispense')
        ?.definition,
    ).toBe('MedicationDispense message event');
  });

  it('gives undefined for an unknown code or system', () => {
    expect(lookupCode(alertSystem, '4.99')).toBeUndefined();
    expect(lookupCode(alertSystem, '')).toBeUndefined();
    expect(lookupCode('http://ehelse.no/fhir/CodeSystem/vkp-flag-code-v090', '0')).toBeUndefined();
    // A value set's URL is not a code system.
    expect(lookupCode(alertValueSet, '4.11')).toBeUndefined();
  });
});

describe('isInValueSet', () => {
  it('holds every code of a wholly included code system', () => {
    expect(isInValueSet(alertValueSet, alertSystem, '4.1')).toBe(true);
    expect(isInValueSet(alertValueSet, alertSystem, '7.1')).toBe(true);
  });

  it('holds no code the code system lacks, nor a code of another system', () => {
    expect(isInValueSet(alertValueSet, alertSystem, '4.99')).toBe(false);
    expect(
      isInValueSet(alertValueSet, 'http://ehelse.no/fhir/CodeSystem/vkp-severity-level-v090', '30'),
    ).toBe(false);
  });

  it('holds exactly the enumerated codes of an external system', () => {
    const messageStatus =
      'http://ehelse.no/fhir/ValueSet/vkp-medicationdispense-message-status-v090';
    const status = 'http://hl7.org/fhir/medication-dispense-status';

    expect(isInValueSet(messageStatus, status, 'completed')).toBe(true);
    expect(isInValueSet(messageStatus, status, 'in-progress')).toBe(true);
    expect(isInValueSet(messageStatus, status, 'cancelled')).toBe(false);
  });

  it('finds the severity value set under its URL (vkp-severity-level-v090, file vkp-severitylevel)', () => {
    expect(
      isInValueSet(
        'http://ehelse.no/fhir/ValueSet/vkp-severity-level-v090',
        'http://ehelse.no/fhir/CodeSystem/vkp-severity-level-v090',
        '40',
      ),
    ).toBe(true);
  });
});

describe('dottedParentOf', () => {
  it.each([
    ['5.2.1', '5.2'],
    ['4.11', '4'],
    ['4', undefined],
    ['MedicationDispense', undefined],
  ])('%s → %p', (code, parent) => {
    expect(dottedParentOf(code)).toBe(parent);
  });
});
