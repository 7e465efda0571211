import { randomUUID } from 'node:crypto';
import { SignJWT, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { accessTokenHash } from '../dpop-proof';
import { publicPart, type SigningKey } from './keys';

export interface AccessTokenClaims {
  readonly issuer: string;
  readonly audience: string | readonly string[];
  /** The client: goes into both `sub` and `client_id`, as HelseID does for client credentials. */
  readonly clientId: string;
  readonly scope?: string | readonly string[];
  readonly orgnrParent?: string;
  readonly ttlSeconds?: number;
  /** Binds the token to this DPoP key (cnf.jkt = its thumbprint). */
  readonly dpopKey?: SigningKey;
  /** Epoch milliseconds; default now. */
  readonly now?: number;
}

/**
 * Signs an access token as the dev issuer and the tests do: `typ: at+jwt`, `kid`, the
 * RFC 9068 claims, HelseID's namespaced `orgnr_parent`. `extra` adds or replaces claims;
 * `header` adds or replaces header parameters, for tests that need a broken token.
 */
export async function signAccessToken(
  key: SigningKey,
  claims: AccessTokenClaims,
  extra: { readonly claims?: JWTPayload; readonly header?: Partial<JWTHeaderParameters> } = {},
): Promise<string> {
  const iat = Math.floor((claims.now ?? Date.now()) / 1000);
  const scope =
    claims.scope === undefined || typeof claims.scope === 'string'
      ? claims.scope
      : claims.scope.join(' ');
  const payload: JWTPayload = {
    iss: claims.issuer,
    sub: claims.clientId,
    client_id: claims.clientId,
    aud: typeof claims.audience === 'string' ? claims.audience : [...claims.audience],
    iat,
    nbf: iat,
    exp: iat + (claims.ttlSeconds ?? 300),
    jti: randomUUID(),
    ...(scope === undefined ? {} : { scope }),
    ...(claims.orgnrParent === undefined
      ? {}
      : { 'helseid://claims/client/claims/orgnr_parent': claims.orgnrParent }),
    ...(claims.dpopKey === undefined ? {} : { cnf: { jkt: claims.dpopKey.kid } }),
    ...extra.claims,
  };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, typ: 'at+jwt', kid: key.kid, ...extra.header })
    .sign(key.privateKey);
}

export interface DpopProofClaims {
  readonly htm: string;
  readonly htu: string;
  /** The access token the proof goes with; sets `ath`. */
  readonly accessToken?: string;
  readonly nonce?: string;
  readonly jti?: string;
  /** Epoch milliseconds; default now. */
  readonly now?: number;
}

/** Signs a DPoP proof (RFC 9449 §4.2) with `key`, its public half in the `jwk` header. */
export async function signDpopProof(
  key: SigningKey,
  claims: DpopProofClaims,
  extra: { readonly claims?: JWTPayload; readonly header?: Partial<JWTHeaderParameters> } = {},
): Promise<string> {
  const payload: JWTPayload = {
    jti: claims.jti ?? randomUUID(),
    htm: claims.htm,
    htu: claims.htu,
    iat: Math.floor((claims.now ?? Date.now()) / 1000),
    ...(claims.accessToken === undefined ? {} : { ath: accessTokenHash(claims.accessToken) }),
    ...(claims.nonce === undefined ? {} : { nonce: claims.nonce }),
    ...extra.claims,
  };
  return new SignJWT(payload)
    .setProtectedHeader({
      alg: key.alg,
      typ: 'dpop+jwt',
      jwk: publicPart(key.publicJwk),
      ...extra.header,
    })
    .sign(key.privateKey);
}
