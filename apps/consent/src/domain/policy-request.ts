/** `PUT /consent/{orgnr}/policy` (DESIGN.md "Consent API"): `{ mode, holdFor? }`. */
import type { ConsentPolicy } from '@knutepunkt/schemas';
import type { JsonObject } from './api-input';
import { accepted, refused, type ApiResult } from './consent-api-error';
import { defaultPolicy, type PolicyMode } from './consent-state-view';
import { parseIsoDuration } from './iso-duration';

export function parsePolicyRequest(body: JsonObject): ApiResult<ConsentPolicy> {
  const mode = body['mode'];
  if (mode !== 'opt-in' && mode !== 'opt-out') {
    return refused(
      'CONSENT.INVALID_POLICY',
      'mode must be "opt-in" (journal only with an active consent) or "opt-out" (journal unless reserved).',
      'mode',
    );
  }
  const holdFor = body['holdFor'] ?? defaultPolicy.holdFor;
  if (typeof holdFor !== 'string') {
    return refused(
      'CONSENT.INVALID_DURATION',
      'holdFor must be an ISO 8601 duration such as PT24H.',
      'holdFor',
    );
  }
  const parsed = parseIsoDuration(holdFor);
  if (!parsed.ok) return refused('CONSENT.INVALID_DURATION', parsed.message, 'holdFor');
  return accepted({ mode: mode satisfies PolicyMode, holdFor });
}
