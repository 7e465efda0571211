import { errorAnswer, type ErrorHttpMapping, type HttpAnswer } from '@knutepunkt/fhir';
import type { AdminError, AdminErrorCode } from './admin-input';
import type { IngestError, IngestErrorCode } from './ingest-error';

/** The one place an ingest (and, below, admin) error code becomes an HTTP status, FHIR issue type and VKP code. */
const mapping: Record<IngestErrorCode, ErrorHttpMapping> = {
  'INGEST.MALFORMED_JSON': { status: 400, fhirCode: 'structure', vkpCode: '2.4' },
  'INGEST.NOT_FHIR': { status: 400, fhirCode: 'structure', vkpCode: '2.4' },
  'INGEST.TOO_DEEP': { status: 400, fhirCode: 'too-costly', vkpCode: '2.4' },
  'INGEST.DUPLICATE_KEY': { status: 400, fhirCode: 'structure', vkpCode: '2.4' },
  'INGEST.INVALID_STRUCTURE': { status: 400, fhirCode: 'structure', vkpCode: '2.4' },
  'INGEST.STRUCTURAL_SLIP': { status: 400, fhirCode: 'structure', vkpCode: '2.4' },
  'INGEST.RESOURCE_TYPE_MISMATCH': { status: 400, fhirCode: 'invalid', vkpCode: '2.4' },
  'INGEST.BAD_IDEMPOTENCY_KEY': { status: 400, fhirCode: 'value', vkpCode: '2' },
  'INGEST.UNKNOWN_TYPE': { status: 404, fhirCode: 'not-supported', vkpCode: '2' },
  'INGEST.UNKNOWN_ORGNR': { status: 404, fhirCode: 'not-found', vkpCode: '2.2' },
  'INGEST.SUBMISSION_NOT_FOUND': { status: 404, fhirCode: 'not-found', vkpCode: '3' },
  'INGEST.BUNDLE_TYPE': { status: 422, fhirCode: 'business-rule', vkpCode: '2' },
  'INGEST.INVALID_IDENTITY_NUMBER': { status: 422, fhirCode: 'value', vkpCode: '2.1' },
  'INGEST.UNKNOWN_IDENTIFIER_SYSTEM': { status: 422, fhirCode: 'value', vkpCode: '2.1' },
  // The VKP rules (libs/fhir checkVkpRules), one code per kind of rule.
  'INGEST.PROFILE_VIOLATION': { status: 422, fhirCode: 'invariant', vkpCode: '2' },
  'INGEST.UNKNOWN_CODE': { status: 422, fhirCode: 'code-invalid', vkpCode: '2' },
  'INGEST.UNRESOLVED_REFERENCE': { status: 422, fhirCode: 'not-found', vkpCode: '2' },
  'INGEST.MESSAGE_EVENT_MISMATCH': { status: 422, fhirCode: 'business-rule', vkpCode: '2' },
  'INGEST.FORBIDDEN': { status: 403, fhirCode: 'forbidden', vkpCode: '1.4' },
  'INGEST.DPOP_REQUIRED': {
    status: 401,
    fhirCode: 'security',
    vkpCode: '1.5',
    headers: {
      'www-authenticate': 'DPoP error="invalid_token", error_description="DPoP required"',
    },
  },
  // JFT's WriteAPI requires the claim; the challenge is added with the client's own scheme.
  'INGEST.NO_ORGNR_PARENT': { status: 401, fhirCode: 'security', vkpCode: '1.5' },
  'INGEST.RATE_LIMITED': { status: 429, fhirCode: 'throttled', vkpCode: '3', retryAfterSeconds: 1 },
  'INGEST.KAFKA_UNAVAILABLE': {
    status: 503,
    fhirCode: 'transient',
    vkpCode: '3.1',
    retryAfterSeconds: 5,
  },
};

/**
 * The answer to a refusal: the status and headers of its code, and one issue per problem —
 * those of `also` after the error's own, each with its own code's issue type and VKP code.
 */
export function ingestErrorAnswer(error: IngestError): HttpAnswer {
  const answer = errorAnswer(mapping, error);
  if (!error.also || error.also.length === 0) return answer;
  const others = error.also.flatMap((other) => errorAnswer(mapping, other).body.issue);
  return { ...answer, body: { ...answer.body, issue: [...answer.body.issue, ...others] } };
}

const adminMapping: Record<AdminErrorCode, ErrorHttpMapping> = {
  'ADMIN.MALFORMED_JSON': { status: 400, fhirCode: 'structure', vkpCode: '2.4' },
  'ADMIN.INVALID_BODY': { status: 422, fhirCode: 'invalid', vkpCode: '2' },
  'ADMIN.INVALID_ORGNR': { status: 422, fhirCode: 'value', vkpCode: '2.2' },
  'ADMIN.INVALID_CLIENT_ID': { status: 422, fhirCode: 'value', vkpCode: '2' },
  'ADMIN.UNKNOWN_MUNICIPALITY': { status: 422, fhirCode: 'not-found', vkpCode: '2.2' },
  'ADMIN.KAFKA_UNAVAILABLE': {
    status: 503,
    fhirCode: 'transient',
    vkpCode: '3.1',
    retryAfterSeconds: 5,
  },
};

export function adminErrorAnswer(error: AdminError): HttpAnswer {
  return errorAnswer(adminMapping, error);
}
