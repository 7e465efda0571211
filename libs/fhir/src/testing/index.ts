/**
 * @knutepunkt/fhir/testing — synthetic national identity numbers and VKP-shaped FHIR
 * submissions for tests and fixtures. Only synthetic numbers (Tenor month + 80, SyntPop
 * month + 65): never a real-looking one.
 */
export {
  syntheticIdentityNumber,
  type SyntheticIdentityNumberOptions,
} from './synthetic-identity-number';
export * from './vkp-fixtures';
