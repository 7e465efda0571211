/**
 * BACKWARD compatibility between two sets of schema sources: can a consumer with the current
 * schemas read everything written with the released ones? This is the check the schema
 * registry applies (subject compatibility BACKWARD), run in unit tests so a breaking change
 * fails before it reaches a registry.
 */
import { Type } from 'avsc';
import { type AvroDefinitions, composeSchema } from './avro-json';

export interface Incompatibility {
  /** Full name of the type whose released data the current schema cannot read. */
  readonly type: string;
  readonly reason: string;
}

function compile(fullName: string, definitions: AvroDefinitions): Type {
  // Composed schemas are valid Avro JSON by construction; avsc types its input loosely.
  return Type.forSchema(
    composeSchema(fullName, definitions) as unknown as Parameters<typeof Type.forSchema>[0],
  );
}

/**
 * Every released type the current sources cannot read data of: removed types, and types
 * whose current schema avsc cannot resolve the released one into (a field added without a
 * default, a changed type, a removed enum symbol without an enum default, a renamed record
 * without an alias …). New types are not checked: nothing was written with them.
 */
export function findBackwardIncompatibilities(
  released: AvroDefinitions,
  current: AvroDefinitions,
): Incompatibility[] {
  const incompatibilities: Incompatibility[] = [];
  for (const fullName of [...released.keys()].sort()) {
    if (!current.has(fullName)) {
      incompatibilities.push({ type: fullName, reason: 'removed (released data names it)' });
      continue;
    }
    try {
      const writer = compile(fullName, released);
      const reader = compile(fullName, current);
      reader.createResolver(writer);
    } catch (error: unknown) {
      incompatibilities.push({
        type: fullName,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return incompatibilities;
}

/** Whether data written with `writer` can be read with `reader`; the reason when not. */
export function backwardIncompatibilityOf(reader: Type, writer: Type): string | null {
  try {
    reader.createResolver(writer);
    return null;
  } catch (error: unknown) {
    return error instanceof Error ? error.message : String(error);
  }
}
