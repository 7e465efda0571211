/**
 * The consent service's pure domain (docs/consent-decisions.md): the decision for one event,
 * the in-memory state view fed from `knutepunkt.consent.changes.v1`, and held events.
 * No framework imports; refusals are values with stable codes.
 */
export {
  attributeByDevice,
  decide,
  decideWithView,
  refusal,
  resolveSubject,
  sameIdentifier,
  vkpCodeByReason,
  withheldReasons,
  type Attribution,
  type ConsentErrorCode,
  type DecideOptions,
  type Decision,
  type Refusal,
  type Subject,
  type WithheldReason,
} from './decide';
export {
  ConsentStateView,
  defaultPolicy,
  municipalityPolicyOf,
  parseConsentStateKey,
  type ApplyResult,
  type ConsentStateErrorCode,
  type ConsentStateKey,
  type FallbackPolicySource,
  type MunicipalityPolicy,
  type PatientConsentState,
  type PolicyMode,
} from './consent-state-view';
export {
  expire,
  releaseOnRegistration,
  type Expiry,
  type FailedHeldEvent,
  type HeldEvent,
  type Release,
} from './held-events';
export { parseIsoDuration, type DurationResult } from './iso-duration';
export { isDateWithin, osloDateOf, type OsloDate } from './oslo-date';
