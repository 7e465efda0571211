/**
 * Every accepted submission → its WelfareEvents: a device submission (vendor JSON in ingest's
 * envelope, templates/device-envelope.ts) by its template, anything else as VKP FHIR.
 */
import type { AcceptedSubmission, WelfareEvent } from '@knutepunkt/schemas';
import type { NormalizeResult } from './normalize-error';
import { normalizeSubmission, type NormalizeContext } from './normalize-submission';
import { readDeviceEnvelope } from './templates/device-envelope';
import {
  normalizeDeviceSubmission,
  type DeviceTemplateContext,
} from './templates/map-device-reading';

export type NormalizeAcceptedContext = NormalizeContext & DeviceTemplateContext;

export function normalizeAccepted(
  submission: AcceptedSubmission,
  context: NormalizeAcceptedContext,
): NormalizeResult<readonly WelfareEvent[]> {
  const envelope = readDeviceEnvelope(submission);
  if (envelope === undefined) {
    return normalizeSubmission(submission, context);
  }
  if (!envelope.ok) {
    return envelope;
  }
  return normalizeDeviceSubmission(submission, envelope.value, context);
}
