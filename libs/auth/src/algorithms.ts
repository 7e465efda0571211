/**
 * Signature algorithms accepted for access tokens and DPoP proofs: the asymmetric ones
 * HelseID and its clients use. No `none`, no HMAC (a shared secret would let every holder of
 * the JWKS mint tokens), nothing weaker than 2048-bit RSA (jose enforces that).
 */
export const ALLOWED_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;

export type AllowedAlgorithm = (typeof ALLOWED_ALGORITHMS)[number];

export function isAllowedAlgorithm(value: unknown): value is AllowedAlgorithm {
  return (ALLOWED_ALGORITHMS as readonly unknown[]).includes(value);
}

/** The key type (and curves) an algorithm needs; a proof's `jwk` must match its `alg`. */
export function keyFitsAlgorithm(algorithm: AllowedAlgorithm, kty: unknown, crv: unknown): boolean {
  switch (algorithm) {
    case 'RS256':
    case 'PS256':
      return kty === 'RSA';
    case 'ES256':
      return kty === 'EC' && crv === 'P-256';
    case 'EdDSA':
      return kty === 'OKP' && (crv === 'Ed25519' || crv === 'Ed448');
  }
}
