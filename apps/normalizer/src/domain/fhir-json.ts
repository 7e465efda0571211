/**
 * A tolerant reader over FHIR R4 JSON as vendors send it. The normalizer reads the submission
 * as received (AcceptedSubmission.fhirJson is stored before ingest's structural repair), so it
 * forgives the two slips ingest repairs and reports (DESIGN.md "Ingest — vendor API"): a single
 * object where FHIR wants an array (and the reverse), and empty strings, which count as absent.
 *
 * Every value is read as a `JsonNode`: the value with the FHIRPath of where it sits
 * (`Bundle.entry[1].resource.code.coding[0]`), so any error names the element that failed.
 */
import type { Coding, Identifier } from '@knutepunkt/schemas';
import { failWith, succeed, type NormalizeResult } from './normalize-error';

export type JsonObject = Readonly<Record<string, unknown>>;

export interface JsonNode {
  readonly value: unknown;
  /** FHIRPath of the value, e.g. `Observation.component[1].valueQuantity`. */
  readonly path: string;
}

export interface ObjectNode extends JsonNode {
  readonly value: JsonObject;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isObjectNode(node: JsonNode): node is ObjectNode {
  return isJsonObject(node.value);
}

/** A value that counts as "not sent": absent, null, an empty or blank string, an empty array. */
function isAbsent(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

/**
 * The child element `name` (cardinality 0..1). A one-element array sent for it is read as its
 * element; of a longer array, the first.
 */
export function child(node: JsonNode, name: string): JsonNode | undefined {
  if (!isJsonObject(node.value)) {
    return undefined;
  }
  const value = node.value[name];
  if (isAbsent(value)) {
    return undefined;
  }
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    return isAbsent(first) ? undefined : { value: first, path: `${node.path}.${name}[0]` };
  }
  return { value, path: `${node.path}.${name}` };
}

/** The child object `name`, or undefined when absent or not an object. */
export function childObject(node: JsonNode, name: string): ObjectNode | undefined {
  const found = child(node, name);
  return found !== undefined && isObjectNode(found) ? found : undefined;
}

/**
 * The repeating element `name` (cardinality 0..*), each with its index in the path. A single
 * object sent where FHIR wants an array is read as a one-element array (its path has no index);
 * absent elements (null, empty strings) are skipped.
 */
export function children(node: JsonNode, name: string): readonly JsonNode[] {
  if (!isJsonObject(node.value)) {
    return [];
  }
  const value = node.value[name];
  if (isAbsent(value)) {
    return [];
  }
  if (!Array.isArray(value)) {
    // FHIRPath indexes any collection, so the path of a single object needs no index.
    return [{ value, path: `${node.path}.${name}` }];
  }
  const nodes: JsonNode[] = [];
  value.forEach((element: unknown, index) => {
    if (!isAbsent(element)) {
      nodes.push({ value: element, path: `${node.path}.${name}[${index}]` });
    }
  });
  return nodes;
}

export function childObjects(node: JsonNode, name: string): readonly ObjectNode[] {
  return children(node, name).filter(isObjectNode);
}

/** A non-blank string value, as sent (not trimmed); undefined for anything else. */
export function stringValue(node: JsonNode | undefined): string | undefined {
  return node !== undefined && typeof node.value === 'string' && node.value.trim() !== ''
    ? node.value
    : undefined;
}

/** The string child `name`, when it is a non-blank string. */
export function stringAt(node: JsonNode, name: string): string | undefined {
  return stringValue(child(node, name));
}

/** The string child `name`; a value of another JSON type is an INVALID_FORMAT error. */
export function optionalString(node: JsonNode, name: string): NormalizeResult<string | undefined> {
  const found = child(node, name);
  if (found === undefined) {
    return succeed(undefined);
  }
  if (typeof found.value !== 'string') {
    return failWith('NORMALIZE.INVALID_FORMAT', `${found.path} must be a string.`, found.path);
  }
  return succeed(found.value);
}

export function requiredString(node: JsonNode, name: string): NormalizeResult<string> {
  const found = optionalString(node, name);
  if (!found.ok) {
    return found;
  }
  if (found.value === undefined) {
    return failWith(
      'NORMALIZE.MISSING_ELEMENT',
      `${node.path}.${name} is required.`,
      `${node.path}.${name}`,
    );
  }
  return succeed(found.value);
}

/** A JSON number child; a number sent as text (`"37.2"`) is an INVALID_FORMAT error. */
export function optionalNumber(node: JsonNode, name: string): NormalizeResult<number | undefined> {
  const found = child(node, name);
  if (found === undefined) {
    return succeed(undefined);
  }
  if (typeof found.value !== 'number' || !Number.isFinite(found.value)) {
    return failWith('NORMALIZE.INVALID_FORMAT', `${found.path} must be a JSON number.`, found.path);
  }
  return succeed(found.value);
}

// ---------------------------------------------------------------------------------------
// Data types

/** A Coding with a system and a code; codings missing either are not usable and skipped. */
export interface ReadCoding extends Coding {
  readonly path: string;
}

export function readCoding(node: JsonNode): ReadCoding | undefined {
  const system = stringAt(node, 'system');
  const code = stringAt(node, 'code');
  if (system === undefined || code === undefined) {
    return undefined;
  }
  return {
    system: system.trim(),
    code: code.trim(),
    display: stringAt(node, 'display') ?? null,
    path: node.path,
  };
}

/** The usable codings of a CodeableConcept, in the order sent. */
export function codingsOf(concept: JsonNode | undefined): readonly ReadCoding[] {
  if (concept === undefined) {
    return [];
  }
  return children(concept, 'coding')
    .map(readCoding)
    .filter((coding) => coding !== undefined);
}

/** The first coding of `concept` in one of `systems`. */
export function codingIn(
  concept: JsonNode | undefined,
  systems: readonly string[],
): ReadCoding | undefined {
  return codingsOf(concept).find((coding) => systems.includes(coding.system));
}

/** The codings of an extension's `valueCodeableConcept` or `valueCoding`. */
export function valueCodings(extension: JsonNode): readonly ReadCoding[] {
  const single = child(extension, 'valueCoding');
  const coding = single === undefined ? undefined : readCoding(single);
  return [
    ...codingsOf(child(extension, 'valueCodeableConcept')),
    ...(coding === undefined ? [] : [coding]),
  ];
}

/** A schemas `Coding` (drops the path). */
export function toCoding(coding: ReadCoding, display?: string | null): Coding {
  return { system: coding.system, code: coding.code, display: display ?? coding.display };
}

/** An Identifier with a system and a value (both non-blank), else undefined. */
export function readIdentifier(node: JsonNode | undefined): Identifier | undefined {
  if (node === undefined) {
    return undefined;
  }
  const system = stringAt(node, 'system');
  const value = stringAt(node, 'value');
  return system === undefined || value === undefined
    ? undefined
    : { system: system.trim(), value: value.trim() };
}

// ---------------------------------------------------------------------------------------
// Dates

// FHIR R4 dateTime (http://hl7.org/fhir/R4/datatypes.html#dateTime): a year, year-month or date,
// or a date-time that must carry a time zone. A time without a zone cannot be placed on the
// time line without guessing, so it is refused rather than read in the process's zone.
const dateTimePattern =
  /^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00)))?)?)?$/;

