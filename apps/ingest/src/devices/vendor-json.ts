import { depthOf, duplicateKey } from '../domain/json-body';

/** Deeper vendor JSON than this is refused, as FHIR bodies are (submission.ts maxJsonDepth). */
export const maxVendorJsonDepth = 32;

export type VendorJsonCheck =
  | { readonly ok: true; readonly document: Record<string, unknown> }
  | {
      readonly ok: false;
      readonly reason: 'malformed' | 'not-object' | 'too-deep' | 'duplicate-key';
      readonly message: string;
    };

/**
 * The body must be a JSON object, not nested too deep, each name once per object; what the
 * template reads from it is the normalizer's to check.
 */
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
  return { ok: true, document: parsed as Record<string, unknown> };
}
