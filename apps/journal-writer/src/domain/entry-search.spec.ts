import { type EntrySearch, decodeCursor, encodeCursor, parseEntrySearch } from './entry-search';

const orgnr = '921234562';
const patientKeyOf = (org: string, identifier: { system: string; value: string }) =>
  `${org}:${identifier.system}:${identifier.value}`
    .padEnd(64, '0')
    .replace(/[^0-9a-f]/g, 'a')
    .slice(0, 64);

function parse(
  body: Record<string, unknown>,
  query: Record<string, unknown> = {},
  api: 'epj' | 'jft' = 'epj',
) {
  return parseEntrySearch({ orgnr, body, query, api }, patientKeyOf);
}

function ok(
  body: Record<string, unknown>,
  query: Record<string, unknown> = {},
  api: 'epj' | 'jft' = 'epj',
): EntrySearch {
  const result = parse(body, query, api);
  if (!result.ok) throw new Error(result.error.code);
  return result.value;
}

function code(
  body: Record<string, unknown>,
  query: Record<string, unknown> = {},
  api: 'epj' | 'jft' = 'epj',
): string {
  const result = parse(body, query, api);
  return result.ok ? 'ok' : result.error.code;
}

describe('parseEntrySearch', () => {
  it('searches everything from the start, 50 at a time, when given nothing', () => {
    expect(ok({})).toEqual({
      orgnr,
      afterSeq: null,
      count: 50,
      order: 'ascending',
      filters: { lastUpdatedAfter: null, status: null, patientKey: null, notJournaled: false },
    });
  });

  it('takes _lastUpdated=gt<instant>, status and _count from JSON (numbers too) or form strings', () => {
    const search = ok({
      _lastUpdated: 'gt2026-11-28T08:00:00+01:00',
      status: 'unread',
      _count: 20,
    });
    expect(search.filters.lastUpdatedAfter).toBe(Date.UTC(2026, 10, 28, 7, 0, 0));
    expect(search.filters.status).toBe('unread');
    expect(search.count).toBe(20);
    expect(ok({ _count: '7' }).count).toBe(7);
  });

  it('caps _count at 500 and refuses 0, negatives and fractions', () => {
    expect(ok({ _count: 5000 }).count).toBe(500);
    expect(code({ _count: 0 })).toBe('EPJ.INVALID_PARAMETER');
    expect(code({ _count: '-1' })).toBe('EPJ.INVALID_PARAMETER');
    expect(code({ _count: '2.5' })).toBe('EPJ.INVALID_PARAMETER');
  });

  it('takes only gt with a full instant for _lastUpdated', () => {
    expect(code({ _lastUpdated: '2026-11-28T08:00:00Z' })).toBe('EPJ.INVALID_PARAMETER');
    expect(code({ _lastUpdated: 'ge2026-11-28T08:00:00Z' })).toBe('EPJ.INVALID_PARAMETER');
    expect(code({ _lastUpdated: 'gt2026-11-28' })).toBe('EPJ.INVALID_PARAMETER');
    expect(code({ _lastUpdated: 'gt2026-11-28T08:00:00' })).toBe('EPJ.INVALID_PARAMETER');
  });

  it('turns patient system|value into its patient key and never repeats the value in an error', () => {
    const search = ok({ patient: 'urn:oid:2.16.578.1.12.4.1.4.1|01818012345' });
    expect(search.filters.patientKey).toBe(
      patientKeyOf(orgnr, { system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: '01818012345' }),
    );
    const bad = parse({ patient: '01818012345' });
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).not.toContain('01818012345');
  });

  it('refuses an identifier in the URL, other filters in the URL, and unknown parameters', () => {
    expect(code({}, { patient: 'x|y' })).toBe('EPJ.IDENTIFIER_IN_URL');
    expect(code({}, { status: 'unread' })).toBe('EPJ.UNKNOWN_PARAMETER');
    expect(code({ subject: 'x' })).toBe('EPJ.UNKNOWN_PARAMETER');
    expect(code({ status: 'new' })).toBe('EPJ.INVALID_PARAMETER');
    expect(code({ status: ['read', 'unread'] })).toBe('EPJ.INVALID_PARAMETER');
  });

  it('continues a search from its cursor with the same filters and page size', () => {
    const first = ok({ status: 'read', _count: 10 });
    const cursor = encodeCursor({
      orgnr,
      filters: first.filters,
      afterSeq: '41',
      count: first.count,
      order: first.order,
    });
    expect(ok({}, { cursor })).toEqual({ ...first, afterSeq: '41' });
    // The first body posted again with the cursor is the same search.
    expect(ok({ status: 'read', cursor })).toEqual({ ...first, afterSeq: '41' });
    expect(ok({ _count: 3 }, { cursor }).count).toBe(3);
  });

  it('refuses a cursor with other filters, of another municipality, or not made here', () => {
    const cursor = encodeCursor({
      orgnr,
      filters: { lastUpdatedAfter: null, status: 'read', patientKey: null, notJournaled: false },
      afterSeq: '1',
      count: 50,
      order: 'ascending',
    });
    expect(code({ status: 'unread', cursor })).toBe('EPJ.CURSOR_MISMATCH');
    const foreign = encodeCursor({
      orgnr: '974760673',
      filters: { lastUpdatedAfter: null, status: null, patientKey: null, notJournaled: false },
      afterSeq: '1',
      count: 50,
      order: 'ascending',
    });
    expect(code({ cursor: foreign })).toBe('EPJ.CURSOR_MISMATCH');
    expect(code({ cursor: 'not-a-cursor' })).toBe('EPJ.INVALID_CURSOR');
    const tampered = Buffer.from(JSON.stringify({ v: 1, o: orgnr, s: '1; DROP', c: 5 })).toString(
      'base64url',
    );
    expect(code({ cursor: tampered })).toBe('EPJ.INVALID_CURSOR');
  });
});

