import { SignJWT, base64url, exportJWK } from 'jose';
import { randomBytes } from 'node:crypto';
import { createHmacDpopNonces } from './dpop-nonce';
import type { AuthErrorCode } from './errors';
import { InMemoryReplayCache, type ReplayCache } from './replay-cache';
import {
  createTestIssuer,
  generateSigningKey,
  publicPart,
  signDpopProof,
  type SigningKey,
  type TestIssuer,
} from './testing';
import {
  createTokenVerifier,
  type TokenVerifierOptions,
  type VerifyResult,
} from './token-verifier';

/** RFC 9449 §4.3 at a resource server: every check has a test that fails it alone. */

const url = 'https://knutepunkt.test/fhir/123456785/Bundle';
const method = 'POST';

let issuer: TestIssuer;
let clientKey: SigningKey;
let boundToken: string;

beforeAll(async () => {
  issuer = await createTestIssuer();
  clientKey = await generateSigningKey('ES256');
  boundToken = await issuer.token({ clientId: 'dpop-vendor', dpopKey: clientKey });
});

function verifierFor(overrides: Partial<TokenVerifierOptions> = {}) {
  return createTokenVerifier({
    jwks: issuer.jwks,
    issuer: issuer.issuer,
    audience: issuer.audience,
    ...overrides,
  });
}

async function present(
  proof: string | readonly string[] | undefined,
  overrides: Partial<TokenVerifierOptions> = {},
  requestOverrides: { method?: string; url?: string } = {},
): Promise<VerifyResult> {
  return verifierFor(overrides).verify(`DPoP ${boundToken}`, {
    method,
    url,
    dpopHeader: proof,
    ...requestOverrides,
  });
}

function proofFor(
  extra: Parameters<typeof signDpopProof>[2] = {},
  claims: Partial<Parameters<typeof signDpopProof>[1]> = {},
  key: SigningKey = clientKey,
): Promise<string> {
  return signDpopProof(key, { htm: method, htu: url, accessToken: boundToken, ...claims }, extra);
}

function expectRefused(result: VerifyResult, code: AuthErrorCode, check?: number): void {
  if (result.ok) throw new Error(`expected ${code}, got a principal`);
  expect(result.error.code).toBe(code);
  expect(result.error.status).toBe(code === 'AUTH.UNAVAILABLE' ? 503 : 401);
  if (check !== undefined) expect(result.error.message).toContain(`(check ${check})`);
}

describe('DPoP-bound tokens', () => {
  it('accepts a bound token with a valid proof and reports the bound key', async () => {
    const result = await present(await proofFor());
    if (!result.ok) throw new Error(result.error.message);
    expect(result.principal.clientId).toBe('dpop-vendor');
    expect(result.principal.boundKeyThumbprint).toBe(clientKey.kid);
    expect(result.principal.scheme).toBe('DPoP');
  });

  it.each(['RS256', 'PS256', 'EdDSA'] as const)('accepts a proof signed with %s', async (alg) => {
    const key = await generateSigningKey(alg);
    const token = await issuer.token({ dpopKey: key });
    const proof = await signDpopProof(key, { htm: method, htu: url, accessToken: token });
    const result = await verifierFor().verify(`DPoP ${token}`, { method, url, dpopHeader: proof });
    expect(result.ok).toBe(true);
  });

  it('accepts the proof header given as a one-element list', async () => {
    expect((await present([await proofFor()])).ok).toBe(true);
  });

  it('DPOP_REQUIRED when a bound token comes with the Bearer scheme, proof or not', async () => {
    const proof = await proofFor();
    const result = await verifierFor().verify(`Bearer ${boundToken}`, {
      method,
      url,
      dpopHeader: proof,
    });
    expectRefused(result, 'AUTH.DPOP_REQUIRED');
  });

  it('INVALID_TOKEN when the DPoP scheme carries a token that is not bound', async () => {
    const unbound = await issuer.token({});
    const proof = await signDpopProof(clientKey, { htm: method, htu: url, accessToken: unbound });
    const result = await verifierFor().verify(`DPoP ${unbound}`, {
      method,
      url,
      dpopHeader: proof,
    });
    expectRefused(result, 'AUTH.INVALID_TOKEN');
  });

  it('checks the token before the proof: an expired bound token is EXPIRED', async () => {
    const expired = await issuer.token({ dpopKey: clientKey, now: Date.now() - 600_000 });
    const proof = await signDpopProof(clientKey, { htm: method, htu: url, accessToken: expired });
    const result = await verifierFor().verify(`DPoP ${expired}`, {
      method,
      url,
      dpopHeader: proof,
    });
    expectRefused(result, 'AUTH.EXPIRED');
  });
});

