import { dataType, elementOf } from './definitions';

export type RepairCode = 'REPAIR.SINGLE_TO_ARRAY' | 'REPAIR.EMPTY_STRING_REMOVED';

/** A structural slip that was repaired (DESIGN.md "Ingest — vendor API"). */
export interface Repair {
  readonly code: RepairCode;
  readonly message: string;
  /** FHIRPath of the repaired element, e.g. `Bundle.entry[0].resource.identifier`. */
  readonly expression: string;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Repairs, in place, the slips real vendor systems make and VKP tolerates: a single value
 * where FHIR R4 wants an array (wrapped), and empty strings (removed; FHIR forbids them).
 * Walks the resource along FHIR R4's StructureDefinitions, into contained and Bundle entry
 * resources. Returns what it repaired, in document order; an empty list means nothing was.
 * Anything else that is wrong is left for `validateStructure` to report.
 */
export function repairStructure(resource: JsonObject): Repair[] {
  const repairs: Repair[] = [];
  const type = resource['resourceType'];
  if (typeof type === 'string') repairObject(type, resource, type, repairs);
  return repairs;
}

function repairObject(typeName: string, object: JsonObject, path: string, repairs: Repair[]): void {
  const schema = dataType(typeName);
  if (!schema) return;
  for (const property of Object.keys(object)) {
    if (property === 'resourceType' || property.startsWith('_')) continue;
    const resolved = elementOf(schema, property);
    if (!resolved) continue;
    const at = `${path}.${property}`;
    let value = object[property];
    if (value === '') {
      Reflect.deleteProperty(object, property);
      repairs.push({
        code: 'REPAIR.EMPTY_STRING_REMOVED',
        message: `${at} was an empty string, which FHIR does not allow; it was left out.`,
        expression: at,
      });
      continue;
    }
    if (resolved.element.isArray && !Array.isArray(value) && value !== null) {
      value = [value];
      object[property] = value;
      repairs.push({
        code: 'REPAIR.SINGLE_TO_ARRAY',
        message: `${at} is a list in FHIR R4 but came as a single value; it was read as a list of one.`,
        expression: at,
      });
    }
    if (Array.isArray(value)) {
      const kept = value.filter((item, index) => {
        if (item !== '') return true;
        repairs.push({
          code: 'REPAIR.EMPTY_STRING_REMOVED',
          message: `${at}[${index}] was an empty string, which FHIR does not allow; it was left out.`,
          expression: `${at}[${index}]`,
        });
        return false;
      });
      if (kept.length !== value.length) object[property] = kept;
      kept.forEach((item, index) => {
        descend(resolved.typeName, item, `${at}[${index}]`, repairs);
      });
    } else {
      descend(resolved.typeName, value, at, repairs);
    }
  }
}

function descend(
  typeName: string | undefined,
  value: unknown,
  path: string,
  repairs: Repair[],
): void {
  if (!isObject(value) || typeName === undefined) return;
  if (typeName === 'Resource') {
    // A contained or Bundle entry resource: its own resourceType says which definition applies.
    const type = value['resourceType'];
    if (typeof type === 'string') repairObject(type, value, path, repairs);
    return;
  }
  repairObject(typeName, value, path, repairs);
}
