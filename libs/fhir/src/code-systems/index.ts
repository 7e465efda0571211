export type {
  CodeSystemConcept,
  CodeSystemData,
  ConceptProperty,
  ConceptPropertyValue,
  ValueSetComponent,
  ValueSetData,
} from './code-system-data';
export * from './generated';
export {
  lookupCode,
  isInValueSet,
  codeSystemByUrl,
  valueSetByUrl,
  dottedParentOf,
  type LookedUpConcept,
  type VkpCodeSystemUrl,
  type VkpValueSetUrl,
} from './lookup';
export * from './vkp-codes';
