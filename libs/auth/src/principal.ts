import type { AuthScheme } from './errors';

/** Who called, as established by a verified access token (and its DPoP proof). */
export interface Principal {
  /** The OAuth client: the `client_id` claim, else `sub`. Matches the authorization register. */
  readonly clientId: string;
  readonly scopes: ReadonlySet<string>;
  /**
   * The legal entity the client acts for (HelseID `orgnr_parent`): a 9-digit organisation
   * number. JFT's WriteAPI takes the municipality from it.
   */
  readonly orgnrParent?: string;
  /** The sub-unit (HelseID `orgnr_child`), when the token names one. */
  readonly orgnrChild?: string;
  /** `cnf.jkt`: the thumbprint of the key the token is bound to; set only for DPoP tokens. */
  readonly boundKeyThumbprint?: string;
  /** The token's `jti`, or `sha256:<base64url>` of the token when it has none (for audit). */
  readonly tokenId: string;
  readonly expiresAt: Date;
  /** How the token was presented. */
  readonly scheme: AuthScheme;
}

/**
 * Claim names for the organisation numbers. HelseID namespaces them; other issuers (and
 * HelseID's own documentation in places) use the short names, so both are read, the
 * namespaced one first.
 */
export const OrgnrClaims = {
  parent: ['helseid://claims/client/claims/orgnr_parent', 'orgnr_parent'],
  child: ['helseid://claims/client/claims/orgnr_child', 'orgnr_child'],
} as const;
