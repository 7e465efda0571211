/**
 * Every way a request fails authentication or authorization, with a stable code. The HTTP
 * layer maps the error to its response in one place: `status`, the `WWW-Authenticate`
 * value in `challenge`, and a `DPoP-Nonce` header when `dpopNonce` is set.
 */
export type AuthErrorCode =
  /** No Authorization header, or an empty one. */
  | 'AUTH.MISSING_TOKEN'
  /** Not a JWT, an unsupported scheme or algorithm, a wrong `typ`, a malformed claim. */
  | 'AUTH.INVALID_TOKEN'
  | 'AUTH.EXPIRED'
  /** `nbf` (or `iat`) lies in the future beyond the clock tolerance. */
  | 'AUTH.NOT_YET_VALID'
  | 'AUTH.WRONG_AUDIENCE'
  | 'AUTH.WRONG_ISSUER'
  | 'AUTH.BAD_SIGNATURE'
  /** The token names a key the issuer's JWKS does not hold. */
  | 'AUTH.UNKNOWN_KEY'
  /** A DPoP-bound token sent as Bearer, a client that must use DPoP did not, or no proof. */
  | 'AUTH.DPOP_REQUIRED'
  /** The DPoP proof fails one of the RFC 9449 §4.3 checks. */
  | 'AUTH.DPOP_INVALID'
  /** The server issues nonces and the proof carries none or a stale one (RFC 9449 §8). */
  | 'AUTH.DPOP_NONCE_REQUIRED'
  | 'AUTH.DPOP_REPLAYED'
  /** The proof's key is not the key the token is bound to (`cnf.jkt`). */
  | 'AUTH.DPOP_KEY_MISMATCH'
  | 'AUTH.INSUFFICIENT_SCOPE'
  /**
   * Our side failed: the JWKS could not be fetched or read, the replay store or the client
   * lookup did not answer. Not the caller's fault, so 503 and not 401.
   */
  | 'AUTH.UNAVAILABLE';

export type AuthErrorStatus = 401 | 403 | 503;

export interface AuthError {
  readonly code: AuthErrorCode;
  /** For the client's developer. Never contains the token or any claim value from it. */
  readonly message: string;
  readonly status: AuthErrorStatus;
  /** The `WWW-Authenticate` header value (RFC 6750 §3, RFC 9449 §7.1). */
  readonly challenge: string;
  /** A fresh nonce to send as the `DPoP-Nonce` header, when the server issues nonces. */
  readonly dpopNonce?: string;
}

export type AuthScheme = 'Bearer' | 'DPoP';

/** Status and OAuth error name per code; the error name goes into the challenge. */
const codeTraits: Readonly<
  Record<AuthErrorCode, { status: AuthErrorStatus; oauthError: string | undefined }>
> = {
  'AUTH.MISSING_TOKEN': { status: 401, oauthError: undefined },
  'AUTH.INVALID_TOKEN': { status: 401, oauthError: 'invalid_token' },
  'AUTH.EXPIRED': { status: 401, oauthError: 'invalid_token' },
  'AUTH.NOT_YET_VALID': { status: 401, oauthError: 'invalid_token' },
  'AUTH.WRONG_AUDIENCE': { status: 401, oauthError: 'invalid_token' },
  'AUTH.WRONG_ISSUER': { status: 401, oauthError: 'invalid_token' },
  'AUTH.BAD_SIGNATURE': { status: 401, oauthError: 'invalid_token' },
  'AUTH.UNKNOWN_KEY': { status: 401, oauthError: 'invalid_token' },
  'AUTH.DPOP_REQUIRED': { status: 401, oauthError: 'invalid_token' },
  'AUTH.DPOP_INVALID': { status: 401, oauthError: 'invalid_dpop_proof' },
  'AUTH.DPOP_NONCE_REQUIRED': { status: 401, oauthError: 'use_dpop_nonce' },
  'AUTH.DPOP_REPLAYED': { status: 401, oauthError: 'invalid_dpop_proof' },
  'AUTH.DPOP_KEY_MISMATCH': { status: 401, oauthError: 'invalid_dpop_proof' },
  'AUTH.INSUFFICIENT_SCOPE': { status: 403, oauthError: 'insufficient_scope' },
  'AUTH.UNAVAILABLE': { status: 503, oauthError: undefined },
};

/** Codes whose challenge names the DPoP scheme whatever scheme the request used. */
const dpopCodes: ReadonlySet<AuthErrorCode> = new Set<AuthErrorCode>([
  'AUTH.DPOP_REQUIRED',
  'AUTH.DPOP_INVALID',
  'AUTH.DPOP_NONCE_REQUIRED',
  'AUTH.DPOP_REPLAYED',
  'AUTH.DPOP_KEY_MISMATCH',
]);

export interface ChallengeContext {
  /** The scheme the request used, when it used one we know. */
  readonly scheme?: AuthScheme;
  /** Algorithms accepted for DPoP proofs, advertised in DPoP challenges. */
  readonly dpopAlgorithms: readonly string[];
  /** Scopes the request lacked, for `insufficient_scope`. */
  readonly scope?: readonly string[];
  readonly dpopNonce?: string;
}

export function authError(
  code: AuthErrorCode,
  message: string,
  context: ChallengeContext,
): AuthError {
  const { status, oauthError } = codeTraits[code];
  const scheme: AuthScheme = dpopCodes.has(code) ? 'DPoP' : (context.scheme ?? 'Bearer');
  const params: string[] = [`realm="knutepunkt"`];
  if (oauthError !== undefined) {
    params.push(`error="${oauthError}"`, `error_description="${quotable(message)}"`);
  }
  if (code === 'AUTH.INSUFFICIENT_SCOPE' && context.scope !== undefined) {
    params.push(`scope="${quotable(context.scope.join(' '))}"`);
  }
  if (scheme === 'DPoP') params.push(`algs="${context.dpopAlgorithms.join(' ')}"`);
  const error: AuthError = {
    code,
    message,
    status,
    challenge: `${scheme} ${params.join(', ')}`,
  };
  return context.dpopNonce === undefined ? error : { ...error, dpopNonce: context.dpopNonce };
}

/** RFC 6750 §3: error_description may hold only %x20-21 / %x23-5B / %x5D-7E. */
function quotable(text: string): string {
  return text.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '?');
}
