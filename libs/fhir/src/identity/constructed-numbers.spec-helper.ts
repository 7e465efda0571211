/**
 * For the unit tests only: numbers that are not synthetic (month 01–12, D-numbers, FHNs) are
 * built here from a birth date at run time rather than committed as literals. The check-digit
 * rule is written out again, independently of check-digits.ts, so it serves as a test oracle.
 */
function weighted(digits: string, weights: readonly number[]): number {
  return weights.reduce((sum, weight, index) => sum + weight * Number(digits[index]), 0);
}

/** Nine digits completed with their classic check digits, or null when none exist. */
export function withClassicCheckDigits(first9: string): string | null {
  const k1 = (11 - (weighted(first9, [3, 7, 6, 1, 8, 9, 4, 5, 2]) % 11)) % 11;
  if (k1 === 10) {
    return null;
  }
  const k2 = (11 - (weighted(`${first9}${k1}`, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11)) % 11;
  return k2 === 10 ? null : `${first9}${k1}${k2}`;
}

/** The first individual number from `from` that gives valid check digits after `birth` (6 digits). */
export function constructedNumber(birth: string, from: number): string {
  for (let individual = from; individual < from + 100; individual += 1) {
    const number = withClassicCheckDigits(`${birth}${String(individual).padStart(3, '0')}`);
    if (number !== null) {
      return number;
    }
  }
  throw new Error(`no valid number for ${birth}`);
}

/** A fødselsnummer-shaped number with month 01–12: classified as real. */
export const aRealFodselsnummer = (): string => constructedNumber('150387', 100);
/** A D-number with month 01–12: classified as real. */
export const aRealDNumber = (): string => constructedNumber('550387', 200);
/** A felles hjelpenummer (first digit 8 or 9). */
export const anFhn = (): string => constructedNumber('873416', 200);
