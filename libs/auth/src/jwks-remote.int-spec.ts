/**
 * The JWKS URL source against a real HTTP server on 127.0.0.1 (HelseID's jwks_uri stands
 * behind the same code): fetch, refetch on an unknown kid after the cooldown, 503 when the
 * issuer cannot be reached.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONWebKeySet } from 'jose';
import { createTestIssuer } from './testing';
import { createTokenVerifier } from './token-verifier';

let served: JSONWebKeySet = { keys: [] };
let fetches = 0;
let server: Server;
let jwksUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    fetches += 1;
    if (request.url !== '/jwks') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const request = { method: 'GET', url: 'https://knutepunkt.test/x' };

describe('JWKS from a URL', () => {
  it('fetches once, and again only when a token names a key it lacks', async () => {
    const first = await createTestIssuer();
    const rotated = await createTestIssuer({ issuer: first.issuer });
    served = first.jwks;
    fetches = 0;
    const verifier = createTokenVerifier({
      jwks: { url: jwksUrl, cooldownMs: 0 },
      issuer: first.issuer,
      audience: first.audience,
    });
    for (let i = 0; i < 5; i += 1) {
      expect((await verifier.verify(`Bearer ${await first.token({})}`, request)).ok).toBe(true);
    }
    expect(fetches).toBe(1);

    served = { keys: [...first.jwks.keys, ...rotated.jwks.keys] };
    expect((await verifier.verify(`Bearer ${await rotated.token({})}`, request)).ok).toBe(true);
    expect(fetches).toBe(2);
  });

  it('answers UNAVAILABLE (503) when the issuer cannot be reached or answers badly', async () => {
    const issuer = await createTestIssuer();
    const token = await issuer.token({});
    for (const url of ['http://127.0.0.1:1/jwks', jwksUrl.replace('/jwks', '/missing')]) {
      const verifier = createTokenVerifier({
        jwks: { url, timeoutMs: 1_000 },
        issuer: issuer.issuer,
        audience: issuer.audience,
      });
      const result = await verifier.verify(`Bearer ${token}`, request);
      expect(result.ok ? 'ok' : [result.error.code, result.error.status]).toEqual([
        'AUTH.UNAVAILABLE',
        503,
      ]);
    }
  });
});
