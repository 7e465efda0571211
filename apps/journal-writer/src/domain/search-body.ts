/**
 * The search body as parameters: a JSON object (`application/json`, `application/fhir+json`)
 * or form fields (`application/x-www-form-urlencoded`, as FHIR's POST `_search`). Pure.
 */
import { type EpjResult, epjFail } from './epj-error';

export const formMediaType = 'application/x-www-form-urlencoded';
export const jsonMediaTypes = ['application/json', 'application/fhir+json'] as const;

/** The media type without parameters, lower case. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function searchParametersOf(
  contentType: string | undefined,
  body: string,
): EpjResult<Readonly<Record<string, unknown>>> {
  if (body.trim() === '') return { ok: true, value: {} };
  const mediaType = mediaTypeOf(contentType);
  if (mediaType === formMediaType) {
    const fields: Record<string, string | string[]> = {};
    for (const [name, value] of new URLSearchParams(body)) {
      const earlier = fields[name];
      fields[name] =
        earlier === undefined
          ? value
          : Array.isArray(earlier)
            ? [...earlier, value]
            : [earlier, value];
    }
    return { ok: true, value: fields };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return epjFail('EPJ.MALFORMED_BODY', 'The body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return epjFail('EPJ.MALFORMED_BODY', 'The body must be a JSON object of search parameters.');
  return { ok: true, value: parsed as Record<string, unknown> };
}
