/**
 * The shared replay store against the local stack's PostgreSQL (knutepunkt_test), in a
 * throwaway table: `npx jest -c jest.int.config.js libs/auth`.
 */
import { Pool } from 'pg';
import { integrationEnv, uniqueName } from '@knutepunkt/testing';
import { PgReplayCache, pgReplayCacheDdl } from './pg-replay-cache';
import { createTestIssuer, generateSigningKey, signDpopProof } from './testing';
import { createTokenVerifier } from './token-verifier';

const databaseUrl = integrationEnv()['DATABASE_URL'] ?? '';
const table = uniqueName('dpop_replay').replace(/-/g, '_');
const pools: Pool[] = [];

function replicaPool(): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  pools.push(pool);
  return pool;
}

beforeAll(async () => {
  await replicaPool().query(pgReplayCacheDdl(table));
});

afterAll(async () => {
  await pools[0]?.query(`DROP TABLE IF EXISTS ${table}`);
  await Promise.all(pools.map((pool) => pool.end()));
});

describe('PgReplayCache', () => {
  it('says a key is new once, then seen until it expires, then new again', async () => {
    let now = Date.now();
    const cache = new PgReplayCache(replicaPool(), { table, now: () => now });
    await expect(cache.seen('key-1', now + 60_000)).resolves.toBe(false);
    await expect(cache.seen('key-1', now + 60_000)).resolves.toBe(true);
    now += 59_000;
    await expect(cache.seen('key-1', now + 60_000)).resolves.toBe(true);
    now += 2_000;
    await expect(cache.seen('key-1', now + 60_000)).resolves.toBe(false);
  });

  it('lets exactly one of many concurrent uses through, across replicas', async () => {
    const replicaA = new PgReplayCache(replicaPool(), { table });
    const replicaB = new PgReplayCache(replicaPool(), { table });
    const expiresAt = Date.now() + 60_000;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 === 0 ? replicaA : replicaB).seen('contended', expiresAt),
      ),
    );
    expect(answers.filter((seen) => !seen)).toHaveLength(1);
    expect(answers.filter((seen) => seen)).toHaveLength(39);
  });

  it('purges expired rows only', async () => {
    let now = Date.now();
    const pool = replicaPool();
    const cache = new PgReplayCache(pool, { table, now: () => now, purgeEveryMs: 1e12 });
    await cache.seen('short', now + 1_000);
    await cache.seen('long', now + 600_000);
    now += 5_000;
    expect(await cache.purgeExpired()).toBeGreaterThanOrEqual(1);
    const { rows } = await pool.query<{ key: string }>(
      `SELECT key FROM ${table} WHERE key IN ('short', 'long')`,
    );
    expect(rows.map((row) => row.key)).toEqual(['long']);
  });

  it('refuses a proof replayed on another replica (two verifiers, one store)', async () => {
    const issuer = await createTestIssuer();
    const clientKey = await generateSigningKey('ES256');
    const token = await issuer.token({ dpopKey: clientKey });
    const replica = () =>
      createTokenVerifier({
        jwks: issuer.jwks,
        issuer: issuer.issuer,
        audience: issuer.audience,
        dpop: { replayCache: new PgReplayCache(replicaPool(), { table }) },
      });
    const [a, b] = [replica(), replica()];
    const url = 'http://127.0.0.1:3000/fhir/123456785/Bundle';
    const proof = await signDpopProof(clientKey, { htm: 'POST', htu: url, accessToken: token });
    const request = { method: 'POST', url, dpopHeader: proof };

    expect((await a.verify(`DPoP ${token}`, request)).ok).toBe(true);
    const onB = await b.verify(`DPoP ${token}`, request);
    expect(onB.ok ? 'ok' : onB.error.code).toBe('AUTH.DPOP_REPLAYED');
  });

  it('fails closed (503) when the database is gone', async () => {
    const issuer = await createTestIssuer();
    const clientKey = await generateSigningKey('ES256');
    const token = await issuer.token({ dpopKey: clientKey });
    const deadPool = new Pool({
      connectionString: 'postgres://knutepunkt:knutepunkt@127.0.0.1:1/knutepunkt_test',
      connectionTimeoutMillis: 1_000,
    });
    pools.push(deadPool);
    const verifier = createTokenVerifier({
      jwks: issuer.jwks,
      issuer: issuer.issuer,
      audience: issuer.audience,
      dpop: { replayCache: new PgReplayCache(deadPool, { table }) },
    });
    const url = 'http://127.0.0.1:3000/x';
    const proof = await signDpopProof(clientKey, { htm: 'GET', htu: url, accessToken: token });
    const result = await verifier.verify(`DPoP ${token}`, {
      method: 'GET',
      url,
      dpopHeader: proof,
    });
    expect(result.ok ? 'ok' : [result.error.code, result.error.status]).toEqual([
      'AUTH.UNAVAILABLE',
      503,
    ]);
  });

  it('refuses a table name that is not a plain identifier', () => {
    expect(() => new PgReplayCache(replicaPool(), { table: 'x; DROP TABLE y' })).toThrow(
      /identifier/,
    );
    expect(() => pgReplayCacheDdl('Bad-Name')).toThrow(/identifier/);
  });
});
