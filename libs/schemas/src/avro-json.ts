/**
 * Avro schemas as JSON, and composing the one-named-type-per-file sources into the
 * self-contained schemas that are registered and used to encode and decode.
 *
 * Each `.avsc` under `libs/schemas/avro/` defines exactly one named type and refers to
 * the others by full name; the schema registry needs every value schema to be
 * self-contained (we don't use schema references: they would tie every subject's
 * evolution to the referenced subjects' versions), so {@link composeSchema} inlines
 * each referenced definition at its first use, as the Avro spec requires.
 */

/** Any JSON value, as found in an `.avsc` file. */
export type AvroJson =
  null | boolean | number | string | readonly AvroJson[] | { readonly [key: string]: AvroJson };

/** A JSON object in an Avro schema (a record, enum, array, map, field …). */
export type AvroJsonObject = { readonly [key: string]: AvroJson };

/** The namespace of every Knutepunkt record of major version 1. */
export const avroNamespace = 'no.knutepunkt.v1';

/** Avro's primitive type names: they are never namespace-qualified. */
export const avroPrimitiveTypes: ReadonlySet<string> = new Set([
  'null',
  'boolean',
  'int',
  'long',
  'float',
  'double',
  'bytes',
  'string',
]);

const namedTypeKinds: ReadonlySet<string> = new Set(['record', 'error', 'enum', 'fixed']);

/** Named type definitions by full name (e.g. `no.knutepunkt.v1.Coding`). */
export type AvroDefinitions = ReadonlyMap<string, AvroJsonObject>;

export function isAvroJsonObject(value: AvroJson | undefined): value is AvroJsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The full name of a named type definition (`namespace.name`). */
export function fullNameOf(definition: AvroJsonObject, enclosingNamespace = ''): string {
  const name = definition['name'];
  if (typeof name !== 'string') {
    throw new Error(`Avro named type without a name: ${JSON.stringify(definition)}`);
  }
  if (name.includes('.')) {
    return name;
  }
  const namespace = definition['namespace'];
  const effectiveNamespace = typeof namespace === 'string' ? namespace : enclosingNamespace;
  return effectiveNamespace === '' ? name : `${effectiveNamespace}.${name}`;
}

/** The part of a full name after the last dot. */
export function shortNameOf(fullName: string): string {
  return fullName.slice(fullName.lastIndexOf('.') + 1);
}

function namespaceOf(fullName: string): string {
  const lastDot = fullName.lastIndexOf('.');
  return lastDot < 0 ? '' : fullName.slice(0, lastDot);
}

/** Resolves a type reference as Avro does: a dotted name is full, otherwise it is relative. */
export function qualifyTypeName(reference: string, enclosingNamespace: string): string {
  if (avroPrimitiveTypes.has(reference) || reference.includes('.') || enclosingNamespace === '') {
    return reference;
  }
  return `${enclosingNamespace}.${reference}`;
}

/**
 * Whether a JSON value defines a named type (record, enum, fixed). Deliberately not a type
 * guard: every such value is an AvroJsonObject, but not every AvroJsonObject is one.
 */
export function isNamedTypeDefinition(value: AvroJson): boolean {
  return (
    isAvroJsonObject(value) &&
    typeof value['type'] === 'string' &&
    namedTypeKinds.has(value['type'])
  );
}

/**
 * Collects `.avsc` file contents (each one named type) into definitions by full name,
 * rejecting duplicates so two files can never silently define the same type.
 */
export function collectDefinitions(files: Iterable<AvroJsonObject>): Map<string, AvroJsonObject> {
  const definitions = new Map<string, AvroJsonObject>();
  for (const definition of files) {
    if (!isNamedTypeDefinition(definition)) {
      throw new Error(`An .avsc file must define one named type: ${JSON.stringify(definition)}`);
    }
    const fullName = fullNameOf(definition);
    if (definitions.has(fullName)) {
      throw new Error(`Avro type ${fullName} is defined twice`);
    }
    definitions.set(fullName, definition);
  }
  return definitions;
}

/**
 * Composes the self-contained schema of the named type `rootFullName`: every named type it
 * refers to is inlined once, at its first use, and referred to by full name afterwards.
 */
export function composeSchema(rootFullName: string, definitions: AvroDefinitions): AvroJsonObject {
  const composed = composeType(rootFullName, '', definitions, new Set());
  if (!isAvroJsonObject(composed)) {
    throw new Error(`${rootFullName} is not a named type definition`);
  }
  return composed;
}

/**
 * Composes any type (e.g. a union found in a field) against the definitions; names in
 * `alreadyDefined` are left as references.
 */
export function composeType(
  type: AvroJson,
  enclosingNamespace: string,
  definitions: AvroDefinitions,
  alreadyDefined: Set<string> = new Set(),
): AvroJson {
  if (typeof type === 'string') {
    const fullName = qualifyTypeName(type, enclosingNamespace);
    if (avroPrimitiveTypes.has(fullName) || alreadyDefined.has(fullName)) {
      return fullName;
    }
    const definition = definitions.get(fullName);
    if (definition === undefined) {
      throw new Error(`Unknown Avro type ${fullName}`);
    }
    return composeNamed(definition, namespaceOf(fullName), definitions, alreadyDefined);
  }
  if (Array.isArray(type)) {
    return type.map((branch: AvroJson) =>
      composeType(branch, enclosingNamespace, definitions, alreadyDefined),
    );
  }
  if (!isAvroJsonObject(type)) {
    throw new Error(`Not an Avro type: ${JSON.stringify(type)}`);
  }
  if (isNamedTypeDefinition(type)) {
    return composeNamed(type, enclosingNamespace, definitions, alreadyDefined);
  }
  const kind = type['type'];
  if (kind === 'array') {
    return {
      ...type,
      items: composeType(type['items'] ?? null, enclosingNamespace, definitions, alreadyDefined),
    };
  }
  if (kind === 'map') {
    return {
      ...type,
      values: composeType(type['values'] ?? null, enclosingNamespace, definitions, alreadyDefined),
    };
  }
  if (typeof kind === 'string' && avroPrimitiveTypes.has(kind)) {
    return type; // a primitive with attributes, e.g. { type: 'long', logicalType: 'timestamp-millis' }
  }
  return {
    ...type,
    type: composeType(kind ?? null, enclosingNamespace, definitions, alreadyDefined),
  };
}

function composeNamed(
  definition: AvroJsonObject,
  enclosingNamespace: string,
  definitions: AvroDefinitions,
  alreadyDefined: Set<string>,
): AvroJsonObject {
  const fullName = fullNameOf(definition, enclosingNamespace);
  alreadyDefined.add(fullName);
  const kind = definition['type'];
  if (kind !== 'record' && kind !== 'error') {
    return definition;
  }
  const namespace = namespaceOf(fullName);
  const fields = definition['fields'];
  if (!Array.isArray(fields)) {
    throw new Error(`Record ${fullName} has no fields array`);
  }
  return {
    ...definition,
    fields: fields.map((field: AvroJson) => {
      if (!isAvroJsonObject(field)) {
        throw new Error(`Record ${fullName} has a field that is not an object`);
      }
      return {
        ...field,
        type: composeType(field['type'] ?? null, namespace, definitions, alreadyDefined),
      };
    }),
  };
}
