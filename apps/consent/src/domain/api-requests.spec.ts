import { identifierSystems, syntheticFodselsnummer } from '@knutepunkt/schemas/testing';
import { parseFhirDateBound, parseJsonObject, type IdentifierRules } from './api-input';
import { parseConsentResource, welfareServiceSystem } from './consent-resource';
import { parsePolicyRequest } from './policy-request';
import { parseRegistrationRequest, sameRegistration } from './registration-request';
import { parseConsentSearch, parseRegistrationSearch } from './search-request';

const rules: IdentifierRules = {
  environment: 'test',
  municipalitySystems: [identifierSystems.epjRunningNumber],
};
const fnr = { system: identifierSystems.fodselsnummer, value: syntheticFodselsnummer(3) };
const epj = { system: identifierSystems.epjRunningNumber, value: '100234' };
const device = { system: identifierSystems.deviceSerial, value: 'SN-1' };

const registration = (overrides: Record<string, unknown> = {}) =>
  parseRegistrationRequest(
    { identifiers: [epj, fnr], services: ['MD', 'TA'], validFrom: '2026-01-01', ...overrides },
    rules,
  );

const consent = (overrides: Record<string, unknown> = {}) =>
  parseConsentResource(
    {
      resourceType: 'Consent',
      status: 'active',
      scope: { coding: [{ code: 'patient-privacy' }] },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { identifier: fnr },
      provision: { type: 'permit', period: { start: '2026-01-01' } },
      ...overrides,
    },
    rules,
  );

