/**
 * The patient key (DESIGN.md "Topics"): the Kafka key that keeps one patient's events in
 * order without putting the patient's number in the key. HMAC-SHA-256 with a deployment
 * secret over the municipality's orgnr and the patient's identifier (system and value).
 *
 * The HMAC input is the JSON array `["knutepunkt/patient-key/v1", orgnr, system, value]`:
 * JSON encodes every string unambiguously (quotes and backslashes escaped), so two different
 * inputs never give the same bytes, whatever characters they hold — unlike joining with a
 * separator such as `|`, which the values themselves may contain. The version tag lets a
 * future derivation coexist with this one.
 */
import { createHmac, createSecretKey } from 'node:crypto';
import { fail, ok, type FhirError, type Result } from './result';

export interface PatientKeyInput {
  readonly orgnr: string;
  readonly identifier: { readonly system: string; readonly value: string };
}

/** `hex`: 64 characters (what the Avro fixtures and topic keys use); `base64url`: 43. */
export type PatientKeyEncoding = 'hex' | 'base64url';

export type PatientKeyDeriver = (input: PatientKeyInput) => string;

/** RFC 2104: a key shorter than the hash output (32 bytes for SHA-256) weakens the HMAC. */
export const minimumPatientKeySecretBytes = 32;

export type PatientKeySecretErrorCode = 'FHIR.PATIENT_KEY.SECRET_TOO_SHORT';

const derivationTag = 'knutepunkt/patient-key/v1';

/** The exact bytes the HMAC is computed over (exported for the tests and other languages). */
export function patientKeyMessage(input: PatientKeyInput): string {
  return JSON.stringify([
    derivationTag,
    input.orgnr,
    input.identifier.system,
    input.identifier.value,
  ]);
}

/**
 * Makes the derivation function for one deployment secret (a string is taken as UTF-8
 * bytes). Inputs are hashed exactly as given: callers pass validated identifiers, so the same
 * patient always arrives in the same spelling.
 */
export function createPatientKeyDeriver(
  secret: string | Uint8Array,
  encoding: PatientKeyEncoding = 'hex',
): Result<PatientKeyDeriver, FhirError<PatientKeySecretErrorCode>> {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (bytes.length < minimumPatientKeySecretBytes) {
    return fail(
      'FHIR.PATIENT_KEY.SECRET_TOO_SHORT',
      `The patient-key secret must have at least ${minimumPatientKeySecretBytes} bytes.`,
    );
  }
  const key = createSecretKey(bytes);
  return ok((input) =>
    createHmac('sha256', key).update(patientKeyMessage(input), 'utf8').digest(encoding),
  );
}
