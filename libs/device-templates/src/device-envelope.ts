/**
 * How vendor JSON travels on `knutepunkt.accepted.v1` (docs/adr/0012-vendor-templates.md): ingest
 * wraps the bytes it received in a FHIR `collection` Bundle holding one `Binary`
 * (`contentType: application/json`, the bytes base64-encoded), tagged in `Bundle.meta.tag` with
 * this system and the template version it chose (`<template>.v<version>`). The record is
 * otherwise an ordinary accepted FHIR submission, stored and published by ingest's one accept
 * path; the normalizer opens the envelope again. Both sides are here, so they cannot drift.
 */
export const deviceTemplateTagSystem = 'urn:knutepunkt:device-template';

/** The envelope Bundle as JSON text: the same bytes and template always give the same text. */
export function deviceEnvelope(vendorJson: string, templateRef: string): string {
  return JSON.stringify({
    resourceType: 'Bundle',
    type: 'collection',
    meta: { tag: [{ system: deviceTemplateTagSystem, code: templateRef }] },
    entry: [
      {
        resource: {
          resourceType: 'Binary',
          contentType: 'application/json',
          data: Buffer.from(vendorJson, 'utf8').toString('base64'),
        },
      },
    ],
  });
}

export interface DeviceEnvelope {
  /** `<template>.v<version>`. */
  readonly ref: string;
  /** The vendor's document, parsed. */
  readonly document: unknown;
  /** The Binary as it travelled, for WelfareEvent.originalResources. */
  readonly binaryJson: string;
}

export type OpenedEnvelope =
  | { readonly kind: 'envelope'; readonly envelope: DeviceEnvelope }
  /** Not an envelope: an ordinary FHIR submission. */
  | { readonly kind: 'not-envelope' }
  | { readonly kind: 'no-binary' }
  | { readonly kind: 'not-json' };

/** Cheap test first: only Bundles that mention the tag system are parsed for an envelope. */
export function mayBeDeviceEnvelope(resourceType: string, fhirJson: string): boolean {
  return resourceType === 'Bundle' && fhirJson.includes(deviceTemplateTagSystem);
}

/** The envelope in an accepted submission's FHIR JSON, if it is one. */
export function openDeviceEnvelope(resourceType: string, fhirJson: string): OpenedEnvelope {
  if (!mayBeDeviceEnvelope(resourceType, fhirJson)) return { kind: 'not-envelope' };
  let bundle: unknown;
  try {
    bundle = JSON.parse(fhirJson);
  } catch {
    return { kind: 'not-envelope' };
  }
  const ref = tagOf(bundle);
  if (ref === undefined) return { kind: 'not-envelope' };
  const binary = binaryOf(bundle);
  if (binary === undefined || typeof binary['data'] !== 'string') return { kind: 'no-binary' };
  const text = Buffer.from(binary['data'], 'base64').toString('utf8');
  try {
    const document = JSON.parse(text) as unknown;
    return { kind: 'envelope', envelope: { ref, document, binaryJson: JSON.stringify(binary) } };
  } catch {
    return { kind: 'not-json' };
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