describe('RFC 9449 §4.3 checks, one refusal each', () => {
  it('1: refuses no DPoP header', async () => {
    expectRefused(await present(undefined), 'AUTH.DPOP_INVALID', 1);
  });

  it('1: refuses two DPoP headers, as a list or as Node joins them', async () => {
    const [a, b] = [await proofFor(), await proofFor()];
    expectRefused(await present([a, b]), 'AUTH.DPOP_INVALID', 1);
    expectRefused(await present(`${a}, ${b}`), 'AUTH.DPOP_INVALID', 1);
  });

  it('2: refuses a header that is not one well-formed JWT', async () => {
    expectRefused(await present('not-a-jwt'), 'AUTH.DPOP_INVALID', 2);
    const garbageHeader = `${base64url.encode('{not json')}.${base64url.encode('{}')}.AAAA`;
    expectRefused(await present(garbageHeader), 'AUTH.DPOP_INVALID', 2);
    expectRefused(await present(`${'a'.repeat(9_000)}.b.c`), 'AUTH.DPOP_INVALID', 2);
  });

  it('3: refuses a proof lacking any required claim (jti, htm, htu, iat, ath)', async () => {
    for (const claim of ['jti', 'htm', 'htu', 'iat', 'ath']) {
      const proof = await proofFor({ claims: { [claim]: undefined } });
      expectRefused(await present(proof), 'AUTH.DPOP_INVALID', 3);
    }
    const hugeJti = await proofFor({ claims: { jti: 'x'.repeat(300) } });
    expectRefused(await present(hugeJti), 'AUTH.DPOP_INVALID', 3);
  });

  it('4: refuses a typ other than dpop+jwt', async () => {
    for (const typ of ['JWT', 'at+jwt', undefined]) {
      expectRefused(await present(await proofFor({ header: { typ } })), 'AUTH.DPOP_INVALID', 4);
    }
  });

  it('5: refuses alg none, a symmetric alg, and an asymmetric alg off the allowlist', async () => {
    const payload = base64url.encode(
      JSON.stringify({
        jti: 'n1',
        htm: method,
        htu: url,
        iat: Math.floor(Date.now() / 1000),
      }),
    );
    const none = base64url.encode(
      JSON.stringify({ alg: 'none', typ: 'dpop+jwt', jwk: publicPart(clientKey.publicJwk) }),
    );
    expectRefused(await present(`${none}.${payload}.AAAA`), 'AUTH.DPOP_INVALID', 5);

    const hmac = await new SignJWT({ jti: 'h1', htm: method, htu: url })
      .setIssuedAt()
      .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: { kty: 'oct' } })
      .sign(randomBytes(32));
    expectRefused(await present(hmac), 'AUTH.DPOP_INVALID', 5);

    // Tokens and proofs share the allowlist: an RS256 issuer, a verifier allowing only RS256.
    const rsIssuer = await createTestIssuer({ alg: 'RS256' });
    const token = await rsIssuer.token({ dpopKey: clientKey });
    const es256Proof = await signDpopProof(clientKey, {
      htm: method,
      htu: url,
      accessToken: token,
    });
    const rsOnly = createTokenVerifier({
      jwks: rsIssuer.jwks,
      issuer: rsIssuer.issuer,
      audience: rsIssuer.audience,
      algorithms: ['RS256'],
    });
    expectRefused(
      await rsOnly.verify(`DPoP ${token}`, { method, url, dpopHeader: es256Proof }),
      'AUTH.DPOP_INVALID',
      5,
    );
  });

  it('6: refuses a proof whose signature does not verify with its jwk', async () => {
    const other = await generateSigningKey('ES256');
    // Signed by `other` but presenting the client's public key.
    const proof = await proofFor({ header: { jwk: publicPart(clientKey.publicJwk) } }, {}, other);
    expectRefused(await present(proof), 'AUTH.DPOP_INVALID', 6);
    const [header, payload] = (await proofFor()).split('.');
    expectRefused(
      await present(`${header ?? ''}.${payload ?? ''}.${base64url.encode(randomBytes(64))}`),
      'AUTH.DPOP_INVALID',
      6,
    );
  });

  it('7: refuses a jwk carrying the private key, a missing jwk, and one unfit for alg', async () => {
    const privateJwk = await exportJWK(clientKey.privateKey);
    expectRefused(
      await present(await proofFor({ header: { jwk: privateJwk } })),
      'AUTH.DPOP_INVALID',
      7,
    );
    expectRefused(
      await present(await proofFor({ header: { jwk: undefined } })),
      'AUTH.DPOP_INVALID',
      7,
    );
    const rsa = await generateSigningKey('RS256');
    expectRefused(
      await present(await proofFor({ header: { jwk: publicPart(rsa.publicJwk) } })),
      'AUTH.DPOP_INVALID',
      7,
    );
    expectRefused(
      await present(
        await proofFor({ header: { jwk: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' } } }),
      ),
      'AUTH.DPOP_INVALID',
      7,
    );
  });

  it('8: refuses htm other than the request method', async () => {
    expectRefused(await present(await proofFor({}, { htm: 'GET' })), 'AUTH.DPOP_INVALID', 8);
    expectRefused(await present(await proofFor({}, { htm: 'post' })), 'AUTH.DPOP_INVALID', 8);
  });

  it('9: refuses htu for another path, host, port or scheme', async () => {
    for (const htu of [
      'https://knutepunkt.test/fhir/123456785/Observation',
      'https://evil.test/fhir/123456785/Bundle',
      'https://knutepunkt.test:8443/fhir/123456785/Bundle',
      'http://knutepunkt.test/fhir/123456785/Bundle',
      '/fhir/123456785/Bundle',
    ]) {
      expectRefused(await present(await proofFor({}, { htu })), 'AUTH.DPOP_INVALID', 9);
    }
  });

  it('9: matches htu after RFC 3986 normalisation, ignoring query and fragment', async () => {
    const proof = await proofFor(
      {},
      { htu: 'HTTPS://Knutepunkt.TEST:443/fhir/%31%32%33456785/./Bundle?x=1#frag' },
    );
    const result = await present(proof, {}, { url: `${url}?_format=json` });
    if (!result.ok) throw new Error(result.error.message);
  });

  it('10: refuses a missing or foreign nonce when the server issues nonces, and hands out one', async () => {
    const nonces = createHmacDpopNonces({ secret: randomBytes(32) });
    const missing = await present(await proofFor(), { dpop: { nonces } });
    expectRefused(missing, 'AUTH.DPOP_NONCE_REQUIRED', 10);
    if (!missing.ok) {
      expect(missing.error.challenge).toContain('error="use_dpop_nonce"');
      expect(missing.error.dpopNonce).toBeDefined();
      expect(nonces.isValid(missing.error.dpopNonce ?? '')).toBe(true);
    }
    const foreign = createHmacDpopNonces({ secret: randomBytes(32) }).current();
    expectRefused(
      await present(await proofFor({}, { nonce: foreign }), { dpop: { nonces } }),
      'AUTH.DPOP_NONCE_REQUIRED',
      10,
    );
    const good = await present(await proofFor({}, { nonce: nonces.current() }), {
      dpop: { nonces },
    });
    expect(good.ok).toBe(true);
  });

  it('11: refuses iat older than the window or further ahead than the tolerance', async () => {
    const past = await proofFor({}, { now: Date.now() - 61_000 });
    expectRefused(await present(past, { dpop: { maxAgeSeconds: 60 } }), 'AUTH.DPOP_INVALID', 11);
    const future = await proofFor({}, { now: Date.now() + 10_000 });
    expectRefused(await present(future, { clockToleranceSeconds: 5 }), 'AUTH.DPOP_INVALID', 11);
    const slightlyAhead = await proofFor({}, { now: Date.now() + 3_000 });
    expect((await present(slightlyAhead, { clockToleranceSeconds: 5 })).ok).toBe(true);
  });

  it('12: refuses ath that is not the hash of the presented token', async () => {
    const otherToken = await issuer.token({ dpopKey: clientKey });
    const proof = await proofFor({}, { accessToken: otherToken });
    expectRefused(await present(proof), 'AUTH.DPOP_INVALID', 12);
  });

  it('12: refuses a proof by a key other than the one in cnf.jkt', async () => {
    const thief = await generateSigningKey('ES256');
    const proof = await proofFor({}, {}, thief);
    expectRefused(await present(proof), 'AUTH.DPOP_KEY_MISMATCH', 12);
  });
});

describe('DPoP replay', () => {
  it('refuses a proof used a second time', async () => {
    const verifier = verifierFor();
    const proof = await proofFor();
    const first = await verifier.verify(`DPoP ${boundToken}`, { method, url, dpopHeader: proof });
    expect(first.ok).toBe(true);
    const second = await verifier.verify(`DPoP ${boundToken}`, { method, url, dpopHeader: proof });
    expectRefused(second, 'AUTH.DPOP_REPLAYED');
  });

  it('refuses a reused jti for the same URL even in a freshly signed proof', async () => {
    const verifier = verifierFor();
    const one = await proofFor({}, { jti: 'fixed-jti' });
    const two = await proofFor({}, { jti: 'fixed-jti' });
    expect((await verifier.verify(`DPoP ${boundToken}`, { method, url, dpopHeader: one })).ok).toBe(
      true,
    );
    expectRefused(
      await verifier.verify(`DPoP ${boundToken}`, { method, url, dpopHeader: two }),
      'AUTH.DPOP_REPLAYED',
    );
  });

  it('does not record proofs that fail a check, so they cannot block the real one', async () => {
    const replayCache = new InMemoryReplayCache();
    const verifier = verifierFor({ dpop: { replayCache } });
    const wrongMethod = await proofFor({}, { htm: 'GET', jti: 'shared' });
    await verifier.verify(`DPoP ${boundToken}`, { method, url, dpopHeader: wrongMethod });
    expect(replayCache.size).toBe(0);
  });

  it('remembers a proof for its whole acceptance window, and no longer', async () => {
    const start = Date.now();
    let now = start;
    const replayCache = new InMemoryReplayCache({ now: () => now });
    const verifier = verifierFor({ now: () => now, dpop: { replayCache, maxAgeSeconds: 60 } });
    const send = (dpopHeader: string) =>
      verifier.verify(`DPoP ${boundToken}`, { method, url, dpopHeader });
    const proof = await proofFor({}, { now: start });
    expect((await send(proof)).ok).toBe(true);

    now = start + 59_000;
    expectRefused(await send(proof), 'AUTH.DPOP_REPLAYED');

    now = start + 62_000;
    expectRefused(await send(proof), 'AUTH.DPOP_INVALID', 11);
    expect((await send(await proofFor({}, { now }))).ok).toBe(true);
    // The first proof's entry has expired and made room; only the fresh one is held.
    expect(replayCache.size).toBe(1);
  });

  it('UNAVAILABLE (503) when the replay store fails: fail closed', async () => {
    const broken: ReplayCache = { seen: () => Promise.reject(new Error('connection refused')) };
    expectRefused(
      await present(await proofFor(), { dpop: { replayCache: broken } }),
      'AUTH.UNAVAILABLE',
    );
  });
});
