/**
 * Times as a nurse in Norway reads them: Europe/Oslo wall-clock time, `28.11.2026 kl. 03:12`.
 * Intl carries the time-zone rules (summer time from the last Sunday of March 01:00 UTC to the
 * last Sunday of October 01:00 UTC), so no date library is needed.
 */

export const norwayTimeZone = 'Europe/Oslo';

const osloParts = new Intl.DateTimeFormat('nb-NO', {
  timeZone: norwayTimeZone,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

interface OsloDateTime {
  readonly date: string;
  readonly time: string;
}

function osloDateTime(epochMillis: number): OsloDateTime {
  const parts = osloParts.formatToParts(epochMillis);
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((candidate) => candidate.type === type)?.value ?? '';
  // Built from parts, not from format(): the separator between date and time differs between
  // ICU versions (", " or " "), the parts do not.
  return {
    date: `${part('day')}.${part('month')}.${part('year')}`,
    time: `${part('hour')}:${part('minute')}`,
  };
}

/** `15.01.2025 kl. 09:29` in Norway's time zone. */
export function osloDateAndTime(epochMillis: number): string {
  const { date, time } = osloDateTime(epochMillis);
  return `${date} kl. ${time}`;
}

/**
 * A second time of the same narrative: `kl. 09:30` when it falls on the same Oslo date as
 * `reference`, else the full `16.01.2025 kl. 00:10`.
 */
export function osloTimeRelativeTo(epochMillis: number, reference: number): string {
  const { date, time } = osloDateTime(epochMillis);
  return date === osloDateTime(reference).date ? `kl. ${time}` : `${date} kl. ${time}`;
}
