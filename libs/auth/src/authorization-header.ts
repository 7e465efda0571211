import type { AuthScheme } from './errors';

export type ParsedAuthorization =
  | { readonly kind: 'missing' }
  | { readonly kind: 'unsupported'; readonly scheme: string }
  | { readonly kind: 'malformed'; readonly scheme: AuthScheme }
  | { readonly kind: 'token'; readonly scheme: AuthScheme; readonly token: string };

/** Larger than any real access token; keeps a hostile header from reaching the parsers. */
export const MAX_TOKEN_LENGTH = 16_384;

/** A compact JWS: three base64url parts. JWE and unsecured JWTs do not match. */
export const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * `Authorization: Bearer <token>` (RFC 6750) or `DPoP <token>` (RFC 9449 §7.1). The scheme
 * name is case-insensitive (RFC 9110 §11.1); the credentials must be one compact JWS.
 */
export function parseAuthorization(
  header: string | readonly string[] | undefined,
): ParsedAuthorization {
  if (header === undefined) return { kind: 'missing' };
  if (typeof header !== 'string') {
    if (header.length !== 1) return header.length === 0 ? { kind: 'missing' } : unsupported;
    return parseAuthorization(header[0]);
  }
  const trimmed = header.trim();
  if (trimmed.length === 0) return { kind: 'missing' };
  const match = /^(\S+)(?:[ \t]+(.*))?$/.exec(trimmed);
  if (match === null) return unsupported;
  const rawScheme = match[1] ?? '';
  const scheme = knownScheme(rawScheme);
  if (scheme === undefined) return { kind: 'unsupported', scheme: rawScheme.slice(0, 20) };
  const token = match[2] ?? '';
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) {
    return { kind: 'malformed', scheme };
  }
  return { kind: 'token', scheme, token };
}

const unsupported: ParsedAuthorization = { kind: 'unsupported', scheme: '(several)' };

function knownScheme(raw: string): AuthScheme | undefined {
  switch (raw.toLowerCase()) {
    case 'bearer':
      return 'Bearer';
    case 'dpop':
      return 'DPoP';
    default:
      return undefined;
  }
}
