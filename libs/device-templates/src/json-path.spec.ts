import { parseJsonPath, select, type JsonPath } from './json-path';

function path(source: string): JsonPath {
  const parsed = parseJsonPath(source);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

describe('the JSONPath subset of templates', () => {
  const document = {
    client: { nin: '02818000726', 'full name': 'Kari' },
    events: [{ type: 'A' }, { type: 'B', empty: null }],
  };

  it('selects members, quoted members and indices, naming the concrete path', () => {
    expect(select(path('$.client.nin'), { document })).toEqual({
      found: true,
      value: '02818000726',
      path: '$.client.nin',
    });
    expect(select(path("$.client['full name']"), { document })).toMatchObject({
      value: 'Kari',
      path: "$.client['full name']",
    });
    expect(select(path('$.events[1].type'), { document })).toMatchObject({
      value: 'B',
      path: '$.events[1].type',
    });
    expect(select(path('$.events[-1].type'), { document })).toMatchObject({
      value: 'B',
      path: '$.events[1].type',
    });
  });

  it('reads @ paths from the current item, named by where the item sits', () => {
    const item = { value: document.events[0], path: '$.events[0]' };
    expect(select(path('@.type'), { document, item })).toEqual({
      found: true,
      value: 'A',
      path: '$.events[0].type',
    });
  });

  it('says where a walk stopped: a missing member, an index out of range, a null', () => {
    expect(select(path('$.client.ssn'), { document })).toEqual({
      found: false,
      path: '$.client.ssn',
    });
    expect(select(path('$.events[5].type'), { document })).toEqual({
      found: false,
      path: '$.events[5]',
    });
    expect(select(path('$.events[1].empty'), { document })).toEqual({
      found: false,
      path: '$.events[1].empty',
    });
    expect(select(path('$.client.nin.x'), { document })).toMatchObject({ found: false });
  });

  it.each(['client.nin', '$..nin', '$.events[*].type', '$.events[?(@.type)]', '$.a b'])(
    'refuses %s when the template is loaded',
    (source) => {
      expect(parseJsonPath(source).ok).toBe(false);
    },
  );
});
