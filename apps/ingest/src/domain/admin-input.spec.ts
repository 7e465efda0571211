import { orgnrWithCheckDigit } from '@knutepunkt/schemas/testing';
import { parseClient, parseMunicipality } from './admin-input';

const orgnr = orgnrWithCheckDigit('92123456');
const body = (value: unknown) => JSON.stringify(value);

describe('parseMunicipality', () => {
  it('takes a name, identifier systems and a policy', () => {
    const parsed = parseMunicipality(
      orgnr,
      body({
        name: 'Testkommune',
        identifierSystems: ['https://epj.example.no/lopenummer'],
        policy: { mode: 'opt-out', holdFor: 'P2D' },
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        orgnr,
        name: 'Testkommune',
        identifierSystems: ['https://epj.example.no/lopenummer'],
        policy: { mode: 'opt-out', holdFor: 'P2D' },
      },
    });
  });

  it('defaults the policy to none and the hold period to PT24H', () => {
    expect(parseMunicipality(orgnr, body({ name: 'A' }))).toMatchObject({
      value: { identifierSystems: [], policy: null },
    });
    expect(parseMunicipality(orgnr, body({ name: 'A', policy: { mode: 'opt-in' } }))).toMatchObject(
      { value: { policy: { mode: 'opt-in', holdFor: 'PT24H' } } },
    );
  });

  it.each([
    ['a bad check digit', '921234560', body({ name: 'A' }), 'ADMIN.INVALID_ORGNR'],
    ['eight digits', '92123456', body({ name: 'A' }), 'ADMIN.INVALID_ORGNR'],
    ['broken JSON', orgnr, '{', 'ADMIN.MALFORMED_JSON'],
    ['no name', orgnr, body({}), 'ADMIN.INVALID_BODY'],
    ['an unknown field', orgnr, body({ name: 'A', nmae: 'B' }), 'ADMIN.INVALID_BODY'],
    ['a bad mode', orgnr, body({ name: 'A', policy: { mode: 'maybe' } }), 'ADMIN.INVALID_BODY'],
    [
      'a bad duration',
      orgnr,
      body({ name: 'A', policy: { mode: 'opt-in', holdFor: '24h' } }),
      'ADMIN.INVALID_BODY',
    ],
    [
      'a relative system',
      orgnr,
      body({ name: 'A', identifierSystems: ['lopenummer'] }),
      'ADMIN.INVALID_BODY',
    ],
  ])('refuses %s', (_what, number, text, code) => {
    expect(parseMunicipality(number, text)).toMatchObject({ ok: false, error: { code } });
  });

  it('names the offending element', () => {
    expect(
      parseMunicipality(orgnr, body({ name: 'A', policy: { mode: 'opt-in', holdFor: 'x' } })),
    ).toMatchObject({ error: { expression: 'policy.holdFor' } });
  });
});

describe('parseClient', () => {
  const onboarded = (o: string) => o === orgnr;

  it('takes a vendor with its municipalities, services, DPoP and rate', () => {
    const parsed = parseClient(
      'vendor-a',
      body({
        name: 'Vendor A',
        kind: 'vendor',
        municipalities: [orgnr, orgnr],
        services: ['TA', 'MD'],
        requireDpop: true,
        ratePerSecond: 20,
      }),
      onboarded,
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        clientId: 'vendor-a',
        name: 'Vendor A',
        kind: 'vendor',
        municipalities: [orgnr],
        services: ['TA', 'MD'],
        requireDpop: true,
        strict: false,
        ratePerSecond: 20,
      },
    });
  });

  it.each([
    ['a client id with a slash', 'a/b', { name: 'A', kind: 'epj' }, 'ADMIN.INVALID_CLIENT_ID'],
    ['an unknown kind', 'a', { name: 'A', kind: 'admin' }, 'ADMIN.INVALID_BODY'],
    [
      'an unknown service',
      'a',
      { name: 'A', kind: 'vendor', services: ['XX'] },
      'ADMIN.INVALID_BODY',
    ],
    ['a zero rate', 'a', { name: 'A', kind: 'vendor', ratePerSecond: 0 }, 'ADMIN.INVALID_BODY'],
    [
      'a bad orgnr',
      'a',
      { name: 'A', kind: 'epj', municipalities: ['921234560'] },
      'ADMIN.INVALID_ORGNR',
    ],
    [
      'a municipality not onboarded',
      'a',
      { name: 'A', kind: 'epj', municipalities: [orgnrWithCheckDigit('93000000')] },
      'ADMIN.UNKNOWN_MUNICIPALITY',
    ],
  ])('refuses %s', (_what, clientId, value, code) => {
    expect(parseClient(clientId, body(value), onboarded)).toMatchObject({
      ok: false,
      error: { code },
    });
  });
});
