import { Type } from 'avsc';
import {
  type AvroJsonObject,
  collectDefinitions,
  composeSchema,
  qualifyTypeName,
} from './avro-json';
import { valueSchema, valueSchemaNames, valueType } from './value-schemas';

const identifier: AvroJsonObject = {
  type: 'record',
  name: 'Identifier',
  namespace: 'test.v1',
  fields: [{ name: 'value', type: 'string' }],
};
const holder: AvroJsonObject = {
  type: 'record',
  name: 'Holder',
  namespace: 'test.v1',
  fields: [
    { name: 'first', type: 'test.v1.Identifier' },
    { name: 'second', type: ['null', 'Identifier'], default: null },
    { name: 'many', type: { type: 'array', items: 'test.v1.Identifier' } },
  ],
};

describe('composeSchema', () => {
  it('inlines a referenced type at its first use and refers to it by full name afterwards', () => {
    const composed = composeSchema('test.v1.Holder', collectDefinitions([identifier, holder]));

    expect(composed['fields']).toEqual([
      { name: 'first', type: identifier },
      { name: 'second', type: ['null', 'test.v1.Identifier'], default: null },
      { name: 'many', type: { type: 'array', items: 'test.v1.Identifier' } },
    ]);
    expect(() =>
      Type.forSchema(composed as unknown as Parameters<typeof Type.forSchema>[0]),
    ).not.toThrow();
  });

  it('rejects a reference to a type no file defines', () => {
    expect(() => composeSchema('test.v1.Holder', collectDefinitions([holder]))).toThrow(
      'Unknown Avro type test.v1.Identifier',
    );
  });

  it('rejects two files defining the same type', () => {
    expect(() => collectDefinitions([identifier, identifier])).toThrow('defined twice');
  });

  it('qualifies relative names with the enclosing namespace but never primitives', () => {
    expect(qualifyTypeName('Coding', 'no.knutepunkt.v1')).toBe('no.knutepunkt.v1.Coding');
    expect(qualifyTypeName('string', 'no.knutepunkt.v1')).toBe('string');
    expect(qualifyTypeName('other.Type', 'no.knutepunkt.v1')).toBe('other.Type');
  });
});

describe('value schemas', () => {
  it.each(valueSchemaNames)('%s composes into a self-contained schema avsc compiles', (name) => {
    const schema = valueSchema(name);

    expect(schema['name']).toBe(name);
    expect(valueType(name).name).toBe(`no.knutepunkt.v1.${name}`);
    // Re-parsing the JSON text proves nothing depends on types registered elsewhere in avsc.
    expect(() =>
      Type.forSchema(JSON.parse(JSON.stringify(schema)) as Parameters<typeof Type.forSchema>[0], {
        registry: {},
      }),
    ).not.toThrow();
  });

  it('keeps logical types and docs in the registered schema text for other languages', () => {
    const text = JSON.stringify(valueSchema('WelfareEvent'));

    expect(text).toContain('"logicalType":"timestamp-millis"');
    expect(text).toContain('"logicalType":"uuid"');
    expect(text).toContain('"doc":');
  });
});
