import { checkVendorJson } from './vendor-json';

describe('checking vendor JSON', () => {
  it('takes a JSON object', () => {
    expect(checkVendorJson('{"events":[{"type":"DOSE_TAKEN"}]}')).toEqual({
      ok: true,
      document: { events: [{ type: 'DOSE_TAKEN' }] },
    });
  });

  it.each([
    ['{"events": [', 'malformed'],
    ['', 'malformed'],
    ['[1, 2]', 'not-object'],
    ['"text"', 'not-object'],
    [`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`, 'too-deep'],
    ['{"events":[{"type":"DOSE_TAKEN","type":"DOSE_MISSED"}]}', 'duplicate-key'],
  ])('refuses %j as %s', (body, reason) => {
    expect(checkVendorJson(body)).toMatchObject({ ok: false, reason });
  });
});
