import {
  aClientRegistryRecord,
  aMunicipality,
  aRegistryRecord,
  orgnrWithCheckDigit,
  testOrgnr,
} from '@knutepunkt/schemas/testing';
import type { Principal } from './principal';
import {
  AuthorizationRegister,
  registryEntryOf,
  registryKeys,
  registryRecordOf,
} from './authorization-register';
import { Scopes } from './scopes';

const otherOrgnr = orgnrWithCheckDigit('12345678');

function registerWith(): AuthorizationRegister {
  const register = new AuthorizationRegister();
  register.apply(registryKeys.municipality(testOrgnr), aRegistryRecord());
  register.apply(
    registryKeys.municipality(otherOrgnr),
    aRegistryRecord({
      entry: { 'no.knutepunkt.v1.Municipality': aMunicipality({ orgnr: otherOrgnr }) },
    }),
  );
  register.apply(
    registryKeys.client('vendor-a'),
    aClientRegistryRecord({
      clientId: 'vendor-a',
      kind: 'vendor',
      municipalities: [testOrgnr],
      services: ['TA'],
    }),
  );
  register.apply(
    registryKeys.client('epj-a'),
    aClientRegistryRecord({ clientId: 'epj-a', kind: 'epj', municipalities: [testOrgnr] }),
  );
  return register;
}

function principal(clientId: string, scopes: string[] = []): Principal {
  return {
    clientId,
    scopes: new Set(scopes),
    tokenId: 't',
    expiresAt: new Date(0),
    scheme: 'Bearer',
  };
}

describe('AuthorizationRegister', () => {
  it('lets a vendor write only for its municipalities and services', () => {
    const register = registerWith();
    expect(register.mayWrite('vendor-a', testOrgnr, 'TA')).toEqual({ ok: true });
    expect(register.mayWrite('vendor-a', testOrgnr)).toEqual({ ok: true });
    expect(register.mayWrite('vendor-a', testOrgnr, 'GPS')).toMatchObject({
      ok: false,
      code: 'REGISTER.SERVICE_NOT_ALLOWED',
    });
    expect(register.mayWrite('vendor-a', otherOrgnr, 'TA')).toMatchObject({
      code: 'REGISTER.MUNICIPALITY_NOT_ALLOWED',
    });
    expect(register.mayWrite('nobody', testOrgnr)).toMatchObject({
      code: 'REGISTER.UNKNOWN_CLIENT',
    });
    expect(register.mayWrite('epj-a', testOrgnr)).toMatchObject({
      code: 'REGISTER.WRONG_CLIENT_KIND',
    });
  });

  it('lets an EPJ client read only its municipalities, and only connected ones', () => {
    const register = registerWith();
    expect(register.mayRead('epj-a', testOrgnr)).toEqual({ ok: true });
    expect(register.mayRead('epj-a', otherOrgnr)).toMatchObject({
      code: 'REGISTER.MUNICIPALITY_NOT_ALLOWED',
    });
    expect(register.mayRead('vendor-a', testOrgnr)).toMatchObject({
      code: 'REGISTER.WRONG_CLIENT_KIND',
    });
    register.apply(registryKeys.municipality(testOrgnr), null);
    expect(register.mayRead('epj-a', testOrgnr)).toMatchObject({
      code: 'REGISTER.UNKNOWN_MUNICIPALITY',
    });
  });

  it('lets an admin act for every municipality and others for their own', () => {
    const register = registerWith();
    expect(register.mayActFor(principal('root', [Scopes.Admin]), otherOrgnr)).toEqual({
      ok: true,
    });
    expect(register.mayActFor(principal('epj-a'), testOrgnr)).toEqual({ ok: true });
    expect(register.mayActFor(principal('epj-a'), otherOrgnr)).toMatchObject({ ok: false });
    expect(register.mayActFor(principal('nobody'), testOrgnr)).toMatchObject({ ok: false });
  });

  it('takes the latest record per key and forgets a tombstoned client', () => {
    const register = registerWith();
    register.apply(
      registryKeys.client('vendor-a'),
      aClientRegistryRecord({
        clientId: 'vendor-a',
        kind: 'vendor',
        municipalities: [otherOrgnr],
        services: ['GPS'],
      }),
    );
    expect(register.mayWrite('vendor-a', otherOrgnr, 'GPS')).toEqual({ ok: true });
    expect(register.mayWrite('vendor-a', testOrgnr, 'TA')).toMatchObject({ ok: false });
    register.apply(registryKeys.client('vendor-a'), null);
    expect(register.client('vendor-a')).toBeUndefined();
    expect(register.clients().map((c) => c.clientId)).toEqual(['epj-a']);
    expect(register.municipalities().map((m) => m.orgnr)).toEqual([testOrgnr, otherOrgnr].sort());
  });

  it('round-trips an entry through the record avsc writes', () => {
    const municipality = aMunicipality();
    const record = registryRecordOf({ kind: 'municipality', municipality }, new Date(5), 'admin');
    expect(record.changedAt).toBe(5);
    expect(registryEntryOf(record)).toEqual({ kind: 'municipality', municipality });
  });
});
