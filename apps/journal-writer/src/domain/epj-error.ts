/** Expected refusals of the EPJ read API, with stable codes (mapped to HTTP in epj-error.http.ts). */
export type EpjErrorCode =
  | 'EPJ.MALFORMED_BODY'
  | 'EPJ.UNKNOWN_PARAMETER'
  | 'EPJ.INVALID_PARAMETER'
  | 'EPJ.IDENTIFIER_IN_URL'
  | 'EPJ.INVALID_CURSOR'
  | 'EPJ.CURSOR_MISMATCH'
  | 'EPJ.UNKNOWN_ORGNR'
  | 'EPJ.NOT_ALLOWED'
  | 'EPJ.ENTRY_NOT_FOUND'
  | 'EPJ.UNSUPPORTED_TYPE'
  | 'EPJ.NO_ORGNR_PARENT';

export interface EpjError {
  readonly code: EpjErrorCode;
  /** For the integrator's developer. Never an identifier or other patient data. */
  readonly message: string;
  readonly expression?: string;
}

export type EpjResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: EpjError };

export function epjFail(code: EpjErrorCode, message: string, expression?: string) {
  return {
    ok: false as const,
    error: expression === undefined ? { code, message } : { code, message, expression },
  };
}
