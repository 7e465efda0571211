import { createHash } from 'node:crypto';
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ALLOWED_ALGORITHMS, isAllowedAlgorithm, type AllowedAlgorithm } from './algorithms';
import { parseAuthorization } from './authorization-header';
import type { DpopNonceSource } from './dpop-nonce';
import { ProofKeyCache, verifyDpopProof, type DpopPolicy } from './dpop-proof';
import { authError, type AuthError, type AuthErrorCode, type AuthScheme } from './errors';
import { createKeyResolver, type JwksSource } from './jwks';
import { OrgnrClaims, type Principal } from './principal';
import { InMemoryReplayCache, replayKey, type ReplayCache } from './replay-cache';
import { missingScopes, parseScopeClaim } from './scopes';

export interface TokenVerifierOptions {
  readonly jwks: JwksSource;
  /** Compared exactly with `iss` (HelseID: the discovery document's issuer). */
  readonly issuer: string;
  /** Must be in `aud` exactly (HelseID: the API's "kortnavn"). */
  readonly audience: string;
  /** Scopes every request must carry; per-endpoint scopes go through `requireScope`. */
  readonly requiredScopes?: readonly string[];
  /** Leeway for `exp`, `nbf`, `iat` and a proof's future `iat`. Default 5 s. */
  readonly clockToleranceSeconds?: number;
  /** A subset of RS256, PS256, ES256, EdDSA, for tokens and proofs. Default: all four. */
  readonly algorithms?: readonly AllowedAlgorithm[];
  readonly dpop?: {
    /** Default: an in-memory cache, right only for a single replica (see the ADR). */
    readonly replayCache?: ReplayCache;
    /** How old a proof may be. Default 60 s. */
    readonly maxAgeSeconds?: number;
    /** When set, proofs must carry a nonce from it (RFC 9449 §8). */
    readonly nonces?: DpopNonceSource;
    /** The authorization register's `requireDpop` for a client; refuses Bearer for it. */
    readonly clientRequiresDpop?: (clientId: string) => boolean | Promise<boolean>;
  };
  /** The clock, in epoch milliseconds. */
  readonly now?: () => number;
}

export interface VerifyRequest {
  /** Request method as received, e.g. `POST`. */
  readonly method: string;
  /** Absolute URL as the client called it: behind a proxy, the public scheme and host. */
  readonly url: string;
  /** The `DPoP` header(s) as the HTTP server gives them. */
  readonly dpopHeader?: string | readonly string[] | undefined;
  /** Refuse Bearer for this request whatever the client's register entry says. */
  readonly requireDpop?: boolean;
}

export type VerifyResult =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly error: AuthError };

export interface TokenVerifier {
  /** Never rejects: every failure is a value with a stable code. */
  verify(
    authorization: string | readonly string[] | undefined,
    request: VerifyRequest,
  ): Promise<VerifyResult>;
}

const ACCESS_TOKEN_TYPES: ReadonlySet<string> = new Set(['at+jwt', 'application/at+jwt', 'jwt']);
const ORGNR = /^\d{9}$/;

