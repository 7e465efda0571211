import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type KeyLike,
} from 'jose';
import type { AllowedAlgorithm } from '../algorithms';

/** A private key ready to sign, with the public half as a JWK. */
export interface SigningKey {
  readonly alg: AllowedAlgorithm;
  /** The RFC 7638 thumbprint of the public key: the `kid`, and `cnf.jkt` for a DPoP key. */
  readonly kid: string;
  readonly privateKey: KeyLike;
  /** Public members only (kty, crv, x, y / n, e), plus kid, alg and use. */
  readonly publicJwk: JWK;
}

const generateOptions: Record<AllowedAlgorithm, { crv?: string; modulusLength?: number }> = {
  ES256: {},
  RS256: { modulusLength: 2048 },
  PS256: { modulusLength: 2048 },
  EdDSA: { crv: 'Ed25519' },
};

export async function generateSigningKey(alg: AllowedAlgorithm = 'ES256'): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair(alg, { ...generateOptions[alg], extractable: true });
  return signingKeyFromPrivateJwk({ ...(await exportJWK(privateKey)), alg });
}

/** The key stored as a private JWK (with `alg`), e.g. read back from a key file. */
export async function signingKeyFromPrivateJwk(privateJwk: JWK): Promise<SigningKey> {
  const alg = privateJwk.alg as AllowedAlgorithm;
  const publicMembers = publicPart(privateJwk);
  const kid = await calculateJwkThumbprint(publicMembers, 'sha256');
  const privateKey = (await importJWK(privateJwk, alg)) as KeyLike;
  return { alg, kid, privateKey, publicJwk: { ...publicMembers, kid, alg, use: 'sig' } };
}

export async function exportPrivateJwk(key: SigningKey): Promise<JWK> {
  return { ...(await exportJWK(key.privateKey)), alg: key.alg, kid: key.kid };
}

/** The members of a public JWK (RFC 7518 §6), whatever else the input carries. */
export function publicPart(jwk: JWK): JWK {
  switch (jwk.kty) {
    case 'EC':
      return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
    case 'OKP':
      return { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
    case 'RSA':
      return { kty: jwk.kty, n: jwk.n, e: jwk.e };
    default:
      throw new Error(`unsupported key type ${jwk.kty}`);
  }
}
