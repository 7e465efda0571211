import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { DEV_ISSUER } from '../dev-issuer';
import { Scopes } from '../scopes';
import { createTokenVerifier } from '../token-verifier';
import { dpopProof, issueToken, loadOrCreateKeyFile } from './dev-issuer-store';

/** The dev issuer on a temporary folder, checked by the real verifier over its JWKS file. */
describe('dev issuer', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'knutepunkt-auth-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const verifierFor = (authDir: string) =>
    createTokenVerifier({
      jwks: { file: join(authDir, 'jwks.json') },
      issuer: DEV_ISSUER,
      audience: 'knutepunkt',
    });

  it('creates its key (0600) and JWKS on first use; the services accept its tokens', async () => {
    const authDir = join(dir, 'local', 'auth');
    const token = await issueToken({
      sub: 'demo-vendor',
      scope: `${Scopes.IngestWrite} ${Scopes.EpjRead}`,
      orgnrParent: '123456785',
      authDir,
    });
    expect(statSync(join(authDir, 'signing-key.json')).mode & 0o777).toBe(0o600);
    expect(statSync(authDir).mode & 0o777).toBe(0o700);
    // The parent (.local) keeps the default mode: the devstack's PostgreSQL user must enter it.
    mkdirSync(join(dir, 'plain'));
    expect(statSync(join(dir, 'local')).mode).toBe(statSync(join(dir, 'plain')).mode);
    const jwks = JSON.parse(readFileSync(join(authDir, 'jwks.json'), 'utf8')) as {
      keys: Record<string, unknown>[];
    };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');

    const result = await verifierFor(authDir).verify(`Bearer ${token}`, {
      method: 'POST',
      url: 'http://127.0.0.1:3000/fhir/123456785/Bundle',
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.principal.clientId).toBe('demo-vendor');
    expect(result.principal.orgnrParent).toBe('123456785');
    expect(result.principal.scopes).toEqual(new Set([Scopes.IngestWrite, Scopes.EpjRead]));
  });

  it('keeps its key across runs, and one key when first runs race', async () => {
    const authDir = join(dir, 'auth');
    const tokens = await Promise.all(
      Array.from({ length: 5 }, () => issueToken({ sub: 'c', scope: '', authDir })),
    );
    const kids = new Set(tokens.map((t) => decodeProtectedHeader(t).kid));
    expect(kids.size).toBe(1);
    const later = await issueToken({ sub: 'c', scope: '', authDir });
    expect(decodeProtectedHeader(later).kid).toEqual([...kids][0]);
  });

  it('sets audience, issuer and lifetime as asked', async () => {
    const now = Date.now();
    const token = await issueToken({
      sub: 'c',
      scope: Scopes.Admin,
      aud: 'other-api',
      iss: 'https://issuer.example',
      ttlSeconds: 60,
      authDir: dir,
      now,
    });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      aud: 'other-api',
      iss: 'https://issuer.example',
      scope: Scopes.Admin,
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(60);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
  });

  it('binds a token to a DPoP key and makes proofs the verifier accepts once', async () => {
    const authDir = join(dir, 'auth');
    const dpopKeyFile = join(dir, 'client', 'dpop-key.json');
    const token = await issueToken({
      sub: 'dpop-vendor',
      scope: Scopes.IngestWrite,
      dpopKeyFile,
      authDir,
    });
    expect(statSync(dpopKeyFile).mode & 0o777).toBe(0o600);
    const key = await loadOrCreateKeyFile(dpopKeyFile);
    expect(decodeJwt(token).cnf).toEqual({ jkt: key.kid });

    const url = 'http://127.0.0.1:3000/fhir/123456785/Bundle';
    const proof = await dpopProof({ dpopKeyFile, htm: 'POST', htu: url, token });
    const verifier = verifierFor(authDir);
    const first = await verifier.verify(`DPoP ${token}`, {
      method: 'POST',
      url,
      dpopHeader: proof,
    });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.principal.boundKeyThumbprint).toBe(key.kid);
    const again = await verifier.verify(`DPoP ${token}`, {
      method: 'POST',
      url,
      dpopHeader: proof,
    });
    expect(again.ok ? 'ok' : again.error.code).toBe('AUTH.DPOP_REPLAYED');
  });

  it('refuses a key file without a private key', async () => {
    const authDir = join(dir, 'auth');
    await issueToken({ sub: 'c', scope: '', authDir });
    await expect(loadOrCreateKeyFile(join(authDir, 'jwks.json'))).rejects.toThrow();
  });
});