describe('the cursor', () => {
  it('round-trips and is opaque (base64url, no identifier in it)', () => {
    const content = {
      orgnr,
      filters: {
        lastUpdatedAfter: 1_700_000_000_000,
        status: 'unread' as const,
        patientKey: 'a'.repeat(64),
        notJournaled: true,
      },
      afterSeq: '123456789012',
      count: 500,
      order: 'descending' as const,
    };
    const cursor = encodeCursor(content);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ ok: true, value: content });
  });

  it('still reads a cursor given out before _tag:not and _sort existed', () => {
    const old = Buffer.from(
      JSON.stringify({ v: 1, o: orgnr, s: '7', c: 20, lu: null, st: null, pk: null }),
    ).toString('base64url');
    expect(decodeCursor(old)).toEqual({
      ok: true,
      value: {
        orgnr,
        afterSeq: '7',
        count: 20,
        order: 'ascending',
        filters: { lastUpdatedAfter: null, status: null, patientKey: null, notJournaled: false },
      },
    });
  });
});

describe("JFT's search parameters", () => {
  const system = 'https://knutepunkt.no/fhir/CodeSystem/journal-status';

  it('takes _tag:not=journaled, bare or with the journal-status system, and nothing else', () => {
    expect(ok({ '_tag:not': 'journaled' }).filters.notJournaled).toBe(true);
    expect(ok({ '_tag:not': `${system}|journaled` }).filters.notJournaled).toBe(true);
    expect(code({ '_tag:not': 'read' })).toBe('EPJ.INVALID_PARAMETER');
    expect(code({ '_tag:not': 'http://example.org|journaled' })).toBe('EPJ.INVALID_PARAMETER');
  });

  it('takes _tag as the status, and refuses a _tag that contradicts status', () => {
    expect(ok({ _tag: `${system}|read` }).filters.status).toBe('read');
    expect(ok({ _tag: 'read', status: 'read' }).filters.status).toBe('read');
    expect(code({ _tag: 'read', status: 'unread' })).toBe('EPJ.INVALID_PARAMETER');
  });

  it('sorts by _lastUpdated ascending by default, -_lastUpdated newest first', () => {
    expect(ok({ _sort: '_lastUpdated' }).order).toBe('ascending');
    expect(ok({ _sort: '-_lastUpdated' }).order).toBe('descending');
    expect(code({ _sort: 'date' })).toBe('EPJ.INVALID_PARAMETER');
  });

  it("takes the filters in JFT's GET URL, but never a patient", () => {
    const search = ok(
      {},
      { _lastUpdated: 'gt2026-11-28T08:00:00Z', '_tag:not': 'journaled', _sort: '-_lastUpdated' },
      'jft',
    );
    expect(search.filters).toMatchObject({
      lastUpdatedAfter: Date.UTC(2026, 10, 28, 8),
      notJournaled: true,
    });
    expect(search.order).toBe('descending');
    expect(code({}, { patient: 'x|y' }, 'jft')).toBe('EPJ.IDENTIFIER_IN_URL');
    expect(code({}, { '_tag:not': 'journaled' })).toBe('EPJ.UNKNOWN_PARAMETER');
  });

  it('keeps _tag:not and the order in the cursor, and refuses a cursor with another order', () => {
    const first = ok({ '_tag:not': 'journaled', _sort: '-_lastUpdated', _count: 5 });
    const cursor = encodeCursor({ ...first, afterSeq: '99' });
    expect(ok({}, { cursor }, 'jft')).toEqual({ ...first, afterSeq: '99' });
    expect(code({ _sort: '_lastUpdated', cursor })).toBe('EPJ.CURSOR_MISMATCH');
    expect(code({ status: 'read', cursor })).toBe('EPJ.CURSOR_MISMATCH');
  });
});
