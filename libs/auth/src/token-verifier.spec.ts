import { SignJWT, base64url } from 'jose';
import type { AuthErrorCode } from './errors';
import { Scopes } from './scopes';
import { createTestIssuer, generateSigningKey, type TestIssuer } from './testing';
import {
  createTokenVerifier,
  type TokenVerifierOptions,
  type VerifyResult,
} from './token-verifier';

const request = { method: 'POST', url: 'https://knutepunkt.test/fhir/123456785/Bundle' };

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});

function verifierFor(overrides: Partial<TokenVerifierOptions> = {}) {
  return createTokenVerifier({
    jwks: issuer.jwks,
    issuer: issuer.issuer,
    audience: issuer.audience,
    ...overrides,
  });
}

function expectRefused(result: VerifyResult, code: AuthErrorCode, status = 401): void {
  if (result.ok) throw new Error(`expected ${code}, got a principal`);
  expect(result.error.code).toBe(code);
  expect(result.error.status).toBe(status);
}

describe('createTokenVerifier: bearer tokens', () => {
  it('accepts a valid bearer token and describes the caller', async () => {
    const token = await issuer.token({
      clientId: 'vendor-a',
      scope: `${Scopes.IngestWrite} ${Scopes.EpjRead}`,
      orgnrParent: '123456785',
    });
    const result = await verifierFor().verify(`Bearer ${token}`, request);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.principal.clientId).toBe('vendor-a');
    expect([...result.principal.scopes]).toEqual([Scopes.IngestWrite, Scopes.EpjRead]);
    expect(result.principal.orgnrParent).toBe('123456785');
    expect(result.principal.boundKeyThumbprint).toBeUndefined();
    expect(result.principal.scheme).toBe('Bearer');
    expect(result.principal.tokenId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.principal.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it.each(['RS256', 'PS256', 'ES256', 'EdDSA'] as const)('accepts %s', async (alg) => {
    const other = await createTestIssuer({ alg });
    const verifier = createTokenVerifier({
      jwks: other.jwks,
      issuer: other.issuer,
      audience: other.audience,
    });
    const result = await verifier.verify(`Bearer ${await other.token({})}`, request);
    expect(result.ok).toBe(true);
  });

  it('reads the scheme case-insensitively and a scope claim given as an array (HelseID)', async () => {
    const token = await issuer.token({}, { claims: { scope: [Scopes.IngestWrite, Scopes.Admin] } });
    const result = await verifierFor().verify(`bearer ${token}`, request);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.principal.scopes).toEqual(new Set([Scopes.IngestWrite, Scopes.Admin]));
  });

  it('takes the client from sub when client_id is absent, and the short orgnr claim names', async () => {
    const token = await issuer.token(
      {},
      {
        claims: {
          client_id: undefined,
          sub: 'client-from-sub',
          orgnr_parent: '987654321',
          orgnr_child: '912345678',
        },
      },
    );
    const result = await verifierFor().verify(`Bearer ${token}`, request);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.principal.clientId).toBe('client-from-sub');
    expect(result.principal.orgnrParent).toBe('987654321');
    expect(result.principal.orgnrChild).toBe('912345678');
  });

  it('accepts typ JWT as HelseID allows, and identifies a token without jti by its hash', async () => {
    const token = await issuer.token({}, { header: { typ: 'JWT' }, claims: { jti: undefined } });
    const result = await verifierFor().verify(`Bearer ${token}`, request);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.principal.tokenId).toMatch(/^sha256:[A-Za-z0-9_-]{43}$/);
  });

  it('accepts an audience array that contains ours', async () => {
    const token = await issuer.token({ audience: ['other-api', issuer.audience] });
    expect((await verifierFor().verify(`Bearer ${token}`, request)).ok).toBe(true);
  });

  it('accepts a token expired less than the clock tolerance ago', async () => {
    const token = await issuer.token({ now: Date.now() - 302_000, ttlSeconds: 300 });
    expect(
      (await verifierFor({ clockToleranceSeconds: 5 }).verify(`Bearer ${token}`, request)).ok,
    ).toBe(true);
  });
});

