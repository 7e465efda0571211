/**
 * The EPJ read API's search (DESIGN.md "EPJ read API"): parameters from the body (JSON or
 * form), never an identifier from the URL, and the opaque cursor of the `next` link. Pure.
 *
 * The cursor carries the filters and the position (the store's sequence of the last entry
 * returned), so following `next` links continues the same search: entries are returned in the
 * order the store committed them, and a position never moves back, so a chain of `next` links
 * neither skips nor repeats an entry while new entries arrive.
 */
import type { Identifier } from '@knutepunkt/schemas';
import { type EpjResult, epjFail } from './epj-error';

export const entryStatuses = ['unread', 'read', 'journaled'] as const;
/** unread: never returned by a search; read: returned, not acknowledged; journaled: acknowledged. */
export type EntryStatus = (typeof entryStatuses)[number];

export const defaultCount = 50;
export const maxCount = 500;

/** The code system of the entry's journaling status in Composition.meta.tag (and `_tag`). */
export const journalStatusSystem = 'https://knutepunkt.no/fhir/CodeSystem/journal-status';

/**
 * Which shape of the read API the request came through: Knutepunkt's own
 * (`/epj/{orgnr}/_search`, filters only in the body) or JFT's ReadAPI (`/v1/Composition`,
 * whose `GET` carries the filters in the URL). Both search the same store the same way.
 */
export type EpjApi = 'epj' | 'jft';

/** `_sort`: `_lastUpdated` (the default, oldest first) or `-_lastUpdated` (newest first). */
export type SortOrder = 'ascending' | 'descending';

export interface SearchFilters {
  /** `_lastUpdated=gt<instant>`: entries whose meta.lastUpdated is after it (epoch ms). */
  readonly lastUpdatedAfter: number | null;
  readonly status: EntryStatus | null;
  /** The patient key of the `patient` parameter's identifier; never the identifier itself. */
  readonly patientKey: string | null;
  /** `_tag:not=journaled` (JFT): only entries not acknowledged yet, whether read or not. */
  readonly notJournaled: boolean;
}

export interface EntrySearch {
  readonly orgnr: string;
  readonly filters: SearchFilters;
  /**
   * Continue after this store sequence (decimal string; "after" in the sort order, so below it
   * when descending); null from the beginning (the oldest, or the newest when descending).
   */
  readonly afterSeq: string | null;
  /** Page size, 1 to 500. */
  readonly count: number;
  readonly order: SortOrder;
}

/** Parameters as they arrived: the body's (JSON object or form fields) and the URL's query. */
export interface SearchInput {
  readonly orgnr: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly query: Readonly<Record<string, unknown>>;
  /** Default `epj`: the URL then takes only `cursor` and `_count`. */
  readonly api?: EpjApi;
}

export type PatientKeyOf = (orgnr: string, identifier: Identifier) => string;

const bodyParameters = new Set([
  '_lastUpdated',
  '_count',
  '_sort',
  '_tag',
  '_tag:not',
  'status',
  'patient',
  'cursor',
]);
/**
 * What the URL may carry. Knutepunkt's API: what a `next` link holds, never a filter. JFT's
 * `GET /v1/{Type}`: its search parameters too, none of which names a patient; `patient` stays
 * in the body on both.
 */
const urlParameters: Readonly<Record<EpjApi, ReadonlySet<string>>> = {
  epj: new Set(['cursor', '_count']),
  jft: new Set(['cursor', '_count', '_lastUpdated', '_sort', '_tag', '_tag:not', 'status']),
};

const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const seqPattern = /^\d{1,19}$/;
const patientKeyPattern = /^[0-9a-f]{64}$/;

