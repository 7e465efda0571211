import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestIssuer } from './testing';
import { createTokenVerifier } from './token-verifier';

/** The file source, on a temporary file: the dev issuer's JWKS as the services read it. */
describe('JWKS from a file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'knutepunkt-jwks-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const request = { method: 'GET', url: 'https://knutepunkt.test/x' };

  it('reads the file on first use, so it may appear after the verifier is made', async () => {
    const issuer = await createTestIssuer();
    const file = join(dir, 'jwks.json');
    const verifier = createTokenVerifier({
      jwks: { file },
      issuer: issuer.issuer,
      audience: issuer.audience,
    });
    const token = await issuer.token({});
    const before = await verifier.verify(`Bearer ${token}`, request);
    expect(before.ok ? 'ok' : before.error.code).toBe('AUTH.UNAVAILABLE');
    writeFileSync(file, JSON.stringify(issuer.jwks));
    expect((await verifier.verify(`Bearer ${token}`, request)).ok).toBe(true);
  });

  it('picks up a new key written to the file, without a restart', async () => {
    const first = await createTestIssuer();
    const second = await createTestIssuer({ issuer: first.issuer });
    const file = join(dir, 'jwks.json');
    writeFileSync(file, JSON.stringify(first.jwks));
    const verifier = createTokenVerifier({
      jwks: { file, reloadCooldownMs: 0 },
      issuer: first.issuer,
      audience: first.audience,
    });
    expect((await verifier.verify(`Bearer ${await first.token({})}`, request)).ok).toBe(true);

    writeFileSync(file, JSON.stringify({ keys: [...first.jwks.keys, ...second.jwks.keys] }));
    // Some file systems keep whole-second mtimes; make the change visible.
    const { mtimeMs } = statSync(file);
    utimesSync(file, new Date(), new Date(mtimeMs + 2_000));
    expect((await verifier.verify(`Bearer ${await second.token({})}`, request)).ok).toBe(true);
  });

  it('reports a corrupt file as UNAVAILABLE, not as the caller’s fault', async () => {
    const issuer = await createTestIssuer();
    const file = join(dir, 'jwks.json');
    writeFileSync(file, '{ not json');
    const verifier = createTokenVerifier({
      jwks: { file },
      issuer: issuer.issuer,
      audience: issuer.audience,
    });
    const result = await verifier.verify(`Bearer ${await issuer.token({})}`, request);
    expect(result.ok ? 'ok' : result.error.status).toBe(503);
  });
});
