import { aRealDNumber, aRealFodselsnummer, anFhn } from './constructed-numbers.spec-helper';
import {
  checkNationalIdentifier,
  identityNumberKindOf,
  isNationalIdentitySystem,
  nationalIdentitySystems,
  type NationalIdentitySystem,
} from './national-identifier';

const { fodselsnummer, dNumber, fhn } = nationalIdentitySystems;
const tenor = '02850097219';
const tenorDNumber = '55838720063';
const hNumber = '12467525067';

describe('national identifier systems', () => {
  it('are the OIDs of VKP’s FNR, DNR and FHN slices', () => {
    expect(nationalIdentitySystems).toEqual({
      fodselsnummer: 'urn:oid:2.16.578.1.12.4.1.4.1',
      dNumber: 'urn:oid:2.16.578.1.12.4.1.4.2',
      fhn: 'urn:oid:2.16.578.1.12.4.1.4.3',
    });
    expect(identityNumberKindOf(fhn)).toBe('fhn');
  });

  it.each([
    [fodselsnummer, true],
    [dNumber, true],
    [fhn, true],
    ['https://epj.knutepunkt.test/fhir/sid/lopenummer', false],
    ['urn:oid:2.16.578.1.12.4.1.4.4', false],
    ['toString', false],
    ['__proto__', false],
  ])('%s is a national identity system: %p', (system, expected) => {
    expect(isNationalIdentitySystem(system)).toBe(expected);
  });
});

describe('checkNationalIdentifier', () => {
  it.each([
    [fodselsnummer, tenor, 'fodselsnummer'],
    [dNumber, tenorDNumber, 'd-number'],
  ] as const)('accepts under %s a synthetic number of its kind in test', (system, value, kind) => {
    expect(checkNationalIdentifier({ system, value }, { environment: 'test' })).toMatchObject({
      ok: true,
      value: { kind, classification: 'synthetic' },
    });
  });

  it.each([
    [fodselsnummer, aRealFodselsnummer, 'fodselsnummer'],
    [dNumber, aRealDNumber, 'd-number'],
    [fhn, anFhn, 'fhn'],
  ] as const)('accepts under %s a real number of its kind in production', (system, value, kind) => {
    expect(
      checkNationalIdentifier({ system, value: value() }, { environment: 'production' }),
    ).toMatchObject({ ok: true, value: { kind } });
  });

  it.each<[NationalIdentitySystem, string, string]>([
    [fodselsnummer, tenorDNumber, 'a D-number sent as a fødselsnummer'],
    [dNumber, tenor, 'a fødselsnummer sent as a D-number'],
    [fhn, tenor, 'a fødselsnummer sent as an FHN'],
    [fodselsnummer, hNumber, 'an H-number sent as a fødselsnummer'],
    [fhn, hNumber, 'an H-number sent as an FHN'],
  ])('refuses under %s: %s', (system, value) => {
    const result = checkNationalIdentifier(
      { system, value },
      { environment: 'test', expression: 'Patient.identifier[0]' },
    );

    expect(result).toMatchObject({
      ok: false,
      error: { code: 'FHIR.IDENTITY.SYSTEM_MISMATCH', expression: 'Patient.identifier[0]' },
    });
    expect(JSON.stringify(result)).not.toContain(value);
  });

  it('refuses an FHN under the D-number system', () => {
    expect(
      checkNationalIdentifier({ system: dNumber, value: anFhn() }, { environment: 'production' }),
    ).toMatchObject({ ok: false, error: { code: 'FHIR.IDENTITY.SYSTEM_MISMATCH' } });
  });

  it('applies the environment rule once the kind matches', () => {
    expect(
      checkNationalIdentifier(
        { system: fodselsnummer, value: tenor },
        { environment: 'production' },
      ),
    ).toMatchObject({ ok: false, error: { code: 'FHIR.IDENTITY.SYNTHETIC_IN_PRODUCTION' } });
    expect(
      checkNationalIdentifier(
        { system: fodselsnummer, value: aRealFodselsnummer() },
        { environment: 'test' },
      ),
    ).toMatchObject({ ok: false, error: { code: 'FHIR.IDENTITY.REAL_IN_TEST' } });
  });

  it('reports a parse error before looking at the system', () => {
    expect(
      checkNationalIdentifier({ system: dNumber, value: '0285009721' }, { environment: 'test' }),
    ).toMatchObject({ ok: false, error: { code: 'FHIR.IDENTITY.FORMAT' } });
  });
});