describe('parseJsonObject', () => {
  it('refuses text that is not a JSON object', () => {
    expect(parseJsonObject('{')).toMatchObject({
      ok: false,
      error: { code: 'CONSENT.MALFORMED_JSON' },
    });
    expect(parseJsonObject('[]')).toMatchObject({
      ok: false,
      error: { code: 'CONSENT.MALFORMED_JSON' },
    });
    expect(parseJsonObject('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
  });
});

describe('parseRegistrationRequest', () => {
  it('puts the national identity number first and the services in canonical order', () => {
    expect(registration()).toEqual({
      ok: true,
      value: {
        identifiers: [fnr, epj],
        services: ['TA', 'MD'],
        validFrom: '2026-01-01',
        validTo: null,
        devices: [],
      },
    });
  });

  it('treats the same registration in another spelling as identical', () => {
    const a = registration({ services: ['TA', 'MD', 'TA'] });
    const b = registration({ identifiers: [fnr, epj], validTo: null });
    if (!a.ok || !b.ok) throw new Error('expected both to parse');
    expect(sameRegistration(a.value, b.value)).toBe(true);
    const c = registration({ validTo: '2026-12-31' });
    if (!c.ok) throw new Error('expected to parse');
    expect(sameRegistration(a.value, c.value)).toBe(false);
  });

  it.each([
    [{ identifiers: [] }, 'CONSENT.INVALID_REGISTRATION', 'identifiers'],
    [
      { identifiers: [{ system: fnr.system, value: '12345678901' }] },
      'CONSENT.INVALID_IDENTIFIER',
      'identifiers[0].value',
    ],
    [
      { identifiers: [{ system: 'urn:other', value: '1' }] },
      'CONSENT.UNKNOWN_IDENTIFIER_SYSTEM',
      'identifiers[0].system',
    ],
    [{ services: ['XX'] }, 'CONSENT.INVALID_REGISTRATION', 'services[0]'],
    [{ validFrom: '2026-02-30' }, 'CONSENT.INVALID_DATE', 'validFrom'],
    [{ validTo: '2025-12-31' }, 'CONSENT.INVALID_DATE', 'validTo'],
    [
      { devices: [{ identifier: device, from: '2026-01-05', to: '2026-01-01' }] },
      'CONSENT.INVALID_DATE',
      'devices[0].to',
    ],
  ])('refuses %j with %s at %s', (overrides, code, expression) => {
    expect(registration(overrides)).toMatchObject({ ok: false, error: { code, expression } });
  });

  it('refuses overlapping loans of one device, and takes back-to-back loans', () => {
    expect(
      registration({
        devices: [
          { identifier: device, from: '2026-01-01', to: '2026-01-10' },
          { identifier: device, from: '2026-01-10' },
        ],
      }),
    ).toMatchObject({ ok: false, error: { code: 'CONSENT.DEVICE_LOAN_OVERLAP' } });
    expect(
      registration({
        devices: [
          { identifier: device, from: '2026-01-11' },
          { identifier: device, from: '2026-01-01', to: '2026-01-10' },
        ],
      }),
    ).toMatchObject({
      ok: true,
      value: { devices: [{ from: '2026-01-01' }, { from: '2026-01-11' }] },
    });
  });
});

describe('parseConsentResource', () => {
  it('reads status, provision, patient, services and period', () => {
    const parsed = consent({
      id: 'c-1',
      provision: {
        type: 'deny',
        period: { start: '2026-01-01', end: '2026-01-31T23:30:00Z' },
        code: [{ coding: [{ system: welfareServiceSystem, code: 'GPS' }] }],
      },
    });
    expect(parsed).toMatchObject({
      ok: true,
      value: {
        id: 'c-1',
        status: 'active',
        provision: 'deny',
        patient: fnr,
        services: ['GPS'],
        periodStart: '2026-01-01',
        // 23:30 UTC on 31 January is 1 February in Oslo.
        periodEnd: '2026-02-01',
      },
    });
  });

  it.each([
    [{ resourceType: 'Patient' }, 'CONSENT.NOT_A_CONSENT', 'resourceType'],
    [{ status: 'maybe' }, 'CONSENT.INVALID_CONSENT', 'Consent.status'],
    [{ scope: undefined }, 'CONSENT.INVALID_CONSENT', 'Consent.scope'],
    [{ category: [] }, 'CONSENT.INVALID_CONSENT', 'Consent.category'],
    [
      { patient: { reference: 'Patient/1' } },
      'CONSENT.INVALID_CONSENT',
      'Consent.patient.identifier',
    ],
    [{ provision: { type: 'maybe' } }, 'CONSENT.INVALID_CONSENT', 'Consent.provision.type'],
    [
      { provision: { type: 'permit', period: { start: '2026' } } },
      'CONSENT.INVALID_DATE',
      'Consent.provision.period.start',
    ],
    [
      { provision: { type: 'permit', code: [{ text: 'TA' }] } },
      'CONSENT.INVALID_CONSENT',
      'Consent.provision.code[0]',
    ],
    [{ id: 'no spaces' }, 'CONSENT.INVALID_CONSENT', 'Consent.id'],
  ])('refuses %j with %s at %s', (overrides, code, expression) => {
    expect(consent(overrides)).toMatchObject({ ok: false, error: { code, expression } });
  });
});

describe('parsePolicyRequest', () => {
  it('defaults holdFor to PT24H and refuses unknown modes and months', () => {
    expect(parsePolicyRequest({ mode: 'opt-out' })).toEqual({
      ok: true,
      value: { mode: 'opt-out', holdFor: 'PT24H' },
    });
    expect(parsePolicyRequest({ mode: 'both' })).toMatchObject({
      ok: false,
      error: { code: 'CONSENT.INVALID_POLICY' },
    });
    expect(parsePolicyRequest({ mode: 'opt-in', holdFor: 'P1M' })).toMatchObject({
      ok: false,
      error: { code: 'CONSENT.INVALID_DURATION', expression: 'holdFor' },
    });
  });
});

describe('search bodies', () => {
  it('take a patient as system|value or as an object, and refuse unknown parameters', () => {
    expect(parseConsentSearch({ patient: `${fnr.system}|${fnr.value}` })).toMatchObject({
      ok: true,
      value: { patient: fnr, count: 50 },
    });
    expect(parseRegistrationSearch({ identifier: epj, service: 'TA', _count: 5 })).toMatchObject({
      ok: true,
      value: { identifier: epj, service: 'TA', count: 5 },
    });
    expect(parseRegistrationSearch({ nin: '1' })).toMatchObject({
      ok: false,
      error: { code: 'CONSENT.INVALID_SEARCH' },
    });
    expect(parseConsentSearch({ _count: 0 })).toMatchObject({
      ok: false,
      error: { code: 'CONSENT.INVALID_SEARCH' },
    });
  });
});

describe('parseFhirDateBound', () => {
  it('turns a dateTime into the Oslo date it falls on', () => {
    expect(parseFhirDateBound('2026-07-01T22:30:00Z', 'x')).toEqual({
      ok: true,
      value: '2026-07-02',
    });
    expect(parseFhirDateBound('2026-07-01T21:30:00Z', 'x')).toEqual({
      ok: true,
      value: '2026-07-01',
    });
    expect(parseFhirDateBound('2026-07-01T10:00:00', 'x')).toMatchObject({ ok: false });
  });
});
