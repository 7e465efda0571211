import type { Result } from '@knutepunkt/fhir';

export type AuditErrorCode =
  | 'AUDIT.INVALID_REQUEST'
  | 'AUDIT.INVALID_IDENTIFIER'
  | 'AUDIT.MUNICIPALITY_NOT_ALLOWED'
  | 'AUDIT.NOT_RECORDED';

export interface AuditError {
  readonly code: AuditErrorCode;
  readonly message: string;
  readonly expression?: string;
}

export type AuditResult<T> = Result<T, AuditError>;

export function auditError(
  code: AuditErrorCode,
  message: string,
  expression?: string,
): { readonly ok: false; readonly error: AuditError } {
  return {
    ok: false,
    error: expression === undefined ? { code, message } : { code, message, expression },
  };
}
