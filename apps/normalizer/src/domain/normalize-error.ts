/**
 * Why a submission could not be normalized: a stable code, an English message, the FHIRPath of
 * the element that failed and the VKP operation-outcome code the `failed` status carries.
 * Every normalizer failure is invalid data (2.x): the same submission would fail again, so the
 * consumer dead-letters it instead of retrying.
 *
 * Messages never quote patient identifiers (they end up in logs, statuses and the DLQ's
 * headers); they may quote codes, units and measured values.
 */
import type { FhirError, Result, VkpOperationOutcomeCode } from '@knutepunkt/fhir';

/** Each error code and the VKP operation-outcome code (vkp-operation-outcome-v090) it maps to. */
export const normalizeErrorCodes = {
  /** `fhirJson` is not JSON. */
  'NORMALIZE.MALFORMED_JSON': '2.4',
  /** The JSON is not a FHIR resource (not an object, or no `resourceType`). */
  'NORMALIZE.NOT_A_RESOURCE': '2.4',
  /** The JSON's `resourceType` is not the submission's `resourceType`. */
  'NORMALIZE.RESOURCE_TYPE_MISMATCH': '2.4',
  /** A resource type ingest does not accept (e.g. a lone Patient). */
  'NORMALIZE.UNSUPPORTED_RESOURCE_TYPE': '2.4',
  /** A Bundle that is not message, document, transaction or collection. */
  'NORMALIZE.UNSUPPORTED_BUNDLE_TYPE': '2.4',
  /** An element of the wrong JSON type or format (a date-time without a time zone, a text number). */
  'NORMALIZE.INVALID_FORMAT': '2.4',
  /** A required element is missing. */
  'NORMALIZE.MISSING_ELEMENT': '2',
  /** A code that is not in the code system the profile binds. */
  'NORMALIZE.UNKNOWN_CODE': '2',
  /** A reference that points at nothing in the submission. */
  'NORMALIZE.UNRESOLVED_REFERENCE': '2',
  /** Neither a patient identifier nor a device identifier to attribute the event by. */
  'NORMALIZE.NO_PATIENT': '2',
  /** The patient's national identity number is malformed or does not match its system. */
  'NORMALIZE.INVALID_PATIENT_IDENTIFIER': '2.1',
  /** Valid FHIR the normalizer has no mapping for (e.g. an Encounter that is not digital). */
  'NORMALIZE.UNSUPPORTED_CONTENT': '2',
  /** The submission holds no resource that becomes an event. */
  'NORMALIZE.NO_EVENTS': '2',
  /** A unit that is missing or cannot be converted to the measurement's UCUM unit. */
  'NORMALIZE.UNIT_NOT_CONVERTIBLE': '2',
  /** A measurement outside the physiologically plausible range. */
  'NORMALIZE.IMPLAUSIBLE_VALUE': '2',
  /** A value outside its domain (a latitude of 95°, a negative accuracy). */
  'NORMALIZE.INVALID_VALUE': '2',
  /**
   * A device submission names a template version this normalizer does not have (ingest and
   * normalizer deployed with different template folders). Dead-lettered like the rest; replay
   * it from the DLQ once the normalizer has the template.
   */
  'NORMALIZE.UNKNOWN_TEMPLATE': '2',
} as const satisfies Readonly<Record<string, VkpOperationOutcomeCode>>;

export type NormalizeErrorCode = keyof typeof normalizeErrorCodes;

export interface NormalizeError extends FhirError<NormalizeErrorCode> {
  /** VKP operation-outcome code for the `failed` status: 2.x, invalid data. */
  readonly vkpCode: VkpOperationOutcomeCode;
}

export type NormalizeResult<T> = Result<T, NormalizeError>;

export function normalizeError(
  code: NormalizeErrorCode,
  message: string,
  expression?: string,
): NormalizeError {
  const vkpCode = normalizeErrorCodes[code];
  return expression === undefined
    ? { code, message, vkpCode }
    : { code, message, expression, vkpCode };
}

export function succeed<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function failWith(
  code: NormalizeErrorCode,
  message: string,
  expression?: string,
): { readonly ok: false; readonly error: NormalizeError } {
  return { ok: false, error: normalizeError(code, message, expression) };
}

/** Runs `step` over every item in order and stops at the first failure. */
export function mapAll<T, U>(
  items: readonly T[],
  step: (item: T, index: number) => NormalizeResult<U>,
): NormalizeResult<readonly U[]> {
  const values: U[] = [];
  for (const [index, item] of items.entries()) {
    const result = step(item, index);
    if (!result.ok) {
      return result;
    }
    values.push(result.value);
  }
  return succeed(values);
}