/**
 * Epoch milliseconds of a FHIR dateTime or instant. Partial dates (`2025`, `2025-01`,
 * `2025-01-15`) are their first instant in UTC.
 */
export function parseDateTime(node: JsonNode): NormalizeResult<number> {
  const text = typeof node.value === 'string' ? node.value.trim() : undefined;
  const match = text === undefined ? null : dateTimePattern.exec(text);
  if (text === undefined || match === null) {
    return failWith(
      'NORMALIZE.INVALID_FORMAT',
      `${node.path} is not a FHIR dateTime with a time zone (e.g. 2025-01-15T09:30:00+01:00).`,
      node.path,
    );
  }
  const [, year, month, day, time] = match;
  const millis =
    time === undefined
      ? Date.UTC(Number(year), Number(month ?? '1') - 1, Number(day ?? '1'))
      : Date.parse(text);
  if (!Number.isFinite(millis)) {
    return failWith(
      'NORMALIZE.INVALID_FORMAT',
      `${node.path} is not a valid date-time.`,
      node.path,
    );
  }
  return succeed(millis);
}

/** The dateTime child `name`, or undefined when absent. */
export function optionalDateTime(
  node: JsonNode,
  name: string,
): NormalizeResult<number | undefined> {
  const found = child(node, name);
  return found === undefined ? succeed(undefined) : parseDateTime(found);
}

/** The first of `candidates` that is present, parsed; undefined when none is. */
export function firstDateTime(
  candidates: readonly (JsonNode | undefined)[],
): NormalizeResult<number | undefined> {
  const found = candidates.find((candidate) => candidate !== undefined);
  return found === undefined ? succeed(undefined) : parseDateTime(found);
}

// ---------------------------------------------------------------------------------------
// Extensions

/** The extensions of `node` with URL `url` (or one of `urls`). */
export function extensionsOf(
  node: JsonNode,
  urls: string | readonly string[],
): readonly ObjectNode[] {
  const wanted = typeof urls === 'string' ? [urls] : urls;
  return childObjects(node, 'extension').filter((extension) => {
    const url = stringAt(extension, 'url');
    return url !== undefined && wanted.includes(url.trim());
  });
}

export function extensionOf(
  node: JsonNode,
  urls: string | readonly string[],
): ObjectNode | undefined {
  return extensionsOf(node, urls)[0];
}

/** Text of an XHTML narrative: tags dropped, the common entities decoded, blank runs collapsed. */
export function narrativeText(xhtml: string): string {
  return xhtml
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6])>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, digits: string) => codePoint(Number(digits)))
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => codePoint(parseInt(hex, 16)))
    .replace(/&amp;/g, '&')
    .split('\n')
    .map((line) => line.replace(/[ \t\r\f\v]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

function codePoint(value: number): string {
  return value > 0 && value <= 0x10ffff ? String.fromCodePoint(value) : '';
}
