import { errorAnswer, type ErrorHttpMapping, type HttpAnswer } from '@knutepunkt/fhir';
import type { ConsentApiError, ConsentApiErrorCode } from './consent-api-error';

/** The one place a consent API error code becomes an HTTP status, FHIR issue type and VKP code. */
const mapping: Record<ConsentApiErrorCode, ErrorHttpMapping> = {
  'CONSENT.MALFORMED_JSON': { status: 400, fhirCode: 'structure', vkpCode: '2.4' },
  'CONSENT.NOT_A_CONSENT': { status: 400, fhirCode: 'structure', vkpCode: '2.4' },
  'CONSENT.INVALID_REGISTRATION': { status: 422, fhirCode: 'invalid', vkpCode: '2' },
  'CONSENT.INVALID_IDENTIFIER': { status: 422, fhirCode: 'value', vkpCode: '2.1' },
  'CONSENT.UNKNOWN_IDENTIFIER_SYSTEM': { status: 422, fhirCode: 'code-invalid', vkpCode: '2' },
  'CONSENT.INVALID_DATE': { status: 422, fhirCode: 'value', vkpCode: '2.4' },
  'CONSENT.INVALID_CONSENT': { status: 422, fhirCode: 'invalid', vkpCode: '2' },
  'CONSENT.INVALID_POLICY': { status: 422, fhirCode: 'value', vkpCode: '2' },
  'CONSENT.INVALID_DURATION': { status: 422, fhirCode: 'value', vkpCode: '2.4' },
  'CONSENT.INVALID_SEARCH': { status: 422, fhirCode: 'invalid', vkpCode: '2' },
  'CONSENT.DEVICE_LOAN_OVERLAP': { status: 409, fhirCode: 'conflict', vkpCode: '2' },
  'CONSENT.IDENTIFIER_CONFLICT': { status: 409, fhirCode: 'conflict', vkpCode: '2' },
  'CONSENT.CONSENT_PATIENT_CONFLICT': { status: 409, fhirCode: 'conflict', vkpCode: '2' },
  'CONSENT.MUNICIPALITY_NOT_ALLOWED': { status: 403, fhirCode: 'forbidden', vkpCode: '1.4' },
  'CONSENT.UNKNOWN_MUNICIPALITY': { status: 404, fhirCode: 'not-found', vkpCode: '2.2' },
  'CONSENT.KAFKA_UNAVAILABLE': {
    status: 503,
    fhirCode: 'transient',
    vkpCode: '3.1',
    retryAfterSeconds: 5,
  },
};

export function consentApiErrorAnswer(error: ConsentApiError): HttpAnswer {
  return errorAnswer(mapping, error);
}
