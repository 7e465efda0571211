import { mod11CheckDigit } from '../mod11';
import { fail, ok, type FhirError, type Result } from '../result';

/** Weights of the organisation number's check digit (the 9th digit) over digits 1–8. */
const organisationNumberWeights = [3, 2, 7, 6, 5, 4, 3, 2] as const;

/** A string known to be a valid organisation number (9 digits, valid check digit). */
export type OrganisationNumber = string & { readonly __brand: 'OrganisationNumber' };

export type OrganisationNumberErrorCode = 'FHIR.ORGNR.FORMAT' | 'FHIR.ORGNR.CHECKSUM';

export type OrganisationNumberError = FhirError<OrganisationNumberErrorCode>;

/**
 * The check digit that follows the first 8 digits of an organisation number, or `null` when
 * the mod-11 rule gives 10: Brønnøysundregistrene never issues such numbers.
 */
export function organisationNumberCheckDigit(first8: string): number | null {
  if (!/^\d{8}$/.test(first8)) {
    throw new Error('Give exactly the first 8 digits of an organisation number');
  }
  return mod11CheckDigit(first8, organisationNumberWeights);
}

/** Checks an organisation number (orgnr): 9 digits with a valid mod-11 check digit. */
export function checkOrganisationNumber(
  value: string,
  expression?: string,
): Result<OrganisationNumber, OrganisationNumberError> {
  if (!/^\d{9}$/.test(value)) {
    return fail(
      'FHIR.ORGNR.FORMAT',
      'An organisation number has exactly 9 digits and nothing else.',
      expression,
    );
  }
  if (organisationNumberCheckDigit(value.slice(0, 8)) !== Number(value.charAt(8))) {
    return fail(
      'FHIR.ORGNR.CHECKSUM',
      'The check digit of the organisation number is wrong (mod 11, weights 3 2 7 6 5 4 3 2).',
      expression,
    );
  }
  return ok(value as OrganisationNumber);
}
