import { base64url } from 'jose';
import { createTokenVerifier, type AllowedAlgorithm, type TokenVerifier } from '../src';
import { createTestIssuer, generateSigningKey, signDpopProof } from '../src/testing';

/**
 * Token verification cost, in process, keys in memory (no JWKS fetch):
 * `node -r @swc-node/register libs/auth/bench/verify.bench.ts [iterations]`. Each row runs
 * one verification at a time, then eight in flight (jose verifies signatures on libuv's
 * thread pool, so concurrency uses more than one core). The floor is a bare JSON.parse of
 * the same token's payload: the least any check of a JWT can cost.
 */

const url = 'https://knutepunkt.test/fhir/123456785/Bundle';
const method = 'POST';

/** Operations per second with `concurrency` in flight (jose verifies on libuv's pool). */
async function opsPerSecond(
  run: (i: number) => unknown,
  iterations: number,
  concurrency = 1,
): Promise<number> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < iterations) await run(next++);
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return iterations / seconds;
}

async function mustAccept(verifier: TokenVerifier, ...args: Parameters<TokenVerifier['verify']>) {
  const result = await verifier.verify(...args);
  if (!result.ok) throw new Error(`benchmark token refused: ${result.error.message}`);
}

interface Case {
  readonly name: string;
  /** Makes the arguments of the i-th call; proofs are single-use, so each call gets its own. */
  readonly prepare: (count: number) => Promise<(i: number) => Promise<unknown>>;
}

async function bearerCase(alg: AllowedAlgorithm): Promise<Case> {
  const issuer = await createTestIssuer({ alg });
  const verifier = createTokenVerifier({
    jwks: issuer.jwks,
    issuer: issuer.issuer,
    audience: issuer.audience,
  });
  const bearer = await issuer.token({ scope: 'knutepunkt:ingest.write' });
  return {
    name: `bearer, token ${alg}`,
    prepare: () => Promise.resolve(() => mustAccept(verifier, `Bearer ${bearer}`, { method, url })),
  };
}

async function dpopCase(tokenAlg: AllowedAlgorithm, proofAlg: AllowedAlgorithm): Promise<Case> {
  const issuer = await createTestIssuer({ alg: tokenAlg });
  const verifier = createTokenVerifier({
    jwks: issuer.jwks,
    issuer: issuer.issuer,
    audience: issuer.audience,
  });
  const clientKey = await generateSigningKey(proofAlg);
  const bound = await issuer.token({ dpopKey: clientKey });
  return {
    name: `DPoP, token ${tokenAlg} + proof ${proofAlg}`,
    prepare: async (count) => {
      // Signed before the clock starts: signing is the client's cost, not ours.
      const proofs = await Promise.all(
        Array.from({ length: count }, () =>
          signDpopProof(clientKey, { htm: method, htu: url, accessToken: bound }),
        ),
      );
      return (i) => mustAccept(verifier, `DPoP ${bound}`, { method, url, dpopHeader: proofs[i] });
    },
  };
}

async function main(): Promise<void> {
  const iterations = Number(process.argv[2] ?? 4_000);
  const token = await (await createTestIssuer()).token({});
  const payloadJson = Buffer.from(base64url.decode(token.split('.')[1] ?? '')).toString('utf8');
  await opsPerSecond(() => JSON.parse(payloadJson) as unknown, 50_000);
  const floor = await opsPerSecond(() => JSON.parse(payloadJson) as unknown, 200_000);

  const cases = [
    await bearerCase('ES256'),
    await bearerCase('RS256'),
    await bearerCase('EdDSA'),
    await dpopCase('ES256', 'ES256'),
    await dpopCase('RS256', 'ES256'),
  ];
  console.log(`Node ${process.version}, ${process.arch}, ${iterations} verifications per row`);
  console.log(
    `JSON.parse of the token payload (floor): ${Math.round(floor).toLocaleString('en')}/s`,
  );
  console.log(
    `${'case'.padEnd(34)} ${'1 in flight'.padStart(12)} ${'µs each'.padStart(9)} ${'× floor'.padStart(8)} ${'8 in flight'.padStart(12)}`,
  );
  for (const testCase of cases) {
    const warm = await testCase.prepare(300);
    await opsPerSecond(warm, 300);
    const serial = await opsPerSecond(await testCase.prepare(iterations), iterations, 1);
    const parallel = await opsPerSecond(await testCase.prepare(iterations), iterations, 8);
    const rate = (ops: number): string => `${Math.round(ops).toLocaleString('en')}/s`;
    console.log(
      [
        testCase.name.padEnd(34),
        rate(serial).padStart(12),
        (1e6 / serial).toFixed(0).padStart(9),
        (floor / serial).toFixed(0).padStart(8),
        rate(parallel).padStart(12),
      ].join(' '),
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
