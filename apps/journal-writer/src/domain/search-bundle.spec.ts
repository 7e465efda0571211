import type { EntrySearch } from './entry-search';
import { decodeCursor, journalStatusSystem } from './entry-search';
import { searchBundle } from './search-bundle';

const search: EntrySearch = {
  orgnr: '921234562',
  afterSeq: '10',
  count: 2,
  order: 'ascending',
  filters: { lastUpdatedAfter: null, status: null, patientKey: null, notJournaled: false },
};

function cursorOf(url: string | undefined) {
  const cursor = new URL(url ?? '').searchParams.get('cursor') ?? '';
  const decoded = decodeCursor(cursor);
  if (!decoded.ok) throw new Error(decoded.error.code);
  return decoded.value;
}

describe('searchBundle', () => {
  it('is a searchset of the entries in order, tagged with their status, next after the last', () => {
    const bundle = searchBundle({
      baseUrl: 'https://kp.example.no',
      search,
      now: Date.UTC(2026, 10, 28),
      entries: [
        {
          seq: '11',
          status: 'read',
          composition: { resourceType: 'Composition', id: 'a' } as never,
        },
        {
          seq: '15',
          status: 'journaled',
          composition: { resourceType: 'Composition', id: 'b' } as never,
        },
      ],
    });
    expect(bundle.type).toBe('searchset');
    expect(bundle.entry?.map((e) => e.fullUrl)).toEqual([
      'https://kp.example.no/epj/921234562/Composition/a',
      'https://kp.example.no/epj/921234562/Composition/b',
    ]);
    expect(bundle.entry?.[1]?.resource?.meta?.tag).toEqual([
      { system: journalStatusSystem, code: 'journaled', display: 'Journalført' },
    ]);
    const next = bundle.link?.find((l) => l.relation === 'next')?.url;
    expect(next).toMatch(/^https:\/\/kp\.example\.no\/epj\/921234562\/_search\?cursor=/);
    expect(cursorOf(next)).toMatchObject({ afterSeq: '15', count: 2 });
  });

  it('keeps the position of an empty page, so the EPJ can ask again later', () => {
    const bundle = searchBundle({ baseUrl: 'http://x', search, now: 0, entries: [] });
    expect(bundle.entry).toEqual([]);
    expect(cursorOf(bundle.link?.find((l) => l.relation === 'next')?.url).afterSeq).toBe('10');
  });

  it("links JFT's searches to /v1/Composition, whose GET continues them", () => {
    const bundle = searchBundle({
      baseUrl: 'https://kp.example.no',
      api: 'jft',
      search: { ...search, order: 'descending' },
      now: 0,
      entries: [
        {
          seq: '9',
          status: 'read',
          composition: { resourceType: 'Composition', id: 'c' } as never,
        },
      ],
    });
    expect(bundle.entry?.[0]?.fullUrl).toBe('https://kp.example.no/v1/Composition/c');
    const next = bundle.link?.find((l) => l.relation === 'next')?.url;
    expect(next).toMatch(/^https:\/\/kp\.example\.no\/v1\/Composition\?cursor=/);
    expect(cursorOf(next)).toMatchObject({ afterSeq: '9', order: 'descending' });
  });
});
