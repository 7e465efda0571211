import { fail, type FhirError, type Result } from '../result';
import {
  applyEnvironmentRule,
  type IdentityCheckOptions,
  type IdentityNumberErrorCode,
} from './environment-policy';
import {
  parseIdentityNumber,
  type IdentityNumber,
  type IdentityNumberKind,
} from './identity-number';

/**
 * The FHIR identifier systems (OIDs) of national person identifiers, as VKP's profiles slice
 * `subject.identifier` (FNR, DNR, FHN in vkp-MedicationDispense-v090).
 *
 * DESIGN.md calls `…4.3` the "H-number" system: it is the *felles hjelpenummer* (FHN), the
 * help number shared across the health service. The older month + 40 H-number is internal to
 * one enterprise and has no national system.
 */
export const nationalIdentitySystems = {
  fodselsnummer: 'urn:oid:2.16.578.1.12.4.1.4.1',
  dNumber: 'urn:oid:2.16.578.1.12.4.1.4.2',
  fhn: 'urn:oid:2.16.578.1.12.4.1.4.3',
} as const;

export type NationalIdentitySystem =
  (typeof nationalIdentitySystems)[keyof typeof nationalIdentitySystems];

const kindBySystem: Readonly<Record<NationalIdentitySystem, IdentityNumberKind>> = {
  [nationalIdentitySystems.fodselsnummer]: 'fodselsnummer',
  [nationalIdentitySystems.dNumber]: 'd-number',
  [nationalIdentitySystems.fhn]: 'fhn',
};

const systemNames: Readonly<Record<IdentityNumberKind, string>> = {
  fodselsnummer: 'a fødselsnummer',
  'd-number': 'a D-number',
  'h-number': 'an H-number',
  fhn: 'a felles hjelpenummer (FHN)',
};

export function isNationalIdentitySystem(system: string): system is NationalIdentitySystem {
  return Object.prototype.hasOwnProperty.call(kindBySystem, system);
}

/** The identity-number kind an identifier system carries. */
export function identityNumberKindOf(system: NationalIdentitySystem): IdentityNumberKind {
  return kindBySystem[system];
}

export type NationalIdentifierErrorCode = IdentityNumberErrorCode | 'FHIR.IDENTITY.SYSTEM_MISMATCH';

export type NationalIdentifierError = FhirError<NationalIdentifierErrorCode>;

export interface NationalIdentifier {
  readonly system: NationalIdentitySystem;
  readonly value: string;
}

/**
 * Checks an identifier under a national system: the number parses, its kind is the one the
 * system carries (a D-number sent as a fødselsnummer is refused), and the environment accepts
 * it. Errors come in that order.
 */
export function checkNationalIdentifier(
  identifier: NationalIdentifier,
  options: IdentityCheckOptions,
): Result<IdentityNumber, NationalIdentifierError> {
  const parsed = parseIdentityNumber(identifier.value, options.expression);
  if (!parsed.ok) {
    return parsed;
  }
  const expected = kindBySystem[identifier.system];
  if (parsed.value.kind !== expected) {
    return fail(
      'FHIR.IDENTITY.SYSTEM_MISMATCH',
      `The number is ${systemNames[parsed.value.kind]}, but its system ${identifier.system} carries ${systemNames[expected]}.`,
      options.expression,
    );
  }
  return applyEnvironmentRule(parsed.value, options);
}
