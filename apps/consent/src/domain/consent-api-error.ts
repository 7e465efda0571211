import type { CodedError } from '@knutepunkt/fhir';

/**
 * Every way the consent API refuses a request, with a stable code (DESIGN.md "Consent API").
 * `consent-api-error.http.ts` maps each code to an HTTP status and an OperationOutcome in
 * exactly one place.
 */
export type ConsentApiErrorCode =
  | 'CONSENT.MALFORMED_JSON'
  | 'CONSENT.NOT_A_CONSENT'
  | 'CONSENT.INVALID_REGISTRATION'
  | 'CONSENT.INVALID_IDENTIFIER'
  | 'CONSENT.UNKNOWN_IDENTIFIER_SYSTEM'
  | 'CONSENT.INVALID_DATE'
  | 'CONSENT.INVALID_CONSENT'
  | 'CONSENT.INVALID_POLICY'
  | 'CONSENT.INVALID_DURATION'
  | 'CONSENT.INVALID_SEARCH'
  | 'CONSENT.DEVICE_LOAN_OVERLAP'
  | 'CONSENT.IDENTIFIER_CONFLICT'
  | 'CONSENT.CONSENT_PATIENT_CONFLICT'
  | 'CONSENT.MUNICIPALITY_NOT_ALLOWED'
  | 'CONSENT.UNKNOWN_MUNICIPALITY'
  | 'CONSENT.KAFKA_UNAVAILABLE';

export type ConsentApiError = CodedError<ConsentApiErrorCode>;

export type ApiResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ConsentApiError };

export function accepted<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function refused(
  code: ConsentApiErrorCode,
  message: string,
  expression?: string,
): { readonly ok: false; readonly error: ConsentApiError } {
  return {
    ok: false,
    error: expression === undefined ? { code, message } : { code, message, expression },
  };
}
