export {
  parseIdentityNumber,
  birthYearOf,
  type IdentityNumber,
  type IdentityNumberKind,
  type IdentityNumberClassification,
  type IdentityNumberParseError,
  type IdentityNumberParseErrorCode,
  type SyntheticSource,
} from './identity-number';
export {
  permittedFirstCheckDigits,
  secondCheckDigit,
  type CheckDigitRule,
  type PermittedFirstCheckDigits,
} from './check-digits';
export {
  checkIdentityNumber,
  applyEnvironmentRule,
  acceptedClassifications,
  type Environment,
  type IdentityCheckOptions,
  type IdentityNumberError,
  type IdentityNumberErrorCode,
} from './environment-policy';
export {
  checkNationalIdentifier,
  isNationalIdentitySystem,
  identityNumberKindOf,
  nationalIdentitySystems,
  type NationalIdentifier,
  type NationalIdentifierError,
  type NationalIdentifierErrorCode,
  type NationalIdentitySystem,
} from './national-identifier';
