/**
 * The record types that are topic values, their self-contained schemas and their avsc types.
 */
import { Type } from 'avsc';
import { type AvroJsonObject, avroNamespace, collectDefinitions, composeSchema } from './avro-json';
import type {
  AcceptedSubmission,
  AuditRecord,
  ConsentedEvent,
  ConsentState,
  JournalEntry,
  RegistryRecord,
  StatusChange,
  WelfareEvent,
} from './generated';
import { avroSchemaSources } from './generated/avro-schemas';

/** The TypeScript type of each record that is the value of a topic, by record name. */
export interface ValueTypes {
  AcceptedSubmission: AcceptedSubmission;
  WelfareEvent: WelfareEvent;
  ConsentedEvent: ConsentedEvent;
  ConsentState: ConsentState;
  JournalEntry: JournalEntry;
  StatusChange: StatusChange;
  AuditRecord: AuditRecord;
  RegistryRecord: RegistryRecord;
}

/** The name of a record that is a topic value, e.g. `WelfareEvent`. */
export type ValueSchemaName = keyof ValueTypes;

export const valueSchemaNames: readonly ValueSchemaName[] = [
  'AcceptedSubmission',
  'WelfareEvent',
  'ConsentedEvent',
  'ConsentState',
  'JournalEntry',
  'StatusChange',
  'AuditRecord',
  'RegistryRecord',
];

export function isValueSchemaName(name: string): name is ValueSchemaName {
  return (valueSchemaNames as readonly string[]).includes(name);
}

/** The full Avro name of a value record, e.g. `no.knutepunkt.v1.WelfareEvent`. */
export function valueSchemaFullName(name: ValueSchemaName): string {
  return `${avroNamespace}.${name}`;
}

// Compiled schemas are immutable and derived only from the generated sources, so memoizing
// them per process is safe and spares every serde and test from recompiling them.
const definitions = collectDefinitions(Object.values(avroSchemaSources));
const composedSchemas = new Map<ValueSchemaName, AvroJsonObject>();
const compiledTypes = new Map<ValueSchemaName, Type>();

/** The self-contained Avro schema of a value record (what is registered in the registry). */
export function valueSchema(name: ValueSchemaName): AvroJsonObject {
  let schema = composedSchemas.get(name);
  if (schema === undefined) {
    schema = composeSchema(valueSchemaFullName(name), definitions);
    composedSchemas.set(name, schema);
  }
  return schema;
}

/**
 * The compiled avsc type of a value record (avsc defaults: unions unwrapped unless ambiguous,
 * logical types read as their underlying type — the shapes of the generated TypeScript).
 */
export function valueType(name: ValueSchemaName): Type {
  let type = compiledTypes.get(name);
  if (type === undefined) {
    // The composed schema is valid Avro JSON by construction; avsc types its input loosely.
    type = Type.forSchema(valueSchema(name) as unknown as Parameters<typeof Type.forSchema>[0], {
      wrapUnions: 'auto',
    });
    compiledTypes.set(name, type);
  }
  return type;
}
