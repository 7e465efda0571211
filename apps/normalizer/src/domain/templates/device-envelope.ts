/**
 * How vendor JSON travels on `knutepunkt.accepted.v1` (docs/adr/0012-vendor-templates.md): ingest
 * wraps the bytes it received in a FHIR `collection` Bundle holding one `Binary`
 * (`contentType: application/json`, the bytes base64-encoded), tagged in `Bundle.meta.tag` with
 * this system and the template version it chose (`<template>.v<version>`). The record is
 * otherwise an ordinary accepted FHIR submission, stored and published by ingest's one accept
 * path. Ingest builds the envelope (apps/ingest/src/devices/device-envelope.ts, which must agree
 * with this file; the integration test proves they do).
 */
import type { AcceptedSubmission } from '@knutepunkt/schemas';
import { failWith, succeed, type NormalizeResult } from '../normalize-error';

export const deviceTemplateTagSystem = 'urn:knutepunkt:device-template';

export interface DeviceEnvelope {
  /** `<template>.v<version>`. */
  readonly ref: string;
  /** The vendor's document, parsed. */
  readonly document: unknown;
  /** The Binary as it travelled, for WelfareEvent.originalResources. */
  readonly binaryJson: string;
}

/** Cheap test first: only Bundles that mention the tag system are parsed for an envelope. */
export function mayBeDeviceEnvelope(submission: AcceptedSubmission): boolean {
  return (
    submission.resourceType === 'Bundle' && submission.fhirJson.includes(deviceTemplateTagSystem)
  );
}

/**
 * The envelope of a device submission; `undefined` when the submission is not one (an ordinary
 * FHIR Bundle), an error when it is one but its vendor document is not JSON.
 */
export function readDeviceEnvelope(
  submission: AcceptedSubmission,
): NormalizeResult<DeviceEnvelope> | undefined {
  if (!mayBeDeviceEnvelope(submission)) return undefined;
  let bundle: unknown;
  try {
    bundle = JSON.parse(submission.fhirJson);
  } catch {
    return undefined;
  }
  const tag = tagOf(bundle);
  if (tag === undefined) return undefined;
  const binary = binaryOf(bundle);
  if (binary === undefined || typeof binary['data'] !== 'string') {
    return failWith(
      'NORMALIZE.MISSING_ELEMENT',
      'A device submission needs one Binary entry with the vendor document in data.',
      'Bundle.entry[0].resource.data',
    );
  }
  const text = Buffer.from(binary['data'], 'base64').toString('utf8');
  try {
    return succeed({
      ref: tag,
      document: JSON.parse(text) as unknown,
      binaryJson: JSON.stringify(binary),
    });
  } catch {
    return failWith('NORMALIZE.MALFORMED_JSON', 'The vendor document is not JSON.', '$');
  }
}

function tagOf(bundle: unknown): string | undefined {
  const tags = (bundle as { meta?: { tag?: unknown } } | null)?.meta?.tag;
  if (!Array.isArray(tags)) return undefined;
  for (const tag of tags as unknown[]) {
    const { system, code } = (tag ?? {}) as { system?: unknown; code?: unknown };
    if (system === deviceTemplateTagSystem && typeof code === 'string') return code;
  }
  return undefined;
}

function binaryOf(bundle: unknown): Record<string, unknown> | undefined {
  const entries = (bundle as { entry?: unknown } | null)?.entry;
  if (!Array.isArray(entries)) return undefined;
  const resource = (entries[0] as { resource?: unknown } | undefined)?.resource;
  if (typeof resource !== 'object' || resource === null) return undefined;
  const record = resource as Record<string, unknown>;
  return record['resourceType'] === 'Binary' ? record : undefined;
}
