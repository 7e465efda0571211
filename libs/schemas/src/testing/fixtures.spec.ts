import { valueType, type ValueSchemaName } from '../value-schemas';
import { tagWelfareEventBody, welfareEventKinds } from '../welfare-event';
import {
  aClientRegistryRecord,
  aConsentedEvent,
  aConsentState,
  aJournalEntry,
  anAcceptedSubmission,
  anAuditRecord,
  aPatient,
  aRegistryRecord,
  aStatusChange,
  aWelfareEvent,
  aWelfareEventOfKind,
  hasValidFodselsnummerCheckDigits,
  orgnrWithCheckDigit,
  syntheticFodselsnummer,
  testOrgnr,
} from './index';

function invalidPaths(name: ValueSchemaName, value: unknown): string[] {
  const paths: string[] = [];
  valueType(name).isValid(value, { errorHook: (path: string[]) => paths.push(path.join('.')) });
  return paths;
}

describe('fixture builders', () => {
  it.each([
    ['AcceptedSubmission', anAcceptedSubmission()],
    ['WelfareEvent', aWelfareEvent()],
    ['ConsentedEvent', aConsentedEvent()],
    ['ConsentState', aConsentState()],
    ['JournalEntry', aJournalEntry()],
    ['StatusChange', aStatusChange()],
    ['AuditRecord', anAuditRecord()],
    ['RegistryRecord', aRegistryRecord()],
    ['RegistryRecord', aClientRegistryRecord()],
  ] as const)('build a valid %s', (name, value) => {
    expect(invalidPaths(name, value)).toEqual([]);
  });

  it.each(welfareEventKinds)('build a valid WelfareEvent of kind %s', (kind) => {
    const event = aWelfareEventOfKind(kind);

    expect(invalidPaths('WelfareEvent', event)).toEqual([]);
    expect(tagWelfareEventBody(event.body).kind).toBe(kind);
    expect(event.urgent).toBe(kind === 'Alert');
  });

  it('apply overrides', () => {
    expect(aStatusChange({ stage: 'journaled' }).stage).toBe('journaled');
    expect(
      aConsentedEvent({ consent: { attributedViaDevice: true } }).consent.attributedViaDevice,
    ).toBe(true);
  });

  it('derive the patient key from an overridden identifier', () => {
    const other = aPatient({
      identifier: { system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: syntheticFodselsnummer(3) },
    });

    expect(other.patientKey).not.toBe(aPatient().patientKey);
    expect(other.patientKey).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('synthetic identifiers', () => {
  it.each([0, 1, 27, 28, 500, 9999])(
    'fødselsnummer %i is synthetic (month + 80) with valid check digits',
    (sequence) => {
      const fodselsnummer = syntheticFodselsnummer(sequence);

      expect(fodselsnummer).toMatch(/^\d{11}$/);
      expect(Number(fodselsnummer.slice(2, 4))).toBeGreaterThanOrEqual(81);
      expect(Number(fodselsnummer.slice(2, 4))).toBeLessThanOrEqual(92);
      expect(hasValidFodselsnummerCheckDigits(fodselsnummer)).toBe(true);
    },
  );

  it('gives different numbers for different sequences', () => {
    const numbers = new Set(
      Array.from({ length: 200 }, (_, sequence) => syntheticFodselsnummer(sequence)),
    );

    expect(numbers.size).toBe(200);
  });

  it('detects a wrong check digit', () => {
    const fodselsnummer = syntheticFodselsnummer(0);
    const wrong = `${fodselsnummer.slice(0, 10)}${(Number(fodselsnummer[10]) + 1) % 10}`;

    expect(hasValidFodselsnummerCheckDigits(wrong)).toBe(false);
  });

  it('makes organisation numbers with a valid mod-11 check digit', () => {
    expect(testOrgnr).toMatch(/^\d{9}$/);
    // Worked by hand: weights 3,2,7,6,5,4,3,2; 11 − (sum mod 11), 11 → 0, 10 → no number.
    expect(orgnrWithCheckDigit('99999999')).toBe('999999999'); // 288 mod 11 = 2
    expect(orgnrWithCheckDigit('97452443')).toBe('974524430'); // 143 mod 11 = 0
    expect(() => orgnrWithCheckDigit('91234567')).toThrow(
      'no valid organisation number check digit',
    ); // 133 mod 11 = 1
  });
});
