import { aVkpAlarmBundle, vkpPatientIdentifier } from '@knutepunkt/fhir/testing';
import { orgnrWithCheckDigit } from '@knutepunkt/schemas/testing';

export const benchOrgnr = orgnrWithCheckDigit('92123456');

/**
 * A safety alarm as a response centre sends it (the VKP fixture: DetectedIssue + Encounter +
 * Composition + Patient + Device, about 4.7 KiB), for one of 5,000 synthetic patients, with its
 * own Bundle identifier so every request is a new submission.
 */
export function alarmBundle(sequence: number): string {
  return JSON.stringify({
    ...aVkpAlarmBundle({ patient: vkpPatientIdentifier(sequence % 5000) }),
    identifier: {
      system: 'urn:ietf:rfc:3986',
      value: `urn:uuid:00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    },
  });
}
