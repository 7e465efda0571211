import { fail, ok, type FhirError, type Result } from '../result';
import {
  parseIdentityNumber,
  type IdentityNumber,
  type IdentityNumberClassification,
  type IdentityNumberParseErrorCode,
} from './identity-number';

/** The deployment environment, as `KNUTEPUNKT_ENV` names it (libs/config). */
export type Environment = 'production' | 'test' | 'development';

export type IdentityNumberErrorCode =
  | IdentityNumberParseErrorCode
  | 'FHIR.IDENTITY.SYNTHETIC_IN_PRODUCTION'
  | 'FHIR.IDENTITY.REAL_IN_TEST'
  | 'FHIR.IDENTITY.H_NUMBER';

export type IdentityNumberError = FhirError<IdentityNumberErrorCode>;

export interface IdentityCheckOptions {
  readonly environment: Environment;
  /** FHIRPath of the element that holds the number; copied into any error. */
  readonly expression?: string;
}

/**
 * Which classifications each environment accepts (docs/adr/0004-fhir-domain-library.md):
 *
 * - production accepts real numbers (fødselsnummer, D-number) and FHNs, never synthetic ones;
 * - test and development accept only numbers that are provably synthetic (Tenor, SyntPop):
 *   a real number or an FHN (issued to a real patient) never enters them;
 * - an H-number is accepted nowhere: it is an enterprise-internal stand-in that may not leave
 *   the organisation that made it, and no identifier system of VKP carries it.
 */
export const acceptedClassifications: Readonly<
  Record<Environment, readonly IdentityNumberClassification[]>
> = {
  production: ['real', 'fhn'],
  test: ['synthetic'],
  development: ['synthetic'],
};

/**
 * Parses a national identity number and applies the environment rule (DESIGN.md "Security":
 * production rejects synthetic numbers, test rejects real ones).
 */
export function checkIdentityNumber(
  value: string,
  options: IdentityCheckOptions,
): Result<IdentityNumber, IdentityNumberError> {
  const parsed = parseIdentityNumber(value, options.expression);
  if (!parsed.ok) {
    return parsed;
  }
  return applyEnvironmentRule(parsed.value, options);
}

/** The environment rule alone, for a number that has been parsed already. */
export function applyEnvironmentRule(
  number: IdentityNumber,
  options: IdentityCheckOptions,
): Result<IdentityNumber, IdentityNumberError> {
  const { environment, expression } = options;
  if (acceptedClassifications[environment].includes(number.classification)) {
    return ok(number);
  }
  switch (number.classification) {
    case 'h-number':
      return fail(
        'FHIR.IDENTITY.H_NUMBER',
        'An H-number (month + 40) is an enterprise-internal stand-in and is not accepted: send the fødselsnummer, D-number or felles hjelpenummer (FHN).',
        expression,
      );
    case 'synthetic':
      return fail(
        'FHIR.IDENTITY.SYNTHETIC_IN_PRODUCTION',
        'A synthetic test identity number (Tenor month + 80, SyntPop month + 65) is not accepted in production.',
        expression,
      );
    case 'real':
    case 'fhn':
      return fail(
        'FHIR.IDENTITY.REAL_IN_TEST',
        `Only synthetic identity numbers (Tenor month + 80, SyntPop month + 65) are accepted in the ${environment} environment; this one may belong to a real person.`,
        expression,
      );
  }
}
