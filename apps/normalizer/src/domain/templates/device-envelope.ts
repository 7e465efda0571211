/**
 * A device submission's envelope (@knutepunkt/device-templates, docs/adr/0012) as a normalizer
 * result: the vendor document, or why the envelope cannot be mapped.
 */
import { openDeviceEnvelope, type DeviceEnvelope } from '@knutepunkt/device-templates';
import type { AcceptedSubmission } from '@knutepunkt/schemas';
import { failWith, succeed, type NormalizeResult } from '../normalize-error';

/**
 * The envelope of a device submission; `undefined` when the submission is not one (an ordinary
 * FHIR Bundle), an error when it is one but its vendor document is missing or not JSON.
 */
export function readDeviceEnvelope(
  submission: AcceptedSubmission,
): NormalizeResult<DeviceEnvelope> | undefined {
  const opened = openDeviceEnvelope(submission.resourceType, submission.fhirJson);
  switch (opened.kind) {
    case 'not-envelope':
      return undefined;
    case 'envelope':
      return succeed(opened.envelope);
    case 'no-binary':
      return failWith(
        'NORMALIZE.MISSING_ELEMENT',
        'A device submission needs one Binary entry with the vendor document in data.',
        'Bundle.entry[0].resource.data',
      );
    case 'not-json':
      return failWith('NORMALIZE.MALFORMED_JSON', 'The vendor document is not JSON.', '$');
  }
}
