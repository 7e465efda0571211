/**
 * The modulus-11 check digit shared by Norwegian identity numbers and organisation numbers:
 * Σ weightᵢ·digitᵢ, then 11 − (sum mod 11), where 11 becomes 0 and 10 means that the digits
 * have no valid check digit (such numbers are never issued).
 */

/** Σ weightᵢ·digitᵢ mod 11 over the first `weights.length` digits. */
export function weightedSumMod11(digits: string, weights: readonly number[]): number {
  let sum = 0;
  weights.forEach((weight, index) => {
    sum += weight * Number(digits.charAt(index));
  });
  return sum % 11;
}

/** The check digit for `digits`, or `null` when the rule gives 10 (no valid number). */
export function mod11CheckDigit(digits: string, weights: readonly number[]): number | null {
  const check = (11 - weightedSumMod11(digits, weights)) % 11;
  return check === 10 ? null : check;
}
