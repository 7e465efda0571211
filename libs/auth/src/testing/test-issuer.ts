import type { JSONWebKeySet, JWTHeaderParameters, JWTPayload } from 'jose';
import type { AllowedAlgorithm } from '../algorithms';
import { generateSigningKey, type SigningKey } from './keys';
import { signAccessToken, type AccessTokenClaims } from './sign';

export interface TestIssuer {
  readonly issuer: string;
  readonly audience: string;
  readonly key: SigningKey;
  /** The JWKS a verifier under test trusts: `{ keys: [key.publicJwk] }`. */
  readonly jwks: JSONWebKeySet;
  /** A token for `clientId`; `extra` breaks it on purpose. */
  token(
    claims: Partial<AccessTokenClaims> & { readonly clientId?: string },
    extra?: { readonly claims?: JWTPayload; readonly header?: Partial<JWTHeaderParameters> },
  ): Promise<string>;
}

/** An issuer living in memory, for unit tests: a fresh key per call, nothing on disk. */
export async function createTestIssuer(
  options: { issuer?: string; audience?: string; alg?: AllowedAlgorithm } = {},
): Promise<TestIssuer> {
  const issuer = options.issuer ?? 'https://issuer.test.invalid';
  const audience = options.audience ?? 'knutepunkt';
  const key = await generateSigningKey(options.alg ?? 'ES256');
  return {
    issuer,
    audience,
    key,
    jwks: { keys: [key.publicJwk] },
    token: (claims, extra) =>
      signAccessToken(key, { issuer, audience, clientId: 'test-client', ...claims }, extra),
  };
}