/** One value of a parameter: a string, a number (JSON), or the single value of a repeated form field. */
function single(name: string, value: unknown): EpjResult<string> {
  if (typeof value === 'string') return { ok: true, value };
  if (typeof value === 'number' && Number.isFinite(value))
    return { ok: true, value: String(value) };
  if (Array.isArray(value)) return epjFail('EPJ.INVALID_PARAMETER', `Give ${name} once.`, name);
  return epjFail('EPJ.INVALID_PARAMETER', `${name} must be a string.`, name);
}

function parseLastUpdated(raw: string): EpjResult<number> {
  const instant = raw.startsWith('gt') ? raw.slice(2) : null;
  const at = instant !== null && instantPattern.test(instant) ? Date.parse(instant) : Number.NaN;
  if (Number.isNaN(at))
    return epjFail(
      'EPJ.INVALID_PARAMETER',
      '_lastUpdated must be gt followed by an instant with a time zone, e.g. gt2026-11-28T08:00:00Z.',
      '_lastUpdated',
    );
  return { ok: true, value: at };
}

function parseCount(raw: string): EpjResult<number> {
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1)
    return epjFail('EPJ.INVALID_PARAMETER', '_count must be a whole number from 1.', '_count');
  // A server may return fewer than asked (FHIR search): more than the maximum is capped.
  return { ok: true, value: Math.min(Number(raw), maxCount) };
}

function parseStatus(raw: string): EpjResult<EntryStatus> {
  const status = entryStatuses.find((s) => s === raw);
  return status === undefined
    ? epjFail(
        'EPJ.INVALID_PARAMETER',
        `status must be one of ${entryStatuses.join(', ')}.`,
        'status',
      )
    : { ok: true, value: status };
}

function parsePatient(raw: string): EpjResult<Identifier> {
  const bar = raw.indexOf('|');
  const system = bar < 0 ? '' : raw.slice(0, bar);
  const value = bar < 0 ? '' : raw.slice(bar + 1);
  // The message never repeats the value: it may be a national identity number.
  if (system === '' || value === '' || value.includes('|'))
    return epjFail('EPJ.INVALID_PARAMETER', 'patient must be system|value.', 'patient');
  return { ok: true, value: { system, value } };
}

function parseSort(raw: string): EpjResult<SortOrder> {
  if (raw === '_lastUpdated') return { ok: true, value: 'ascending' };
  if (raw === '-_lastUpdated') return { ok: true, value: 'descending' };
  return epjFail(
    'EPJ.INVALID_PARAMETER',
    '_sort must be _lastUpdated (oldest first, the default) or -_lastUpdated (newest first).',
    '_sort',
  );
}

/** A `_tag` token, `code` or `<journal-status system>|code`: the code, or null when foreign. */
function tagCode(raw: string): string | null {
  const bar = raw.lastIndexOf('|');
  if (bar < 0) return raw;
  return raw.slice(0, bar) === journalStatusSystem ? raw.slice(bar + 1) : null;
}

function parseTag(raw: string): EpjResult<EntryStatus> {
  const code = tagCode(raw);
  const status = entryStatuses.find((s) => s === code);
  return status === undefined
    ? epjFail(
        'EPJ.INVALID_PARAMETER',
        `_tag must be one of ${entryStatuses.join(', ')}, optionally as ${journalStatusSystem}|<code>.`,
        '_tag',
      )
    : { ok: true, value: status };
}

function parseTagNot(raw: string): EpjResult<true> {
  return tagCode(raw) === 'journaled'
    ? { ok: true, value: true }
    : epjFail(
        'EPJ.INVALID_PARAMETER',
        `_tag:not takes journaled (or ${journalStatusSystem}|journaled): the entries not acknowledged yet.`,
        '_tag:not',
      );
}

interface CursorContent {
  readonly orgnr: string;
  readonly filters: SearchFilters;
  readonly afterSeq: string;
  readonly count: number;
  readonly order: SortOrder;
}

/**
 * The opaque cursor of a `next` link: base64url JSON of the search and its position. `nj`
 * and `d` are there only when set, so cursors given out before they existed still decode
 * (an EPJ keeps its `next` link across upgrades).
 */
