import type { CodedError } from '@knutepunkt/fhir';

/**
 * Every way ingest refuses a request, with a stable code. `ingest-error.http.ts` maps each code
 * to an HTTP status and an OperationOutcome in exactly one place.
 */
export type IngestErrorCode =
  | 'INGEST.MALFORMED_JSON'
  | 'INGEST.NOT_FHIR'
  | 'INGEST.TOO_DEEP'
  | 'INGEST.INVALID_STRUCTURE'
  | 'INGEST.STRUCTURAL_SLIP'
  | 'INGEST.RESOURCE_TYPE_MISMATCH'
  | 'INGEST.UNKNOWN_TYPE'
  | 'INGEST.UNKNOWN_ORGNR'
  | 'INGEST.BUNDLE_TYPE'
  | 'INGEST.INVALID_IDENTITY_NUMBER'
  | 'INGEST.BAD_IDEMPOTENCY_KEY'
  | 'INGEST.SUBMISSION_NOT_FOUND'
  | 'INGEST.FORBIDDEN'
  | 'INGEST.DPOP_REQUIRED'
  | 'INGEST.RATE_LIMITED'
  | 'INGEST.KAFKA_UNAVAILABLE';

export type IngestError = CodedError<IngestErrorCode>;
