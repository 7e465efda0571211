import { depthOf, duplicateKey, fhirPathOf } from './json-body';

describe('duplicateKey', () => {
  it('finds a name repeated in one object, with where that object is', () => {
    const found = duplicateKey(
      '{"resourceType":"Patient","name":[{"family":"A"},{"family":"B","family":"C"}]}',
    );
    expect(found).toEqual({ key: 'family', path: ['name', 1] });
    expect(fhirPathOf('Patient', found?.path ?? [])).toBe('Patient.name[1]');
  });

  it('finds one at the top level', () => {
    expect(duplicateKey('{"resourceType":"Flag","status":"active","status":"inactive"}')).toEqual({
      key: 'status',
      path: [],
    });
  });

  it('lets the same name appear in different objects', () => {
    expect(duplicateKey('{"a":{"x":1},"b":{"x":2},"x":[{"x":3},{"x":4}]}')).toBeNull();
  });

  it('does not take a name inside a string for a key', () => {
    expect(duplicateKey('{"a":"\\"a\\":1","b":"a"}')).toBeNull();
  });

  it('tells keys apart by their decoded text', () => {
    expect(duplicateKey('{"a":1,"\\u0061":2}')).toEqual({ key: 'a', path: [] });
  });
});

describe('depthOf', () => {
  it('counts nesting and stops counting past the limit', () => {
    expect(depthOf({ a: { b: [{ c: 1 }] } }, 10)).toBe(4);
    expect(depthOf({ a: { b: { c: { d: {} } } } }, 2)).toBe(3);
  });
});
