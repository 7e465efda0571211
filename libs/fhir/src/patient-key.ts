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

/**
 * The identifier system Knutepunkt gives a device identifier that arrives without one: the
 * VKP device extensions carry the IMEI or serial number as a bare string, vendor JSON names a
 * serial, and Device.serialNumber has no system. Device loans (consent API) for such devices
 * are registered under this system.
 */
export const unscopedDeviceIdentifierSystem = 'urn:knutepunkt:unscoped-device-identifier';

export interface SubjectOfRecord {
  readonly orgnr: string;
  /** The patient's key, when the patient is known. */
  readonly patientKey: string | null | undefined;
  /** The device the record comes from, when no patient is named (a sensor not yet linked). */
  readonly device: { readonly system: string; readonly value: string } | null | undefined;
  /** The record's own id: its key when it names neither. */
  readonly ownId: string;
}

/**
 * The Kafka key of a record about one subject (docs/adr/0015): the patient key; for a record
 * naming only a device, a key derived the same way from the device identifier, so one device's
 * events stay in order until the consent service finds their patient; else the record's id.
 */
export function subjectKey(derive: PatientKeyDeriver, subject: SubjectOfRecord): string {
  if (subject.patientKey) return subject.patientKey;
  if (subject.device) return derive({ orgnr: subject.orgnr, identifier: subject.device });
  return subject.ownId;
}
