/**
 * Synthetic national identity numbers for tests and fixtures. Only synthetic numbers (Tenor
 * month + 80, SyntPop month + 65): never a real-looking one.
 */
import { permittedFirstCheckDigits, secondCheckDigit } from '../identity/check-digits';
import type { SyntheticSource } from '../identity/identity-number';

export interface SyntheticIdentityNumberOptions {
  /** `fodselsnummer` (default) or `d-number` (day + 40). */
  readonly kind?: 'fodselsnummer' | 'd-number';
  /** `tenor` (month + 80, default) or `syntpop` (month + 65). */
  readonly source?: SyntheticSource;
  /** `2032` gives a number whose first check digit only the 2032 rule permits. */
  readonly checkDigitRule?: 'classic' | '2032';
}

const monthOffsets: Readonly<Record<SyntheticSource, number>> = { tenor: 80, syntpop: 65 };

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * A synthetic national identity number with valid check digits, deterministic in `seed`
 * (a non-negative integer). Seeds below 33 600 have different birth dates, so different
 * numbers. Born 1900–1999 on day 1–28, individual numbers 000–499.
 */
export function syntheticIdentityNumber(
  seed: number,
  options: SyntheticIdentityNumberOptions = {},
): string {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new Error('The seed of a synthetic identity number is a non-negative integer');
  }
  const { kind = 'fodselsnummer', source = 'tenor', checkDigitRule = 'classic' } = options;
  const day = 1 + (seed % 28) + (kind === 'd-number' ? 40 : 0);
  const month = 1 + (Math.floor(seed / 28) % 12) + monthOffsets[source];
  const year = Math.floor(seed / 336) % 100;
  const birth = `${twoDigits(day)}${twoDigits(month)}${twoDigits(year)}`;
  // Seeds that share a birth date (33 600 apart) start 50 individual numbers apart. An
  // individual number whose digits have no valid check digits is skipped for the next one
  // (mod 500, staying in the 1900s range).
  const slot = (Math.floor(seed / 33_600) * 50) % 500;
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const first9 = `${birth}${String((slot + attempt) % 500).padStart(3, '0')}`;
    const permitted = permittedFirstCheckDigits(first9);
    const candidates =
      checkDigitRule === 'classic'
        ? [permitted.classic].filter((k1) => k1 !== null)
        : permitted.rule2032;
    for (const k1 of candidates) {
      const k2 = secondCheckDigit(`${first9}${k1}`);
      if (k2 !== null) {
        return `${first9}${k1}${k2}`;
      }
    }
  }
  throw new Error(`No synthetic identity number for seed ${seed}`);
}
