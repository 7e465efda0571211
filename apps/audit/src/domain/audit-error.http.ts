import { errorAnswer, type ErrorHttpMapping, type HttpAnswer } from '@knutepunkt/fhir';
import type { AuditError, AuditErrorCode } from './audit-error';

/** The one place an audit API error code becomes an HTTP status, FHIR issue type and VKP code. */
const mapping: Record<AuditErrorCode, ErrorHttpMapping> = {
  'AUDIT.INVALID_REQUEST': { status: 400, fhirCode: 'invalid', vkpCode: '2' },
  'AUDIT.INVALID_IDENTIFIER': { status: 422, fhirCode: 'value', vkpCode: '2.1' },
  'AUDIT.MUNICIPALITY_NOT_ALLOWED': { status: 403, fhirCode: 'forbidden', vkpCode: '1' },
  // Every use of the audit API is itself audited; when that record cannot be written, no answer.
  'AUDIT.NOT_RECORDED': {
    status: 503,
    fhirCode: 'transient',
    vkpCode: '3.1',
    retryAfterSeconds: 5,
  },
};

export function auditErrorAnswer(error: AuditError): HttpAnswer {
  return errorAnswer(mapping, error);
}
