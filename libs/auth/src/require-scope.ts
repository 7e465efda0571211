import { ALLOWED_ALGORITHMS } from './algorithms';
import { authError } from './errors';
import type { Principal } from './principal';
import { missingScopes } from './scopes';
import type { VerifyResult } from './token-verifier';

/**
 * Function-level authorization (OWASP API5): the principal must hold every scope given.
 * Returns the principal again, so it chains after `verify`.
 */
export function requireScope(
  principal: Principal,
  scope: string | readonly string[],
): VerifyResult {
  const lacking = missingScopes(principal.scopes, typeof scope === 'string' ? [scope] : scope);
  if (lacking.length === 0) return { ok: true, principal };
  return {
    ok: false,
    error: authError('AUTH.INSUFFICIENT_SCOPE', `the token lacks scope ${lacking.join(' ')}`, {
      scheme: principal.scheme,
      dpopAlgorithms: ALLOWED_ALGORITHMS,
      scope: lacking,
    }),
  };
}