/**
 * An OAuth2 resource server's token check, HelseID style: signature against the issuer's
 * JWKS, `typ`, exact `iss`, `aud`, `exp`/`nbf`/`iat` with leeway, scopes, and for
 * DPoP-bound tokens the proof (RFC 9449 §4.3) and its single use.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const algorithms = options.algorithms ?? ALLOWED_ALGORITHMS;
  if (algorithms.length === 0 || !algorithms.every(isAllowedAlgorithm)) {
    throw new Error(`algorithms must be a non-empty subset of ${ALLOWED_ALGORITHMS.join(', ')}`);
  }
  const toleranceSeconds = options.clockToleranceSeconds ?? 5;
  const now = options.now ?? Date.now;
  const resolveKey: JWTVerifyGetKey = createKeyResolver(options.jwks);
  const replayCache = options.dpop?.replayCache ?? new InMemoryReplayCache({ now });
  const dpopPolicy: DpopPolicy = {
    algorithms,
    maxAgeSeconds: options.dpop?.maxAgeSeconds ?? 60,
    futureSkewSeconds: toleranceSeconds,
    now,
    keyCache: new ProofKeyCache(),
    ...(options.dpop?.nonces === undefined ? {} : { nonces: options.dpop.nonces }),
  };
  const requiredScopes = options.requiredScopes ?? [];
  const clientRequiresDpop = options.dpop?.clientRequiresDpop;

  async function verify(
    authorization: string | readonly string[] | undefined,
    request: VerifyRequest,
  ): Promise<VerifyResult> {
    const parsed = parseAuthorization(authorization);
    switch (parsed.kind) {
      case 'missing':
        return fail('AUTH.MISSING_TOKEN', 'an access token is required');
      case 'unsupported':
        return fail('AUTH.INVALID_TOKEN', 'the Authorization scheme must be Bearer or DPoP');
      case 'malformed':
        return fail('AUTH.INVALID_TOKEN', 'the access token is not a compact JWT', parsed.scheme);
      case 'token':
        break;
    }
    const { scheme, token } = parsed;
    const refuse = (code: AuthErrorCode, message: string): VerifyResult =>
      fail(code, message, scheme);

    let payload: JWTPayload;
    try {
      const verified = await jwtVerify(token, resolveKey, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: [...algorithms],
        clockTolerance: toleranceSeconds,
        currentDate: new Date(now()),
        requiredClaims: ['exp'],
      });
      payload = verified.payload;
      const typ = verified.protectedHeader.typ;
      if (typeof typ !== 'string' || !ACCESS_TOKEN_TYPES.has(typ.toLowerCase())) {
        return refuse('AUTH.INVALID_TOKEN', 'the access token typ must be at+jwt or JWT');
      }
    } catch (error) {
      const [code, message] = classifyTokenError(error);
      return refuse(code, message);
    }

    if (typeof payload.iat === 'number' && payload.iat > now() / 1000 + toleranceSeconds) {
      return refuse('AUTH.NOT_YET_VALID', 'the access token was issued in the future');
    }
    const clientId = stringClaim(payload, 'client_id') ?? stringClaim(payload, 'sub');
    if (clientId === undefined) {
      return refuse('AUTH.INVALID_TOKEN', 'the access token names no client (client_id or sub)');
    }
    const scopes = parseScopeClaim(payload['scope']);
    if (scopes === undefined) {
      return refuse(
        'AUTH.INVALID_TOKEN',
        'the scope claim must be a string or an array of strings',
      );
    }
    const orgnrParent = orgnrClaim(payload, OrgnrClaims.parent);
    const orgnrChild = orgnrClaim(payload, OrgnrClaims.child);
    if (orgnrParent === null || orgnrChild === null) {
      return refuse('AUTH.INVALID_TOKEN', 'orgnr claims must be 9-digit organisation numbers');
    }
    const binding = boundThumbprint(payload);
    if (binding === null) {
      return refuse(
        'AUTH.INVALID_TOKEN',
        'the access token is bound by a confirmation method other than DPoP (cnf.jkt)',
      );
    }

    if (binding === undefined) {
      if (scheme === 'DPoP') {
        return refuse('AUTH.INVALID_TOKEN', 'the DPoP scheme needs a DPoP-bound token (cnf.jkt)');
      }
      const required = await dpopRequired(clientId, request);
      if (required === 'unavailable') {
        return refuse('AUTH.UNAVAILABLE', 'the client register could not be consulted');
      }
      if (required) {
        return refuse('AUTH.DPOP_REQUIRED', 'this client must present DPoP-bound tokens');
      }
    } else {
      if (scheme === 'Bearer') {
        return refuse('AUTH.DPOP_REQUIRED', 'a DPoP-bound token must be sent with the DPoP scheme');
      }
      const proof = await verifyDpopProof(
        {
          proofHeader: request.dpopHeader,
          method: request.method,
          url: request.url,
          accessToken: token,
          boundKeyThumbprint: binding,
        },
        dpopPolicy,
      );
      if (!proof.ok) return refuse(proof.code, proof.message);
      const expiresAtMs = (proof.proof.iatSeconds + dpopPolicy.maxAgeSeconds + 1) * 1000;
      let replayed: boolean;
      try {
        replayed = await replayCache.seen(replayKey(proof.proof.htu, proof.proof.jti), expiresAtMs);
      } catch {
        return refuse('AUTH.UNAVAILABLE', 'the DPoP replay store could not be consulted');
      }
      if (replayed) return refuse('AUTH.DPOP_REPLAYED', 'this DPoP proof (jti) was already used');
    }

    const lacking = missingScopes(scopes, requiredScopes);
    if (lacking.length > 0) {
      return {
        ok: false,
        error: authError('AUTH.INSUFFICIENT_SCOPE', `the token lacks scope ${lacking.join(' ')}`, {
          ...challengeContext(scheme),
          scope: lacking,
        }),
      };
    }

    const principal: Principal = {
      clientId,
      scopes,
      tokenId:
        stringClaim(payload, 'jti') ??
        `sha256:${createHash('sha256').update(token).digest('base64url')}`,
      // `exp` is required above, so it is a number here.
      expiresAt: new Date((payload.exp ?? 0) * 1000),
      scheme,
      ...(orgnrParent === undefined ? {} : { orgnrParent }),
      ...(orgnrChild === undefined ? {} : { orgnrChild }),
      ...(binding === undefined ? {} : { boundKeyThumbprint: binding }),
    };
    return { ok: true, principal };
  }

  async function dpopRequired(
    clientId: string,
    request: VerifyRequest,
  ): Promise<boolean | 'unavailable'> {
    if (request.requireDpop === true) return true;
    if (clientRequiresDpop === undefined) return false;
    try {
      return await clientRequiresDpop(clientId);
    } catch {
      return 'unavailable';
    }
  }

  function challengeContext(scheme: AuthScheme | undefined): {
    scheme?: AuthScheme;
    dpopAlgorithms: readonly string[];
    dpopNonce?: string;
  } {
    return {
      dpopAlgorithms: algorithms,
      ...(scheme === undefined ? {} : { scheme }),
      ...(dpopPolicy.nonces === undefined ? {} : { dpopNonce: dpopPolicy.nonces.current() }),
    };
  }

  function fail(code: AuthErrorCode, message: string, scheme?: AuthScheme): VerifyResult {
    return { ok: false, error: authError(code, message, challengeContext(scheme)) };
  }

  return {
    async verify(authorization, request) {
      try {
        return await verify(authorization, request);
      } catch {
        // Every expected failure is handled above; this is a defect or a dependency failing
        // in a way not foreseen. It is not the caller's fault, so not a 401.
        return fail('AUTH.UNAVAILABLE', 'the token could not be verified');
      }
    },
  };
}

/** jose's errors to our codes. A non-jose error comes from fetching or reading the JWKS. */
function classifyTokenError(error: unknown): [AuthErrorCode, string] {
  if (error instanceof errors.JWTExpired) return ['AUTH.EXPIRED', 'the access token has expired'];
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return ['AUTH.WRONG_ISSUER', 'the access token is from another issuer'];
      case 'aud':
        return ['AUTH.WRONG_AUDIENCE', 'the access token is not meant for this API (aud)'];
      case 'nbf':
        return ['AUTH.NOT_YET_VALID', 'the access token is not valid yet (nbf)'];
      default:
        return [
          'AUTH.INVALID_TOKEN',
          `the access token's ${error.claim} claim is missing or invalid`,
        ];
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return ['AUTH.BAD_SIGNATURE', 'the access token signature does not verify'];
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return [
      'AUTH.UNKNOWN_KEY',
      'the access token is signed with a key the issuer does not publish',
    ];
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return ['AUTH.INVALID_TOKEN', 'the access token algorithm is not accepted'];
  }
  if (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    !(error instanceof errors.JOSEError) ||
    error.code === errors.JOSEError.code
  ) {
    return ['AUTH.UNAVAILABLE', "the issuer's keys could not be loaded"];
  }
  return ['AUTH.INVALID_TOKEN', 'the access token is not a valid JWT'];
}

function stringClaim(payload: JWTPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The first present claim of `names`; null when present but not a 9-digit orgnr. */
function orgnrClaim(payload: JWTPayload, names: readonly string[]): string | undefined | null {
  for (const name of names) {
    const value = payload[name];
    if (value === undefined) continue;
    return typeof value === 'string' && ORGNR.test(value) ? value : null;
  }
  return undefined;
}

/** cnf.jkt; undefined when the token is unbound, null when bound some other way or malformed. */
function boundThumbprint(payload: JWTPayload): string | undefined | null {
  const cnf = payload['cnf'];
  if (cnf === undefined) return undefined;
  if (typeof cnf !== 'object' || cnf === null) return null;
  const jkt = (cnf as Record<string, unknown>)['jkt'];
  return typeof jkt === 'string' && /^[A-Za-z0-9_-]{43}$/.test(jkt) ? jkt : null;
}
