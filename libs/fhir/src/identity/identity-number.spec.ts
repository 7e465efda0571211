import { constructedNumber as constructed } from './constructed-numbers.spec-helper';
import { birthYearOf, parseIdentityNumber, type IdentityNumber } from './identity-number';

function parsed(value: string): IdentityNumber {
  const result = parseIdentityNumber(value);
  if (!result.ok) {
    throw new Error(`${result.error.code}: ${result.error.message}`);
  }
  return result.value;
}

describe('parseIdentityNumber', () => {
  describe('synthetic numbers (fixtures: synthetic only)', () => {
    it.each([
      // The Tenor example from NHN's material: 2 May 2000.
      ['02850097219', 'fodselsnummer', 'tenor', '2000-05-02'],
      ['15838710007', 'fodselsnummer', 'tenor', '1987-03-15'],
      ['55838720063', 'd-number', 'tenor', '1987-03-15'],
      ['03765430088', 'fodselsnummer', 'syntpop', '1954-11-03'],
      ['43765440034', 'd-number', 'syntpop', '1954-11-03'],
      ['31929950081', 'fodselsnummer', 'tenor', '1899-12-31'],
      ['31924590028', 'fodselsnummer', 'tenor', '1945-12-31'],
      ['29820050043', 'fodselsnummer', 'tenor', '2000-02-29'],
    ] as const)('%s is a synthetic %s (%s), born %s', (value, kind, source, birthDate) => {
      expect(parsed(value)).toEqual({
        kind,
        classification: 'synthetic',
        syntheticSource: source,
        birthDate,
        checkDigitRule: 'classic',
      });
    });
  });

  it('classifies a month-01–12 fødselsnummer as real, with its birth date', () => {
    const fodselsnummer = constructed('150387', 100);

    expect(parsed(fodselsnummer)).toEqual({
      kind: 'fodselsnummer',
      classification: 'real',
      syntheticSource: null,
      birthDate: '1987-03-15',
      checkDigitRule: 'classic',
    });
  });

  it('classifies a D-number (day + 40) as real, with its birth date', () => {
    expect(parsed(constructed('550387', 200))).toMatchObject({
      kind: 'd-number',
      classification: 'real',
      birthDate: '1987-03-15',
    });
  });

  it('takes the century from the individual number', () => {
    expect(parsed(constructed('010203', 100)).birthDate).toBe('1903-02-01');
    expect(parsed(constructed('010203', 500)).birthDate).toBe('2003-02-01');
    expect(parsed(constructed('010260', 600)).birthDate).toBe('1860-02-01');
    expect(parsed(constructed('010260', 900)).birthDate).toBe('1960-02-01');
  });

  it('classifies an H-number (month + 40) as an H-number, with the date it was made with', () => {
    expect(parsed('12467525067')).toEqual({
      kind: 'h-number',
      classification: 'h-number',
      syntheticSource: null,
      birthDate: '1975-06-12',
      checkDigitRule: 'classic',
    });
  });

  it.each([8, 9])('classifies an FHN (first digit %i) as an FHN without a birth date', (first) => {
    const fhn = constructed(`${first}73416`, 200);

    expect(parsed(fhn)).toEqual({
      kind: 'fhn',
      classification: 'fhn',
      syntheticSource: null,
      birthDate: null,
      checkDigitRule: 'classic',
    });
  });

  describe('the 2032 rule', () => {
    it('accepts a first check digit that only the 2032 rule permits', () => {
      // Classic k1 of 178588300 is 0 (17858830001); k1 = 2 is its r = 2 alternative.
      expect(parsed('17858830028')).toEqual({
        kind: 'fodselsnummer',
        classification: 'synthetic',
        syntheticSource: 'tenor',
        birthDate: '1988-05-17',
        checkDigitRule: '2032',
      });
      expect(parsed('17858830001').checkDigitRule).toBe('classic');
    });

    it('still requires k2 to match the k1 actually given', () => {
      expect(parseIdentityNumber('17858830029')).toMatchObject({
        ok: false,
        error: { code: 'FHIR.IDENTITY.CHECKSUM' },
      });
    });

    it('refuses a first check digit outside the four permitted ones', () => {
      // 028500972 permits k1 ∈ {1, 2, 3, 4}; 5 with the k2 that would match it.
      expect(parseIdentityNumber('02850097256')).toMatchObject({
        ok: false,
        error: { code: 'FHIR.IDENTITY.CHECKSUM' },
      });
    });
  });

  it('detects every single-digit change of a valid number (k2 catches what the 2032 rule lets pass)', () => {
    const valid = '02850097219';
    for (let position = 0; position < valid.length; position += 1) {
      for (let digit = 0; digit <= 9; digit += 1) {
        if (String(digit) === valid[position]) {
          continue;
        }
        const changed = `${valid.slice(0, position)}${digit}${valid.slice(position + 1)}`;
        const result = parseIdentityNumber(changed);

        expect({ changed, ok: result.ok }).toEqual({ changed, ok: false });
        if (!result.ok) {
          expect(result.error.code).toBe('FHIR.IDENTITY.CHECKSUM');
        }
      }
    }
  });

  it.each([
    '',
    '0285009721',
    '028500972190',
    '0285009721a',
    ' 02850097219',
    '02850097219 ',
    '028500-97219',
  ])('refuses %j: not 11 digits', (value) => {
    expect(parseIdentityNumber(value)).toMatchObject({
      ok: false,
      error: { code: 'FHIR.IDENTITY.FORMAT' },
    });
  });

  it.each([
    ['01939000077', 'month 93'],
    ['01009000093', 'month 00'],
    ['01789000030', 'month 78, between SyntPop and Tenor'],
    ['41419000130', 'a D-number with an H-number month'],
  ])('refuses %s (%s): a day/month shape no identity number has', (value) => {
    expect(parseIdentityNumber(value)).toMatchObject({
      ok: false,
      error: { code: 'FHIR.IDENTITY.FORMAT' },
    });
  });

  it.each([
    ['29820000100', '29 February 1900 (individual number < 500: not a leap year)'],
    ['32819000181', 'day 32'],
    ['01814580004', 'individual number 800 is never issued for YY 45'],
  ])('refuses %s: %s', (value) => {
    expect(parseIdentityNumber(value)).toMatchObject({
      ok: false,
      error: { code: 'FHIR.IDENTITY.BIRTH_DATE' },
    });
  });

  it('never puts the number into an error message', () => {
    for (const value of ['02850097218', '29820000100', '01939000077']) {
      const result = parseIdentityNumber(value, 'Patient.identifier[0].value');

      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.message).not.toContain(value);
        expect(result.error.expression).toBe('Patient.identifier[0].value');
      }
    }
  });
});

describe('birthYearOf', () => {
  it.each([
    [0, 0, 1900],
    [99, 499, 1999],
    [55, 500, 1855],
    [99, 749, 1899],
    [54, 500, null],
    [0, 500, 2000],
    [39, 999, 2039],
    [40, 900, 1940],
    [40, 899, null],
    [45, 750, null],
  ])('YY %i with individual number %i → %p', (twoDigitYear, individual, year) => {
    expect(birthYearOf(twoDigitYear, individual)).toBe(year);
  });
});