describe('createTokenVerifier: refusals', () => {
  it.each([
    ['no header', undefined],
    ['an empty header', '  '],
    ['an empty list of headers', []],
  ])('MISSING_TOKEN for %s', async (_, header) => {
    const result = await verifierFor().verify(header, request);
    expectRefused(result, 'AUTH.MISSING_TOKEN');
    if (!result.ok) expect(result.error.challenge).toBe('Bearer realm="knutepunkt"');
  });

  it.each([
    ['a Basic header', 'Basic dXNlcjpwYXNz'],
    ['a bare token without scheme', 'eyJhbGciOiJIUzI1NiJ9.e30.sig'],
    ['a scheme without token', 'Bearer'],
    ['a token that is not a JWS', 'Bearer not-a-jwt'],
    ['two tokens', 'Bearer a.b.c d.e.f'],
    ['a JWE (five parts)', 'Bearer a.b.c.d.e'],
    ['an oversized token', `Bearer ${'a'.repeat(20_000)}.b.c`],
  ])('INVALID_TOKEN for %s', async (_, header) => {
    expectRefused(await verifierFor().verify(header, request), 'AUTH.INVALID_TOKEN');
  });

  it('INVALID_TOKEN for alg none', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }));
    const now = Math.floor(Date.now() / 1000);
    const payload = base64url.encode(
      JSON.stringify({ iss: issuer.issuer, aud: issuer.audience, sub: 'x', exp: now + 60 }),
    );
    // An unsecured JWT has an empty signature part; with any signature it must still fail.
    for (const token of [`${header}.${payload}.`, `${header}.${payload}.AAAA`]) {
      expectRefused(await verifierFor().verify(`Bearer ${token}`, request), 'AUTH.INVALID_TOKEN');
    }
  });

  it('INVALID_TOKEN for an HMAC-signed token, even one keyed with public JWKS material', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(issuer.jwks));
    const token = await new SignJWT({ iss: issuer.issuer, aud: issuer.audience, sub: 'x' })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: issuer.key.kid })
      .setExpirationTime('5m')
      .sign(secret);
    expectRefused(await verifierFor().verify(`Bearer ${token}`, request), 'AUTH.INVALID_TOKEN');
  });

  it('INVALID_TOKEN for an algorithm outside the configured allowlist', async () => {
    const token = await issuer.token({});
    expectRefused(
      await verifierFor({ algorithms: ['RS256'] }).verify(`Bearer ${token}`, request),
      'AUTH.INVALID_TOKEN',
    );
  });

  it.each([
    ['a DPoP proof', 'dpop+jwt'],
    ['an ID token style typ', 'id_token+jwt'],
  ])('INVALID_TOKEN for %s presented as access token', async (_, typ) => {
    const token = await issuer.token({}, { header: { typ } });
    expectRefused(await verifierFor().verify(`Bearer ${token}`, request), 'AUTH.INVALID_TOKEN');
  });

  it('INVALID_TOKEN when typ is missing', async () => {
    const token = await issuer.token({}, { header: { typ: undefined } });
    expectRefused(await verifierFor().verify(`Bearer ${token}`, request), 'AUTH.INVALID_TOKEN');
  });

  it('WRONG_ISSUER for another issuer, also one that differs only by a trailing slash', async () => {
    for (const iss of ['https://evil.example', `${issuer.issuer}/`]) {
      const token = await issuer.token({ issuer: iss });
      expectRefused(await verifierFor().verify(`Bearer ${token}`, request), 'AUTH.WRONG_ISSUER');
    }
  });

  it('WRONG_AUDIENCE for another audience or none', async () => {
    const other = await issuer.token({ audience: 'knutepunkt-admin' });
    expectRefused(await verifierFor().verify(`Bearer ${other}`, request), 'AUTH.WRONG_AUDIENCE');
    const none = await issuer.token({}, { claims: { aud: undefined } });
    expectRefused(await verifierFor().verify(`Bearer ${none}`, request), 'AUTH.WRONG_AUDIENCE');
  });

  it('EXPIRED beyond the clock tolerance', async () => {
    const token = await issuer.token({ now: Date.now() - 310_000, ttlSeconds: 300 });
    const result = await verifierFor({ clockToleranceSeconds: 5 }).verify(
      `Bearer ${token}`,
      request,
    );
    expectRefused(result, 'AUTH.EXPIRED');
    if (!result.ok) expect(result.error.challenge).toContain('error="invalid_token"');
  });

  it('INVALID_TOKEN when exp is missing', async () => {
    const token = await issuer.token({}, { claims: { exp: undefined } });
    expectRefused(await verifierFor().verify(`Bearer ${token}`, request), 'AUTH.INVALID_TOKEN');
  });

  it('NOT_YET_VALID for nbf or iat beyond the tolerance in the future', async () => {
    const later = Math.floor(Date.now() / 1000) + 60;
    const nbf = await issuer.token({}, { claims: { nbf: later } });
    expectRefused(await verifierFor().verify(`Bearer ${nbf}`, request), 'AUTH.NOT_YET_VALID');
    const iat = await issuer.token({}, { claims: { iat: later, nbf: undefined } });
    expectRefused(await verifierFor().verify(`Bearer ${iat}`, request), 'AUTH.NOT_YET_VALID');
  });

  it('BAD_SIGNATURE for a token signed by another key under the issuer key id', async () => {
    const impostor = await generateSigningKey('ES256');
    const token = await new SignJWT({ iss: issuer.issuer, aud: issuer.audience, sub: 'x' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: issuer.key.kid })
      .setExpirationTime('5m')
      .sign(impostor.privateKey);
    expectRefused(await verifierFor().verify(`Bearer ${token}`, request), 'AUTH.BAD_SIGNATURE');
  });

  it('BAD_SIGNATURE for a payload changed after signing', async () => {
    const token = await issuer.token({ scope: Scopes.EpjRead });
    const [header, , signature] = token.split('.');
    const forged = base64url.encode(
      JSON.stringify({
        iss: issuer.issuer,
        aud: issuer.audience,
        sub: 'x',
        scope: Scopes.Admin,
        exp: Math.floor(Date.now() / 1000) + 60,
      }),
    );
    expectRefused(
      await verifierFor().verify(`Bearer ${header ?? ''}.${forged}.${signature ?? ''}`, request),
      'AUTH.BAD_SIGNATURE',
    );
  });

  it('UNKNOWN_KEY for a key id the issuer does not publish', async () => {
    const token = await issuer.token({}, { header: { kid: 'rotated-away' } });
    expectRefused(await verifierFor().verify(`Bearer ${token}`, request), 'AUTH.UNKNOWN_KEY');
  });

  it('INVALID_TOKEN when no client is named', async () => {
    const token = await issuer.token({}, { claims: { client_id: undefined, sub: undefined } });
    expectRefused(await verifierFor().verify(`Bearer ${token}`, request), 'AUTH.INVALID_TOKEN');
  });

  it('INVALID_TOKEN for a malformed scope or orgnr claim', async () => {
    for (const claims of [
      { scope: 42 },
      { scope: ['ok', 7] },
      { 'helseid://claims/client/claims/orgnr_parent': '12345' },
      { orgnr_parent: 123456785 },
    ]) {
      const token = await issuer.token({}, { claims });
      expectRefused(await verifierFor().verify(`Bearer ${token}`, request), 'AUTH.INVALID_TOKEN');
    }
  });

  it('INVALID_TOKEN for a token bound by another confirmation method (mTLS x5t#S256)', async () => {
    const token = await issuer.token({}, { claims: { cnf: { 'x5t#S256': 'abc' } } });
    expectRefused(await verifierFor().verify(`Bearer ${token}`, request), 'AUTH.INVALID_TOKEN');
  });

  it('INSUFFICIENT_SCOPE (403) when a required scope is missing, naming it in the challenge', async () => {
    const token = await issuer.token({ scope: Scopes.EpjRead });
    const result = await verifierFor({ requiredScopes: [Scopes.IngestWrite] }).verify(
      `Bearer ${token}`,
      request,
    );
    expectRefused(result, 'AUTH.INSUFFICIENT_SCOPE', 403);
    if (!result.ok) {
      expect(result.error.challenge).toContain('error="insufficient_scope"');
      expect(result.error.challenge).toContain(`scope="${Scopes.IngestWrite}"`);
    }
  });

  it('does not take a scope that is only a prefix or part of a granted one', async () => {
    const token = await issuer.token({ scope: 'knutepunkt:ingest.writer knutepunkt:ingest' });
    expectRefused(
      await verifierFor({ requiredScopes: [Scopes.IngestWrite] }).verify(
        `Bearer ${token}`,
        request,
      ),
      'AUTH.INSUFFICIENT_SCOPE',
      403,
    );
  });

  it('DPOP_REQUIRED for a bearer token when the request or the client register demands DPoP', async () => {
    const token = await issuer.token({ clientId: 'strict-vendor' });
    expectRefused(
      await verifierFor().verify(`Bearer ${token}`, { ...request, requireDpop: true }),
      'AUTH.DPOP_REQUIRED',
    );
    const asked: string[] = [];
    const registerSays = verifierFor({
      dpop: {
        clientRequiresDpop: (clientId) => {
          asked.push(clientId);
          return Promise.resolve(clientId === 'strict-vendor');
        },
      },
    });
    const result = await registerSays.verify(`Bearer ${token}`, request);
    expectRefused(result, 'AUTH.DPOP_REQUIRED');
    if (!result.ok)
      expect(result.error.challenge).toMatch(/^DPoP .*algs="RS256 PS256 ES256 EdDSA"/);
    expect(asked).toEqual(['strict-vendor']);
    const relaxed = await issuer.token({ clientId: 'relaxed-vendor' });
    expect((await registerSays.verify(`Bearer ${relaxed}`, request)).ok).toBe(true);
  });

  it('UNAVAILABLE (503), not 401, when the client register lookup fails', async () => {
    const token = await issuer.token({});
    const verifier = verifierFor({
      dpop: { clientRequiresDpop: () => Promise.reject(new Error('database down')) },
    });
    expectRefused(await verifier.verify(`Bearer ${token}`, request), 'AUTH.UNAVAILABLE', 503);
  });

  it('UNAVAILABLE (503) when the JWKS file cannot be read', async () => {
    const token = await issuer.token({});
    const verifier = verifierFor({ jwks: { file: '/nonexistent/knutepunkt/jwks.json' } });
    expectRefused(await verifier.verify(`Bearer ${token}`, request), 'AUTH.UNAVAILABLE', 503);
  });

  it('refuses to be built with an algorithm outside the allowlist', () => {
    expect(() => verifierFor({ algorithms: ['HS256' as 'RS256'] })).toThrow(/subset/);
    expect(() => verifierFor({ algorithms: [] })).toThrow(/subset/);
  });

  it('keeps claim values out of error messages', async () => {
    const token = await issuer.token({ issuer: 'https://secret-issuer.example/12345678901' });
    const result = await verifierFor().verify(`Bearer ${token}`, request);
    expectRefused(result, 'AUTH.WRONG_ISSUER');
    if (!result.ok) {
      expect(result.error.message).not.toContain('12345678901');
      expect(result.error.challenge).not.toContain('12345678901');
    }
  });
});
