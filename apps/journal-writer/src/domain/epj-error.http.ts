import { errorAnswer, type ErrorHttpMapping, type HttpAnswer } from '@knutepunkt/fhir';
import type { EpjError, EpjErrorCode } from './epj-error';

/** The one place an EPJ read API error code becomes an HTTP status, FHIR issue type and VKP code. */
const mapping: Record<EpjErrorCode, ErrorHttpMapping> = {
  'EPJ.MALFORMED_BODY': { status: 400, fhirCode: 'structure', vkpCode: '2.4' },
  'EPJ.UNKNOWN_PARAMETER': { status: 400, fhirCode: 'not-supported', vkpCode: '2.3' },
  'EPJ.INVALID_PARAMETER': { status: 400, fhirCode: 'invalid', vkpCode: '2' },
  'EPJ.IDENTIFIER_IN_URL': { status: 400, fhirCode: 'security', vkpCode: '2' },
  'EPJ.INVALID_CURSOR': { status: 400, fhirCode: 'invalid', vkpCode: '2' },
  'EPJ.CURSOR_MISMATCH': { status: 400, fhirCode: 'conflict', vkpCode: '2' },
  'EPJ.UNKNOWN_ORGNR': { status: 404, fhirCode: 'not-found', vkpCode: '2.2' },
  'EPJ.NOT_ALLOWED': { status: 403, fhirCode: 'forbidden', vkpCode: '1.2' },
  'EPJ.ENTRY_NOT_FOUND': { status: 404, fhirCode: 'not-found', vkpCode: '3' },
  // FHIR REST: a resource type the server does not serve is 404.
  'EPJ.UNSUPPORTED_TYPE': { status: 404, fhirCode: 'not-supported', vkpCode: '2.4' },
  // The token verified but lacks what JFT requires on every endpoint: not valid for this API
  // (RFC 6750 invalid_token); the controller adds the challenge in the request's scheme.
  'EPJ.NO_ORGNR_PARENT': { status: 401, fhirCode: 'security', vkpCode: '1.5' },
};

export function epjErrorAnswer(error: EpjError): HttpAnswer {
  return errorAnswer(mapping, error);
}
