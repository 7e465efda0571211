import { fail, ok, type FhirError, type Result } from '../result';
import { checkDigitRuleOf, type CheckDigitRule } from './check-digits';

/**
 * Norwegian national identity numbers: `DDMMYY` + a 3-digit individual number + two check
 * digits (k1, k2), and the variants that shift the day or month field
 * (../shared/reference/vkp-jft.md §5):
 *
 * | kind / classification         | rule                               |
 * | ----------------------------- | ---------------------------------- |
 * | fødselsnummer, real           | day 01–31, month 01–12             |
 * | D-number, real                | day + 40 (41–71)                   |
 * | H-number (hjelpenummer)       | month + 40 (41–52)                 |
 * | synthetic, Test-Norge/Tenor   | month + 80 (81–92), also D-numbers |
 * | synthetic, NHN SyntPop        | month + 65 (66–77), also D-numbers |
 * | FHN (felles hjelpenummer)     | first digit 8 or 9, no date        |
 *
 * The check digits are those of a fødselsnummer for every variant, under either the classic
 * mod-11 rule or the 2032 rule (see check-digits.ts).
 */

/** What the number is: which identifier system may carry it. */
export type IdentityNumberKind = 'fodselsnummer' | 'd-number' | 'h-number' | 'fhn';

/** Whose number it is: decides which environments accept it (see environment-policy.ts). */
export type IdentityNumberClassification = 'real' | 'synthetic' | 'h-number' | 'fhn';

/** Which synthetic population a synthetic number comes from. */
export type SyntheticSource = 'tenor' | 'syntpop';

/**
 * The facts read from a valid identity number. Deliberately without the number itself, so
 * that passing this around (or logging it) never spreads the number.
 */
export interface IdentityNumber {
  readonly kind: IdentityNumberKind;
  readonly classification: IdentityNumberClassification;
  /** Set only when `classification` is `synthetic`. */
  readonly syntheticSource: SyntheticSource | null;
  /**
   * `YYYY-MM-DD`, the century taken from the individual number. For an H-number it is the
   * date the number was made with, possibly fictional; an FHN carries none (`null`).
   */
  readonly birthDate: string | null;
  readonly checkDigitRule: CheckDigitRule;
}

export type IdentityNumberParseErrorCode =
  'FHIR.IDENTITY.FORMAT' | 'FHIR.IDENTITY.CHECKSUM' | 'FHIR.IDENTITY.BIRTH_DATE';

export type IdentityNumberParseError = FhirError<IdentityNumberParseErrorCode>;

interface MonthField {
  readonly offset: number;
  readonly classification: 'real' | 'synthetic' | 'h-number';
  readonly syntheticSource: SyntheticSource | null;
}

const monthFields: readonly MonthField[] = [
  { offset: 0, classification: 'real', syntheticSource: null },
  { offset: 40, classification: 'h-number', syntheticSource: null },
  { offset: 65, classification: 'synthetic', syntheticSource: 'syntpop' },
  { offset: 80, classification: 'synthetic', syntheticSource: 'tenor' },
];

const dNumberDayOffset = 40;

function monthFieldOf(month: number): MonthField | undefined {
  return monthFields.find((field) => month >= field.offset + 1 && month <= field.offset + 12);
}

/**
 * The four-digit birth year, the century read from the individual number as Skatteetaten
 * assigns them: 000–499 → 1900–1999; 500–749 with YY ≥ 55 → 1855–1899; 500–999 with
 * YY ≤ 39 → 2000–2039; 900–999 with YY ≥ 40 → 1940–1999. Any other combination is never
 * issued (`null`).
 */
export function birthYearOf(twoDigitYear: number, individualNumber: number): number | null {
  if (individualNumber <= 499) {
    return 1900 + twoDigitYear;
  }
  if (individualNumber <= 749 && twoDigitYear >= 55) {
    return 1800 + twoDigitYear;
  }
  if (twoDigitYear <= 39) {
    return 2000 + twoDigitYear;
  }
  if (individualNumber >= 900) {
    return 1900 + twoDigitYear;
  }
  return null;
}

function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1) {
    return null;
  }
  if (date.getUTCDate() !== day) {
    return null;
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Parses and classifies a national identity number: 11 digits, valid check digits (classic or
 * 2032 rule), a known day/month variant and a birth date that exists. No environment rule is
 * applied here: see `checkIdentityNumber`.
 */
export function parseIdentityNumber(
  value: string,
  expression?: string,
): Result<IdentityNumber, IdentityNumberParseError> {
  if (!/^\d{11}$/.test(value)) {
    return fail(
      'FHIR.IDENTITY.FORMAT',
      'A national identity number has exactly 11 digits and nothing else.',
      expression,
    );
  }
  const checkDigitRule = checkDigitRuleOf(value);
  if (checkDigitRule === null) {
    return fail(
      'FHIR.IDENTITY.CHECKSUM',
      'The check digits of the national identity number are wrong (under both the mod-11 rule and the 2032 rule).',
      expression,
    );
  }

  const firstDigit = Number(value.charAt(0));
  if (firstDigit === 8 || firstDigit === 9) {
    return ok({
      kind: 'fhn',
      classification: 'fhn',
      syntheticSource: null,
      birthDate: null,
      checkDigitRule,
    });
  }

  const dayField = Number(value.slice(0, 2));
  const monthField = monthFieldOf(Number(value.slice(2, 4)));
  const isDNumber = dayField > dNumberDayOffset;
  if (monthField === undefined || (isDNumber && monthField.classification === 'h-number')) {
    return fail(
      'FHIR.IDENTITY.FORMAT',
      'The day and month digits match no kind of national identity number (fødselsnummer, D-number, H-number, FHN, or a Tenor/SyntPop synthetic number).',
      expression,
    );
  }

  const day = isDNumber ? dayField - dNumberDayOffset : dayField;
  const month = Number(value.slice(2, 4)) - monthField.offset;
  const year = birthYearOf(Number(value.slice(4, 6)), Number(value.slice(6, 9)));
  const birthDate = year === null ? null : isoDate(year, month, day);
  if (birthDate === null) {
    return fail(
      'FHIR.IDENTITY.BIRTH_DATE',
      'The national identity number holds no valid birth date (an impossible day or month, or an individual number never issued for that year).',
      expression,
    );
  }

  let kind: IdentityNumberKind = 'fodselsnummer';
  if (monthField.classification === 'h-number') {
    kind = 'h-number';
  } else if (isDNumber) {
    kind = 'd-number';
  }
  return ok({
    kind,
    classification: monthField.classification,
    syntheticSource: monthField.syntheticSource,
    birthDate,
    checkDigitRule,
  });
}
