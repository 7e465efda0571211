import {
  vkpSeverityLevelV090CodeSystem,
  vkpSeverityLevelV090ValueSet,
} from '../code-systems/generated';

/**
 * Known defects of the VKP R4 profiles that vendors follow, so the rules accept what the
 * defect makes them send beside what is right (../shared/reference/vkp-jft.md, section 4).
 * Each entry names the defect; nothing else of the profiles is hand-written.
 *
 * - vkp-severity-level-v090 fixes `valueCodeableConcept.coding.system` to the value-set URL
 *   `http://ehelse.no/fhir/ValueSet/vkp-severity-level-v090` instead of the code system's URL.
 *   Vendors following the profile send the value-set URL; others send the code system's. Both
 *   are taken as the code system, for the fixed value, the binding and the code lookup.
 */
const systemAliases: ReadonlyMap<string, string> = new Map([
  [vkpSeverityLevelV090ValueSet.url, vkpSeverityLevelV090CodeSystem.url],
]);

/** The code system a `Coding.system` stands for, the known defects taken into account. */
export function canonicalSystem(system: string): string {
  return systemAliases.get(system) ?? system;
}

/** Whether `value` meets a profile's fixed or pattern value, the known defects taken into account. */
export function meetsFixedValue(fixed: string | number | boolean, value: unknown): boolean {
  if (value === fixed) return true;
  return (
    typeof fixed === 'string' &&
    typeof value === 'string' &&
    canonicalSystem(fixed) === canonicalSystem(value)
  );
}
