import {
  child,
  children,
  narrativeText,
  parseDateTime,
  readIdentifier,
  stringAt,
} from './fhir-json';

const root = (value: unknown) => ({ value, path: 'Observation' });

describe('the tolerant FHIR JSON reader', () => {
  it('reads a single object as a one-element array, without an index in its path', () => {
    expect(children(root({ category: { text: 'a' } }), 'category')).toEqual([
      { value: { text: 'a' }, path: 'Observation.category' },
    ]);
  });

  it('indexes array elements in the path and skips null and empty ones', () => {
    expect(children(root({ note: [{ text: 'a' }, null, '', { text: 'b' }] }), 'note')).toEqual([
      { value: { text: 'a' }, path: 'Observation.note[0]' },
      { value: { text: 'b' }, path: 'Observation.note[3]' },
    ]);
  });

  it('reads the first element of an array sent for a single element', () => {
    expect(child(root({ subject: [{ display: 'x' }] }), 'subject')).toEqual({
      value: { display: 'x' },
      path: 'Observation.subject[0]',
    });
  });

  it('takes empty and blank strings as absent', () => {
    expect(stringAt(root({ status: '' }), 'status')).toBeUndefined();
    expect(stringAt(root({ status: '  ' }), 'status')).toBeUndefined();
    expect(readIdentifier(root({ system: 'urn:x', value: '' }))).toBeUndefined();
  });

  it.each([
    ['2025-01-15T09:30:00+01:00', Date.UTC(2025, 0, 15, 8, 30)],
    ['2025-01-15T08:30:00Z', Date.UTC(2025, 0, 15, 8, 30)],
    ['2024-07-03T08:36:37.1678092+00:00', Date.UTC(2024, 6, 3, 8, 36, 37, 167)],
    ['2025-01-15', Date.UTC(2025, 0, 15)],
    ['2025-01', Date.UTC(2025, 0, 1)],
    ['2025', Date.UTC(2025, 0, 1)],
  ])('reads the dateTime %s', (text, millis) => {
    expect(parseDateTime({ value: text, path: 'x' })).toEqual({ ok: true, value: millis });
  });

  it.each(['2025-01-15T09:30:00', '2025-13-01', '15.01.2025', '2025-01-15T25:00:00Z', 20250115])(
    'refuses %j as a dateTime',
    (value) => {
      expect(parseDateTime({ value, path: 'Observation.effectiveDateTime' })).toMatchObject({
        ok: false,
        error: { code: 'NORMALIZE.INVALID_FORMAT', expression: 'Observation.effectiveDateTime' },
      });
    },
  );

  it('turns XHTML into lines of text', () => {
    expect(
      narrativeText(
        '<div xmlns="http://www.w3.org/1999/xhtml"><p>Én &amp; to</p><ul><li>tre&#160;fire</li><li>&#x263A;</li></ul><p>x &#99999999; y</p></div>',
      ),
    ).toBe('Én & to\ntre\u00a0fire\n☺\nx y');
  });
});
