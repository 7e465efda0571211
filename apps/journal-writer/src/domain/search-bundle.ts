/**
 * The EPJ read API's answer: a FHIR searchset Bundle of journal entries (Compositions) in the
 * store's order, with a `next` link whose opaque cursor continues after the last entry. Pure.
 */
import type { Bundle, Composition } from '@medplum/fhirtypes';
import { type EntrySearch, type EntryStatus, encodeCursor } from './entry-search';

/** The code system of the entry's journaling status in Composition.meta.tag. */
export const journalStatusSystem = 'https://knutepunkt.no/fhir/CodeSystem/journal-status';

export interface FoundEntry {
  /** The store's sequence (decimal string): the order of the search and the cursor's position. */
  readonly seq: string;
  readonly composition: Composition;
  /** The status after this search (a returned entry is at least `read`). */
  readonly status: EntryStatus;
}

export interface SearchPage {
  /** Where the API is served, e.g. `https://knutepunkt.example.no` (no trailing slash). */
  readonly baseUrl: string;
  readonly search: EntrySearch;
  readonly entries: readonly FoundEntry[];
  /** When the search ran, epoch ms. */
  readonly now: number;
}

const statusDisplays: Readonly<Record<EntryStatus, string>> = {
  unread: 'Ikke lest',
  read: 'Lest',
  journaled: 'Journalført',
};

export function compositionUrl(baseUrl: string, orgnr: string, entryId: string): string {
  return `${baseUrl}/epj/${orgnr}/Composition/${entryId}`;
}

/**
 * The searchset. `next` is always there: it continues after the last entry of this page (or
 * where this page started, when it is empty), so an EPJ that keeps following it sees every
 * entry once. A page shorter than `_count` means there is nothing more just now.
 */
export function searchBundle(page: SearchPage): Bundle {
  const { baseUrl, search, entries } = page;
  const searchUrl = `${baseUrl}/epj/${search.orgnr}/_search`;
  const last = entries[entries.length - 1];
  const afterSeq = last?.seq ?? search.afterSeq ?? '0';
  const cursor = encodeCursor({
    orgnr: search.orgnr,
    filters: search.filters,
    afterSeq,
    count: search.count,
  });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    timestamp: new Date(page.now).toISOString(),
    link: [
      { relation: 'self', url: searchUrl },
      { relation: 'next', url: `${searchUrl}?cursor=${cursor}` },
    ],
    entry: entries.map((found) => ({
      fullUrl: compositionUrl(baseUrl, search.orgnr, found.composition.id ?? ''),
      resource: withStatusTag(found.composition, found.status),
      search: { mode: 'match' },
    })),
  };
}

function withStatusTag(composition: Composition, status: EntryStatus): Composition {
  return {
    ...composition,
    meta: {
      ...composition.meta,
      tag: [{ system: journalStatusSystem, code: status, display: statusDisplays[status] }],
    },
  };
}
