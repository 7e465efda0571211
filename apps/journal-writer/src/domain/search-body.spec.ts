import { searchParametersOf } from './search-body';

describe('searchParametersOf', () => {
  it('reads form fields, repeated ones as a list', () => {
    expect(
      searchParametersOf(
        'application/x-www-form-urlencoded; charset=utf-8',
        'status=read&_count=2&a=1&a=2',
      ),
    ).toEqual({ ok: true, value: { status: 'read', _count: '2', a: ['1', '2'] } });
  });

  it('reads a JSON object under application/json or application/fhir+json', () => {
    expect(searchParametersOf('application/fhir+json', '{"_count":3}')).toEqual({
      ok: true,
      value: { _count: 3 },
    });
  });

  it('takes an empty body as no parameters', () => {
    expect(searchParametersOf(undefined, '')).toEqual({ ok: true, value: {} });
  });

  it('refuses broken JSON and JSON that is not an object', () => {
    expect(searchParametersOf('application/json', '{').ok).toBe(false);
    expect(searchParametersOf('application/json', '[1]').ok).toBe(false);
  });
});
