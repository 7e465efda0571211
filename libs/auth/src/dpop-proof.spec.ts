import { ProofKeyCache } from './dpop-proof';
import { createTestIssuer, generateSigningKey, signDpopProof } from './testing';
import { createTokenVerifier } from './token-verifier';

describe('ProofKeyCache', () => {
  it('keeps the most recently used keys within its bound', () => {
    const cache = new ProofKeyCache(2);
    const [a, b, c] = [new Uint8Array([1]), new Uint8Array([2]), new Uint8Array([3])];
    cache.set('a', a);
    cache.set('b', b);
    expect(cache.get('a')).toBe(a); // a is now the most recent
    cache.set('c', c); // evicts b
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(a);
    expect(cache.get('c')).toBe(c);
  });

  it('serves one RSA key to proofs signed with RS256 and with PS256', async () => {
    const issuer = await createTestIssuer();
    const rsa = await generateSigningKey('RS256');
    const token = await issuer.token({ dpopKey: rsa });
    const verifier = createTokenVerifier({
      jwks: issuer.jwks,
      issuer: issuer.issuer,
      audience: issuer.audience,
    });
    const url = 'https://knutepunkt.test/x';
    for (const alg of ['RS256', 'PS256'] as const) {
      const proof = await signDpopProof(
        { ...rsa, alg },
        { htm: 'GET', htu: url, accessToken: token },
      );
      const result = await verifier.verify(`DPoP ${token}`, {
        method: 'GET',
        url,
        dpopHeader: proof,
      });
      if (!result.ok) throw new Error(`${alg}: ${result.error.message}`);
    }
  });
});
