import type { CodedError } from '@knutepunkt/fhir';

/**
 * Every way ingest refuses a request, with a stable code. `ingest-error.http.ts` maps each code
 * to an HTTP status and an OperationOutcome in exactly one place.
 */
export type IngestErrorCode =
  | 'INGEST.MALFORMED_JSON'
  | 'INGEST.NOT_FHIR'
  | 'INGEST.TOO_DEEP'
  | 'INGEST.DUPLICATE_KEY'
  | 'INGEST.INVALID_STRUCTURE'
  | 'INGEST.STRUCTURAL_SLIP'
  | 'INGEST.RESOURCE_TYPE_MISMATCH'
  | 'INGEST.UNKNOWN_TYPE'
  | 'INGEST.UNKNOWN_ORGNR'
  | 'INGEST.BUNDLE_TYPE'
  | 'INGEST.INVALID_IDENTITY_NUMBER'
  | 'INGEST.UNKNOWN_IDENTIFIER_SYSTEM'
  | 'INGEST.PROFILE_VIOLATION'
  | 'INGEST.UNKNOWN_CODE'
  | 'INGEST.UNRESOLVED_REFERENCE'
  | 'INGEST.MESSAGE_EVENT_MISMATCH'
  | 'INGEST.BAD_IDEMPOTENCY_KEY'
  | 'INGEST.SUBMISSION_NOT_FOUND'
  | 'INGEST.FORBIDDEN'
  | 'INGEST.DPOP_REQUIRED'
  | 'INGEST.NO_ORGNR_PARENT'
  | 'INGEST.RATE_LIMITED'
  | 'INGEST.KAFKA_UNAVAILABLE';

export interface IngestError extends CodedError<IngestErrorCode> {
  /**
   * Problems of other kinds found in the same request (a VKP rules check finds them all at
   * once), each answered as issues of their own code in the same OperationOutcome.
   */
  readonly also?: readonly CodedError<IngestErrorCode>[];
}
