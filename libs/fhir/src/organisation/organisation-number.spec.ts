import { orgnrWithCheckDigit } from '@knutepunkt/schemas/testing';
import { checkOrganisationNumber, organisationNumberCheckDigit } from './organisation-number';

describe('checkOrganisationNumber', () => {
  it.each([
    // Public organisation numbers, worked by hand: weights 3 2 7 6 5 4 3 2.
    ['974760673', 'Brønnøysundregistrene: 173 mod 11 = 8, 11 − 8 = 3'],
    ['312229544', 'the JFT test municipality: 106 mod 11 = 7, 11 − 7 = 4'],
    ['889640782', 'NAV: 2 as check digit'],
    ['999999999', '288 mod 11 = 2, 11 − 2 = 9'],
  ])('accepts %s (%s)', (value) => {
    expect(checkOrganisationNumber(value)).toEqual({ ok: true, value });
  });

  it('accepts a check digit of 0 (the rule gives 11)', () => {
    // 9·3+7·2+4·7+5·6+2·5+4·4+4·3+3·2 = 143; 143 mod 11 = 0 → 11 → 0.
    expect(organisationNumberCheckDigit('97452443')).toBe(0);
    expect(checkOrganisationNumber('974524430').ok).toBe(true);
  });

  it('refuses every number whose first 8 digits have no check digit (the rule gives 10)', () => {
    // 9·3+1·2+2·7+3·6+4·5+5·4+6·3+7·2 = 133; 133 mod 11 = 1 → 10.
    expect(organisationNumberCheckDigit('91234567')).toBeNull();
    for (let digit = 0; digit <= 9; digit += 1) {
      expect(checkOrganisationNumber(`91234567${digit}`)).toMatchObject({
        ok: false,
        error: { code: 'FHIR.ORGNR.CHECKSUM' },
      });
    }
  });

  it('detects every single-digit change of a valid number', () => {
    const valid = '974760673';
    for (let position = 0; position < valid.length; position += 1) {
      for (let digit = 0; digit <= 9; digit += 1) {
        if (String(digit) === valid[position]) {
          continue;
        }
        const changed = `${valid.slice(0, position)}${digit}${valid.slice(position + 1)}`;

        expect({ changed, result: checkOrganisationNumber(changed) }).toMatchObject({
          changed,
          result: { ok: false, error: { code: 'FHIR.ORGNR.CHECKSUM' } },
        });
      }
    }
  });

  it.each(['', '97476067', '9747606730', '974 760 673', 'NO974760673', '97476067a'])(
    'refuses %j: not 9 digits',
    (value) => {
      expect(checkOrganisationNumber(value, 'admin.municipality.orgnr')).toEqual({
        ok: false,
        error: {
          code: 'FHIR.ORGNR.FORMAT',
          message: 'An organisation number has exactly 9 digits and nothing else.',
          expression: 'admin.municipality.orgnr',
        },
      });
    },
  );

  it('agrees with the fixture helper of @knutepunkt/schemas/testing (a second implementation)', () => {
    for (let prefix = 10_000_000; prefix < 10_003_000; prefix += 7) {
      const first8 = String(prefix);
      const check = organisationNumberCheckDigit(first8);
      if (check === null) {
        expect(() => orgnrWithCheckDigit(first8)).toThrow();
      } else {
        expect(orgnrWithCheckDigit(first8)).toBe(`${first8}${check}`);
      }
    }
  });
});