export function encodeCursor(search: CursorContent): string {
  const { orgnr, filters, afterSeq, count, order } = search;
  const content = {
    v: 1,
    o: orgnr,
    s: afterSeq,
    c: count,
    lu: filters.lastUpdatedAfter,
    st: filters.status,
    pk: filters.patientKey,
    ...(filters.notJournaled ? { nj: true } : {}),
    ...(order === 'descending' ? { d: true } : {}),
  };
  return Buffer.from(JSON.stringify(content), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): EpjResult<CursorContent> {
  const invalid = epjFail(
    'EPJ.INVALID_CURSOR',
    'The cursor is not one this server gave out; start again without it.',
    'cursor',
  );
  let content: unknown;
  try {
    content = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return invalid;
  }
  if (typeof content !== 'object' || content === null) return invalid;
  const c = content as Record<string, unknown>;
  const status = c['st'] === null ? null : entryStatuses.find((s) => s === c['st']);
  const valid =
    c['v'] === 1 &&
    typeof c['o'] === 'string' &&
    typeof c['s'] === 'string' &&
    seqPattern.test(c['s']) &&
    typeof c['c'] === 'number' &&
    Number.isInteger(c['c']) &&
    c['c'] >= 1 &&
    c['c'] <= maxCount &&
    (c['lu'] === null || (typeof c['lu'] === 'number' && Number.isFinite(c['lu']))) &&
    status !== undefined &&
    (c['pk'] === null || (typeof c['pk'] === 'string' && patientKeyPattern.test(c['pk']))) &&
    (c['nj'] === undefined || c['nj'] === true) &&
    (c['d'] === undefined || c['d'] === true);
  if (!valid) return invalid;
  return {
    ok: true,
    value: {
      orgnr: c['o'] as string,
      afterSeq: c['s'] as string,
      count: c['c'] as number,
      order: c['d'] === true ? 'descending' : 'ascending',
      filters: {
        lastUpdatedAfter: c['lu'] as number | null,
        status,
        patientKey: c['pk'] as string | null,
        notJournaled: c['nj'] === true,
      },
    },
  };
}

function sameFilters(a: SearchFilters, b: SearchFilters): boolean {
  return (
    a.lastUpdatedAfter === b.lastUpdatedAfter &&
    a.status === b.status &&
    a.patientKey === b.patientKey &&
    a.notJournaled === b.notJournaled
  );
}

/**
 * The search the request asks for. Filters go in the body; the URL may carry only `cursor`
 * and `_count` (what a `next` link holds), or on JFT's `GET /v1/{Type}` also the filters that
 * name no patient. With a cursor, filters may be repeated (an EPJ that
 * posts its first body again with the cursor) but must not change.
 */
export function parseEntrySearch(
  input: SearchInput,
  patientKeyOf: PatientKeyOf,
): EpjResult<EntrySearch> {
  const inUrl = urlParameters[input.api ?? 'epj'];
  for (const name of Object.keys(input.query)) {
    if (name === 'patient')
      return epjFail(
        'EPJ.IDENTIFIER_IN_URL',
        'Send patient in the request body, never in the URL: identifiers must not reach URL logs.',
        'patient',
      );
    if (!inUrl.has(name))
      return epjFail(
        'EPJ.UNKNOWN_PARAMETER',
        bodyParameters.has(name)
          ? `Send ${name} in the request body; the URL takes only ${[...inUrl].join(', ')}.`
          : `Unknown search parameter ${name}; supported: ${[...bodyParameters].join(', ')}.`,
        name,
      );
  }
  for (const name of Object.keys(input.body)) {
    if (!bodyParameters.has(name))
      return epjFail(
        'EPJ.UNKNOWN_PARAMETER',
        `Unknown search parameter ${name}; supported: ${[...bodyParameters].join(', ')}.`,
        name,
      );
  }
  const raw = new Map<string, string>();
  for (const source of [input.query, input.body]) {
    for (const [name, value] of Object.entries(source)) {
      if (value === undefined) continue;
      const one = single(name, value);
      if (!one.ok) return one;
      const earlier = raw.get(name);
      if (earlier !== undefined && earlier !== one.value)
        return epjFail(
          'EPJ.INVALID_PARAMETER',
          `${name} is given twice with different values.`,
          name,
        );
      raw.set(name, one.value);
    }
  }

  let lastUpdatedAfter: number | null = null;
  const lastUpdated = raw.get('_lastUpdated');
  if (lastUpdated !== undefined) {
    const parsed = parseLastUpdated(lastUpdated);
    if (!parsed.ok) return parsed;
    lastUpdatedAfter = parsed.value;
  }
  let status: EntryStatus | null = null;
  const statusRaw = raw.get('status');
  if (statusRaw !== undefined) {
    const parsed = parseStatus(statusRaw);
    if (!parsed.ok) return parsed;
    status = parsed.value;
  }
  // `_tag` is JFT's spelling of `status`; both at once must agree.
  const tagRaw = raw.get('_tag');
  if (tagRaw !== undefined) {
    const parsed = parseTag(tagRaw);
    if (!parsed.ok) return parsed;
    if (status !== null && status !== parsed.value)
      return epjFail(
        'EPJ.INVALID_PARAMETER',
        'status and _tag ask for different statuses.',
        '_tag',
      );
    status = parsed.value;
  }
  let notJournaled = false;
  const tagNotRaw = raw.get('_tag:not');
  if (tagNotRaw !== undefined) {
    const parsed = parseTagNot(tagNotRaw);
    if (!parsed.ok) return parsed;
    notJournaled = parsed.value;
  }
  let order: SortOrder | null = null;
  const sortRaw = raw.get('_sort');
  if (sortRaw !== undefined) {
    const parsed = parseSort(sortRaw);
    if (!parsed.ok) return parsed;
    order = parsed.value;
  }
  let patientKey: string | null = null;
  const patientRaw = raw.get('patient');
  if (patientRaw !== undefined) {
    const parsed = parsePatient(patientRaw);
    if (!parsed.ok) return parsed;
    patientKey = patientKeyOf(input.orgnr, parsed.value);
  }
  let count: number | null = null;
  const countRaw = raw.get('_count');
  if (countRaw !== undefined) {
    const parsed = parseCount(countRaw);
    if (!parsed.ok) return parsed;
    count = parsed.value;
  }
  const filters: SearchFilters = { lastUpdatedAfter, status, patientKey, notJournaled };

  const cursorRaw = raw.get('cursor');
  if (cursorRaw === undefined)
    return {
      ok: true,
      value: {
        orgnr: input.orgnr,
        filters,
        afterSeq: null,
        count: count ?? defaultCount,
        order: order ?? 'ascending',
      },
    };
  const cursor = decodeCursor(cursorRaw);
  if (!cursor.ok) return cursor;
  if (cursor.value.orgnr !== input.orgnr)
    return epjFail('EPJ.CURSOR_MISMATCH', 'The cursor belongs to another municipality.', 'cursor');
  const givenFilters =
    lastUpdated !== undefined ||
    statusRaw !== undefined ||
    tagRaw !== undefined ||
    tagNotRaw !== undefined ||
    patientRaw !== undefined;
  if (
    (givenFilters && !sameFilters(filters, cursor.value.filters)) ||
    (order !== null && order !== cursor.value.order)
  )
    return epjFail(
      'EPJ.CURSOR_MISMATCH',
      'The search parameters differ from those of the cursor; start a new search without a cursor.',
      'cursor',
    );
  return {
    ok: true,
    value: {
      orgnr: input.orgnr,
      filters: cursor.value.filters,
      afterSeq: cursor.value.afterSeq,
      count: count ?? cursor.value.count,
      order: cursor.value.order,
    },
  };
}
