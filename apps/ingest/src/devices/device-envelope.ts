import { depthOf, duplicateKey } from '../domain/json-body';

/**
 * Vendor JSON on `knutepunkt.accepted.v1` (docs/adr/0012-vendor-templates.md): the bytes received,
 * base64 in a FHIR `Binary` (`contentType: application/json`) in a `collection` Bundle tagged with
 * the template version that maps them. So a device submission goes through ingest's one accept
 * path (SubmitSubmissionHandler: register, DPoP, rate, idempotency, claim-publish-register) as
 * the FHIR Bundle it is, and the record keeps the vendor's exact bytes. The normalizer reads it
 * back (apps/normalizer/src/domain/templates/device-envelope.ts; keep the two in step).
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

/** Deeper vendor JSON than this is refused, as FHIR bodies are (submission.ts maxJsonDepth). */
export const maxVendorJsonDepth = 32;

export type VendorJsonCheck =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: 'malformed' | 'not-object' | 'too-deep' | 'duplicate-key';
      readonly message: string;
    };

/** The body must be a JSON object, not nested too deep; what the template reads is the normalizer's. */
export function checkVendorJson(body: string): VendorJsonCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return {
      ok: false,
      reason: 'malformed',
      message: `The body is not valid JSON: ${error instanceof Error ? error.message : String(error)}.`,
    };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: 'not-object', message: 'The body must be a JSON object.' };
  }
  if (depthOf(parsed, maxVendorJsonDepth) > maxVendorJsonDepth) {
    return {
      ok: false,
      reason: 'too-deep',
      message: `The JSON is nested deeper than ${maxVendorJsonDepth} levels.`,
    };
  }
  const duplicate = duplicateKey(body);
  if (duplicate !== null) {
    return {
      ok: false,
      reason: 'duplicate-key',
      message: `"${duplicate.key}" appears twice in one object (at ${['$', ...duplicate.path].join('.')}); send each property once.`,
    };
  }
  return { ok: true };
}
