import { mod11CheckDigit, weightedSumMod11 } from '../mod11';

/** Weights of the first check digit (k1) over digits 1–9. */
const firstCheckDigitWeights = [3, 7, 6, 1, 8, 9, 4, 5, 2] as const;
/** Weights of the second check digit (k2) over digits 1–9 and k1. */
const secondCheckDigitWeights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

/**
 * `classic`: k1 by the mod-11 rule in force until 2032. `2032`: one of the three extra k1
 * values Skatteetaten allows for numbers issued from 1 January 2032, when the classic
 * numbers run out for some birth dates. Numbers of both kinds must be accepted now.
 */
export type CheckDigitRule = 'classic' | '2032';

/** The first check digits permitted after nine digits, by rule. */
export interface PermittedFirstCheckDigits {
  /** The classic k1, or `null` when the classic rule gives 10 (no classic number exists). */
  readonly classic: number | null;
  /** The further k1 values only the 2032 rule permits. */
  readonly rule2032: readonly number[];
}

/**
 * The permitted first check digits of nine digits.
 *
 * The 2032 rule computes k1 = (11 + r) − (sum mod 11) for r = 0..3, subtracts 11 from a
 * result above 10 and drops 10. That is k1 ≡ r − sum (mod 11), so a k1 is permitted exactly
 * when (k1 + sum) mod 11 ∈ {0, 1, 2, 3}; r = 0 is the classic rule.
 */
export function permittedFirstCheckDigits(first9: string): PermittedFirstCheckDigits {
  const remainder = weightedSumMod11(first9, firstCheckDigitWeights);
  const [classic, ...rule2032] = [0, 1, 2, 3].map((r) => (11 + r - remainder) % 11);
  return {
    classic: classic === undefined || classic === 10 ? null : classic,
    rule2032: rule2032.filter((k1) => k1 !== 10),
  };
}

/** The second check digit of ten digits (nine plus k1), or `null` when none is valid. */
export function secondCheckDigit(first10: string): number | null {
  return mod11CheckDigit(first10, secondCheckDigitWeights);
}

/** The rule that an 11-digit number's check digits satisfy, or `null` when they are wrong. */
export function checkDigitRuleOf(digits: string): CheckDigitRule | null {
  const k1 = Number(digits.charAt(9));
  const offset = (k1 + weightedSumMod11(digits, firstCheckDigitWeights)) % 11;
  if (offset > 3) {
    return null;
  }
  if (secondCheckDigit(digits) !== Number(digits.charAt(10))) {
    return null;
  }
  return offset === 0 ? 'classic' : '2032';
}
