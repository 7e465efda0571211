/**
 * Registration validity, device loans and consent periods are calendar dates in Norway's time
 * zone (DESIGN.md "Consent API"), so an event is judged by the Oslo date it happened on, not
 * the UTC one: 23:30 UTC on 31 January is already 1 February in Oslo.
 */
import type { TimestampMillis } from '@knutepunkt/schemas';

/** `YYYY-MM-DD`: sorts and compares as a string exactly as the dates do. */
export type OsloDate = string;

// One formatter for the process: building an Intl.DateTimeFormat is far dearer than using one.
// en-CA formats as YYYY-MM-DD, but the parts are read explicitly so no locale quirk matters.
const osloDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const hourMs = 60 * 60 * 1000;
// Oslo's offset from UTC is always whole hours (+1, +2 in summer) and changes on a whole UTC
// hour, so every instant in one UTC hour has the same Oslo date. Events arrive roughly in time
// order, so remembering the last hour spares most calls to the formatter — the dearest step
// of a decision.
let cachedHour = Number.NaN;
let cachedDate: OsloDate = '';

/** The calendar date in Europe/Oslo at the given instant. */
export function osloDateOf(at: TimestampMillis): OsloDate {
  const hour = Math.floor(at / hourMs);
  if (hour !== cachedHour) {
    cachedDate = formatOsloDate(at);
    cachedHour = hour;
  }
  return cachedDate;
}

function formatOsloDate(at: TimestampMillis): OsloDate {
  let year = '';
  let month = '';
  let day = '';
  for (const part of osloDateFormat.formatToParts(at)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year}-${month}-${day}`;
}

/** True when `date` lies in the inclusive range; a null bound is open. */
export function isDateWithin(date: OsloDate, from: OsloDate | null, to: OsloDate | null): boolean {
  return (from === null || from <= date) && (to === null || date <= to);
}
