/**
 * ISO 8601 durations for the policy's `holdFor` (DESIGN.md "Consent API": default `PT24H`).
 * Only the exact units are accepted — weeks, days, hours, minutes, seconds — with a day taken
 * as 24 hours: a hold period is a stretch of elapsed time, and years and months have no fixed
 * length, so `P1M` is refused rather than guessed at.
 */

export type DurationResult =
  | { readonly ok: true; readonly millis: number }
  | { readonly ok: false; readonly code: 'CONSENT.INVALID_DURATION'; readonly message: string };

const durationPattern =
  /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

const secondMs = 1000;
const minuteMs = 60 * secondMs;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;
const weekMs = 7 * dayMs;

/** Milliseconds of an ISO 8601 duration such as `PT24H`, `P1D`, `PT30M`, `P1DT12H`. */
export function parseIsoDuration(text: string): DurationResult {
  const match = durationPattern.exec(text);
  // A bare `P`, or a `T` with nothing after it, matches the pattern but names no duration.
  if (match === null || text === 'P' || text.endsWith('T')) {
    return {
      ok: false,
      code: 'CONSENT.INVALID_DURATION',
      message: `"${text}" is not an ISO 8601 duration in weeks, days, hours, minutes or seconds (e.g. PT24H)`,
    };
  }
  const [, weeks, days, hours, minutes, seconds] = match;
  const millis =
    number(weeks) * weekMs +
    number(days) * dayMs +
    number(hours) * hourMs +
    number(minutes) * minuteMs +
    Math.round(number(seconds?.replace(',', '.')) * secondMs);
  return { ok: true, millis };
}

function number(digits: string | undefined): number {
  return digits === undefined ? 0 : Number(digits);
}
