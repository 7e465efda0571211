import type {
  CodeSystemConcept,
  CodeSystemData,
  ValueSetComponent,
  ValueSetData,
} from './code-system-data';
import { generatedCodeSystems, generatedValueSets } from './generated';

/** Canonical URL of a code system Knutepunkt has (generated from ../shared/vkp-r4). */
export type VkpCodeSystemUrl = (typeof generatedCodeSystems)[number]['url'];
/** Canonical URL of a value set Knutepunkt has. */
export type VkpValueSetUrl = (typeof generatedValueSets)[number]['url'];

/** A concept together with the code system it belongs to. */
export interface LookedUpConcept extends CodeSystemConcept {
  readonly system: string;
  readonly version: string;
}

const codeSystemsByUrl: ReadonlyMap<string, CodeSystemData> = new Map(
  generatedCodeSystems.map((codeSystem: CodeSystemData) => [codeSystem.url, codeSystem]),
);

// Concepts are stored ready to return (with their system and version), so a lookup allocates
// nothing; they are frozen because every caller shares them.
const conceptsBySystem: ReadonlyMap<string, ReadonlyMap<string, LookedUpConcept>> = new Map(
  generatedCodeSystems.map((codeSystem: CodeSystemData) => [
    codeSystem.url,
    new Map(
      codeSystem.concepts.map((concept) => [
        concept.code,
        Object.freeze({ ...concept, system: codeSystem.url, version: codeSystem.version }),
      ]),
    ),
  ]),
);

const valueSetsByUrl: ReadonlyMap<string, ValueSetData> = new Map(
  generatedValueSets.map((valueSet: ValueSetData) => [valueSet.url, valueSet]),
);

export function codeSystemByUrl(url: string): CodeSystemData | undefined {
  return codeSystemsByUrl.get(url);
}

export function valueSetByUrl(url: string): ValueSetData | undefined {
  return valueSetsByUrl.get(url);
}

/** The concept `code` of the code system `system`, or `undefined` when either is unknown. */
export function lookupCode(system: string, code: string): LookedUpConcept | undefined {
  return conceptsBySystem.get(system)?.get(code);
}

function componentHolds(component: ValueSetComponent, system: string, code: string): boolean {
  if (component.system !== system) {
    return false;
  }
  if (component.concepts !== undefined) {
    return component.concepts.some((concept) => concept.code === code);
  }
  // The whole code system; the generator guarantees it is one we have.
  const codeSystem = codeSystemsByUrl.get(system);
  if (component.version !== undefined && codeSystem?.version !== component.version) {
    return false;
  }
  return conceptsBySystem.get(system)?.has(code) ?? false;
}

/**
 * Whether the value set `valueSetUrl` contains `code` of `system`: an include holds it (an
 * enumerated concept, or any concept of a whole included code system) and no exclude does.
 */
export function isInValueSet(valueSetUrl: VkpValueSetUrl, system: string, code: string): boolean {
  const valueSet = valueSetsByUrl.get(valueSetUrl);
  if (valueSet === undefined) {
    return false;
  }
  return (
    valueSet.include.some((component) => componentHolds(component, system, code)) &&
    !valueSet.exclude.some((component) => componentHolds(component, system, code))
  );
}

/**
 * The code one level up in VKP's dotted hierarchy (`5.2.1` → `5.2`, `4.1` → `4`), or
 * `undefined` for a top-level code. VKP writes its hierarchy into the codes rather than
 * nesting concepts in the XML.
 */
export function dottedParentOf(code: string): string | undefined {
  const dot = code.lastIndexOf('.');
  return dot > 0 ? code.slice(0, dot) : undefined;
}
