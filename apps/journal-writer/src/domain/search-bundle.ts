/**
 * The EPJ read API's answer: a FHIR searchset Bundle of journal entries (Compositions) in the
 * store's order, with a `next` link whose opaque cursor continues after the last entry. Pure.
 */
import type { Bundle, Composition } from '@medplum/fhirtypes';
import {
  type EntrySearch,
  type EntryStatus,
  type EpjApi,
  encodeCursor,
  journalStatusSystem,
} from './entry-search';

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
  /** The API the search came through: its links stay on it. Default `epj`. */
  readonly api?: EpjApi;
}

const statusDisplays: Readonly<Record<EntryStatus, string>> = {
  unread: 'Ikke lest',
  read: 'Lest',
  journaled: 'Journalført',
};

export function compositionUrl(
  baseUrl: string,
  orgnr: string,
  entryId: string,
  api: EpjApi = 'epj',
): string {
  return api === 'jft'
    ? `${baseUrl}/v1/Composition/${entryId}`
    : `${baseUrl}/epj/${orgnr}/Composition/${entryId}`;
}

/**
 * Where the search is posted. JFT's `next` link is its `GET /v1/Composition?cursor=…` (a
 * `POST /v1/Composition/_search?cursor=…` continues the same way).
 */
function searchUrlOf(baseUrl: string, orgnr: string, api: EpjApi): string {
  return api === 'jft' ? `${baseUrl}/v1/Composition` : `${baseUrl}/epj/${orgnr}/_search`;
}

/**
 * The searchset. `next` is always there: it continues after the last entry of this page (or
 * where this page started, when it is empty), so an EPJ that keeps following it sees every
 * entry once. A page shorter than `_count` means there is nothing more just now.
 */
export function searchBundle(page: SearchPage): Bundle {
  const { baseUrl, search, entries } = page;
  const api = page.api ?? 'epj';
  const searchUrl = searchUrlOf(baseUrl, search.orgnr, api);
  const last = entries[entries.length - 1];
  // Newest first from an empty store: nothing is older than 0, and newer entries are not part
  // of a walk backwards from when it started.
  const afterSeq = last?.seq ?? search.afterSeq ?? '0';
  const cursor = encodeCursor({
    orgnr: search.orgnr,
    filters: search.filters,
    afterSeq,
    count: search.count,
    order: search.order,
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
      fullUrl: compositionUrl(baseUrl, search.orgnr, found.composition.id ?? '', api),
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
