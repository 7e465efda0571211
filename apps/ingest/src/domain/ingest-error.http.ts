import { errorAnswer, type ErrorHttpMapping, type HttpAnswer } from '@knutepunkt/fhir';
import type { IngestError, IngestErrorCode } from './ingest-error';

/** The one place an ingest error code becomes an HTTP status, FHIR issue type and VKP code. */
const mapping: Record<IngestErrorCode, ErrorHttpMapping> = {
  'INGEST.MALFORMED_JSON': { status: 400, fhirCode: 'structure', vkpCode: '2.4' },
  'INGEST.NOT_FHIR': { status: 400, fhirCode: 'structure', vkpCode: '2.4' },
  'INGEST.TOO_DEEP': { status: 400, fhirCode: 'too-costly', vkpCode: '2.4' },
  'INGEST.RESOURCE_TYPE_MISMATCH': { status: 400, fhirCode: 'invalid', vkpCode: '2.4' },
  'INGEST.BAD_IDEMPOTENCY_KEY': { status: 400, fhirCode: 'value', vkpCode: '2' },
  'INGEST.UNKNOWN_TYPE': { status: 404, fhirCode: 'not-supported', vkpCode: '2' },
  'INGEST.UNKNOWN_ORGNR': { status: 404, fhirCode: 'not-found', vkpCode: '2.2' },
  'INGEST.SUBMISSION_NOT_FOUND': { status: 404, fhirCode: 'not-found', vkpCode: '3' },
  'INGEST.BUNDLE_TYPE': { status: 422, fhirCode: 'business-rule', vkpCode: '2' },
  'INGEST.INVALID_IDENTITY_NUMBER': { status: 422, fhirCode: 'value', vkpCode: '2.1' },
  'INGEST.KAFKA_UNAVAILABLE': {
    status: 503,
    fhirCode: 'transient',
    vkpCode: '3.1',
    retryAfterSeconds: 5,
  },
};

export function ingestErrorAnswer(error: IngestError): HttpAnswer {
  return errorAnswer(mapping, error);
}
