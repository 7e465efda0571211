import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenVerifier, DEV_ISSUER, Scopes } from '@knutepunkt/auth';
import { decodeJwt } from 'jose';
import { parseTokenCommand, runTokenCommand } from './cli';

describe('parseTokenCommand', () => {
  it('reads a token command with every option', () => {
    const parsed = parseTokenCommand(
      [
        '--sub',
        'demo-vendor',
        '--scope',
        'knutepunkt:ingest.write knutepunkt:epj.read',
        '--aud',
        'api',
        '--iss',
        'https://issuer.example',
        '--orgnr-parent',
        '123456785',
        '--ttl',
        '60',
        '--dpop-key',
        'keys/dpop.json',
      ],
      '/home/dev/project',
    );
    expect(parsed).toEqual({
      ok: true,
      command: {
        kind: 'token',
        sub: 'demo-vendor',
        scope: 'knutepunkt:ingest.write knutepunkt:epj.read',
        aud: 'api',
        iss: 'https://issuer.example',
        orgnrParent: '123456785',
        ttlSeconds: 60,
        dpopKeyFile: '/home/dev/project/keys/dpop.json',
      },
    });
  });

  it('reads a proof command', () => {
    expect(
      parseTokenCommand(
        [
          '--dpop-proof',
          '--dpop-key',
          '/k.json',
          '--htm',
          'POST',
          '--htu',
          'http://127.0.0.1:3000/x',
          '--token',
          'a.b.c',
        ],
        '/',
      ),
    ).toEqual({
      ok: true,
      command: {
        kind: 'dpop-proof',
        dpopKeyFile: '/k.json',
        htm: 'POST',
        htu: 'http://127.0.0.1:3000/x',
        token: 'a.b.c',
      },
    });
  });

  it.each([
    [[], /--sub .*required.*--scope .*required/],
    [['--sub', 'c'], /--scope/],
    [['--sub', 'c', '--scope', '', '--ttl', '0'], /--ttl/],
    [['--sub', 'c', '--scope', '', '--ttl', '1.5'], /--ttl/],
    [['--sub', 'c', '--scope', '', '--orgnr-parent', '12345'], /--orgnr-parent/],
    [['--sub', 'c', '--scope', '', '--htm', 'POST'], /--htm goes only with --dpop-proof/],
    [['--sub', 'c', '--scope', '', '--bogus'], /bogus/],
    [['--sub', 'c', '--scope', '', 'positional'], /positional/],
    [['--dpop-proof', '--htm', 'post', '--htu', '/relative'], /--dpop-key.*--htm.*--htu/],
    [
      ['--dpop-proof', '--dpop-key', 'k', '--htm', 'GET', '--htu', 'http://h/x', '--sub', 'c'],
      /--sub does not go/,
    ],
  ])('refuses %j', (argv, message) => {
    const parsed = parseTokenCommand(argv, '/');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});

describe('runTokenCommand', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'knutepunkt-token-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a bearer token the services accept, and a bound token with a working proof', async () => {
    const authDir = join(dir, 'auth');
    const verifier = createTokenVerifier({
      jwks: { file: join(authDir, 'jwks.json') },
      issuer: DEV_ISSUER,
      audience: 'knutepunkt',
    });
    const url = 'http://127.0.0.1:3000/fhir/123456785/Bundle';

    const bearer = parseTokenCommand(['--sub', 'demo-vendor', '--scope', Scopes.IngestWrite], dir);
    if (!bearer.ok) throw new Error(bearer.message);
    const token = await runTokenCommand(bearer.command, { authDir });
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect((await verifier.verify(`Bearer ${token}`, { method: 'POST', url })).ok).toBe(true);

    const bound = parseTokenCommand(
      ['--sub', 'dpop-vendor', '--scope', Scopes.IngestWrite, '--dpop-key', 'dpop.json'],
      dir,
    );
    if (!bound.ok) throw new Error(bound.message);
    const boundToken = await runTokenCommand(bound.command, { authDir });
    expect(decodeJwt(boundToken).cnf).toBeDefined();

    const proofCommand = parseTokenCommand(
      [
        '--dpop-proof',
        '--dpop-key',
        'dpop.json',
        '--htm',
        'POST',
        '--htu',
        url,
        '--token',
        boundToken,
      ],
      dir,
    );
    if (!proofCommand.ok) throw new Error(proofCommand.message);
    const proof = await runTokenCommand(proofCommand.command);
    const result = await verifier.verify(`DPoP ${boundToken}`, {
      method: 'POST',
      url,
      dpopHeader: proof,
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.principal.clientId).toBe('dpop-vendor');
  });
});
