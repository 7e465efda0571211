import { aRealDNumber, aRealFodselsnummer, anFhn } from './constructed-numbers.spec-helper';
import { checkIdentityNumber, type Environment } from './environment-policy';

const tenor = '02850097219';
const tenorDNumber = '55838720063';
const syntPop = '03765430088';
const hNumber = '12467525067';

type Expected = 'accepted' | `FHIR.IDENTITY.${string}`;

const cases: readonly [string, () => string, Record<Environment, Expected>][] = [
  [
    'a real fødselsnummer',
    aRealFodselsnummer,
    {
      production: 'accepted',
      test: 'FHIR.IDENTITY.REAL_IN_TEST',
      development: 'FHIR.IDENTITY.REAL_IN_TEST',
    },
  ],
  [
    'a real D-number',
    aRealDNumber,
    {
      production: 'accepted',
      test: 'FHIR.IDENTITY.REAL_IN_TEST',
      development: 'FHIR.IDENTITY.REAL_IN_TEST',
    },
  ],
  [
    'an FHN',
    anFhn,
    {
      production: 'accepted',
      test: 'FHIR.IDENTITY.REAL_IN_TEST',
      development: 'FHIR.IDENTITY.REAL_IN_TEST',
    },
  ],
  [
    'a Tenor synthetic fødselsnummer',
    () => tenor,
    {
      production: 'FHIR.IDENTITY.SYNTHETIC_IN_PRODUCTION',
      test: 'accepted',
      development: 'accepted',
    },
  ],
  [
    'a Tenor synthetic D-number',
    () => tenorDNumber,
    {
      production: 'FHIR.IDENTITY.SYNTHETIC_IN_PRODUCTION',
      test: 'accepted',
      development: 'accepted',
    },
  ],
  [
    'a SyntPop synthetic fødselsnummer',
    () => syntPop,
    {
      production: 'FHIR.IDENTITY.SYNTHETIC_IN_PRODUCTION',
      test: 'accepted',
      development: 'accepted',
    },
  ],
  [
    'an H-number',
    () => hNumber,
    {
      production: 'FHIR.IDENTITY.H_NUMBER',
      test: 'FHIR.IDENTITY.H_NUMBER',
      development: 'FHIR.IDENTITY.H_NUMBER',
    },
  ],
];

describe('checkIdentityNumber: the environment rule', () => {
  for (const [name, number, expected] of cases) {
    it.each(['production', 'test', 'development'] as const)(`${name} in %s`, (environment) => {
      const result = checkIdentityNumber(number(), { environment });

      expect(result.ok ? 'accepted' : result.error.code).toBe(expected[environment]);
    });
  }

  it('returns what the number is when it is accepted', () => {
    expect(checkIdentityNumber(tenor, { environment: 'test' })).toEqual({
      ok: true,
      value: {
        kind: 'fodselsnummer',
        classification: 'synthetic',
        syntheticSource: 'tenor',
        birthDate: '2000-05-02',
        checkDigitRule: 'classic',
      },
    });
  });

  it.each(['production', 'test', 'development'] as const)(
    'refuses a bad checksum in %s before any environment rule',
    (environment) => {
      expect(checkIdentityNumber('02850097218', { environment })).toMatchObject({
        ok: false,
        error: { code: 'FHIR.IDENTITY.CHECKSUM' },
      });
    },
  );

  it('carries the expression and keeps the number out of the message', () => {
    const real = aRealFodselsnummer();
    const result = checkIdentityNumber(real, {
      environment: 'test',
      expression: 'MedicationDispense.subject.identifier.value',
    });

    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'FHIR.IDENTITY.REAL_IN_TEST',
        expression: 'MedicationDispense.subject.identifier.value',
      },
    });
    expect(JSON.stringify(result)).not.toContain(real);
  });
});
