/**
 * Typed views of the VKP code systems the services work with. The codes and displays come
 * from the generated data (../shared/vkp-r4): nothing here retypes a code list, and the few
 * codes named here (the urgent severity and triage codes, the operation-outcome names) are
 * type-checked against the generated literals, so a code that leaves the data breaks the build.
 */
import type { CodeSystemConcept, CodeSystemData } from './code-system-data';
import {
  vkpAlertCodeV090CodeSystem,
  vkpCareplanCategoryV090CodeSystem,
  vkpCompositionCategoryV090CodeSystem,
  vkpCompositionEventV090CodeSystem,
  vkpCompositionSectionV090CodeSystem,
  vkpEncounterClassV090CodeSystem,
  vkpEncounterModeV090CodeSystem,
  vkpEncounterReasonV090CodeSystem,
  vkpMedicationdispenseEventsV090CodeSystem,
  vkpMessageEventV090CodeSystem,
  vkpOperationOutcomeV090CodeSystem,
  vkpSeverityLevelV090CodeSystem,
  vkpSeverityLevelV090ValueSet,
  vkpTriageV090CodeSystem,
} from './generated';
import { dottedParentOf } from './lookup';

/** The union of the codes a generated code system defines. */
export type CodeOf<S extends CodeSystemData> = S['concepts'][number]['code'];

export type VkpConcept<Code extends string> = CodeSystemConcept & { readonly code: Code };

/** A FHIR `Coding` of a VKP code, with its display from the code system. */
export interface VkpCoding<Code extends string> {
  readonly system: string;
  readonly version: string;
  readonly code: Code;
  readonly display?: string;
}

export interface VkpCodeSystem<Code extends string> {
  readonly url: string;
  readonly version: string;
  readonly concepts: readonly VkpConcept<Code>[];
  /** Whether `code` is defined in this code system. */
  has(code: string): code is Code;
  lookup(code: string): VkpConcept<Code> | undefined;
  /** The concept's display, or the code itself when the code system gives none. */
  display(code: Code): string;
  coding(code: Code): VkpCoding<Code>;
}

function vkpCodeSystem<const S extends CodeSystemData>(data: S): VkpCodeSystem<CodeOf<S>> {
  type Code = CodeOf<S>;
  const concepts = data.concepts as readonly VkpConcept<Code>[];
  const byCode = new Map<string, VkpConcept<Code>>(
    concepts.map((concept) => [concept.code, concept]),
  );
  const has = (code: string): code is Code => byCode.has(code);
  const display = (code: Code): string => byCode.get(code)?.display ?? code;
  return {
    url: data.url,
    version: data.version,
    concepts,
    has,
    lookup: (code) => byCode.get(code),
    display,
    coding: (code) => {
      const text = byCode.get(code)?.display;
      const base = { system: data.url, version: data.version, code };
      return text === undefined ? base : { ...base, display: text };
    },
  };
}

// ---------------------------------------------------------------------------------------
// Alerts (DetectedIssue.code)

export type AlertCode = CodeOf<typeof vkpAlertCodeV090CodeSystem>;
/** vkp-alert-code-v090: 1.x dispenser, 2 GPS, 3 safety alarm, 4.x digital supervision, 5.x DHO, 6 door lock, 7.x nurse call. */
export const vkpAlertCodes = vkpCodeSystem(vkpAlertCodeV090CodeSystem);

/**
 * The top-level alert concept an alert belongs to (`4.11` Brannalarm → `4` Digitalt tilsyn):
 * which kind of welfare technology raised it.
 */
export function alertCategoryOf(code: AlertCode): VkpConcept<AlertCode> {
  let top: string = code;
  for (let parent = dottedParentOf(top); parent !== undefined; parent = dottedParentOf(top)) {
    top = parent;
  }
  const concept = vkpAlertCodes.lookup(top);
  if (concept === undefined) {
    // Every VKP alert code's top-level prefix is itself a code (checked by the unit tests).
    throw new Error(`Alert code ${code} has no top-level concept ${top}`);
  }
  return concept;
}

// ---------------------------------------------------------------------------------------
// Severity (vkp-severity-level-v090 extension, DetectedIssue)

export type SeverityLevelCode = CodeOf<typeof vkpSeverityLevelV090CodeSystem>;
/** vkp-severity-level-v090: 0 Ikke rapportert, 10 Normal, 20 Moderat, 30 Alvorlig, 40 Kritisk. */
export const vkpSeverityLevels = vkpCodeSystem(vkpSeverityLevelV090CodeSystem);

/**
 * Severities from this level up travel on the urgent lane (DESIGN.md "Topics": severity ≥ 30,
 * VKP "Alvorlig").
 */
export const urgentSeverityCode = '30' satisfies SeverityLevelCode;

/**
 * The systems a severity coding may name: the code system, and the value-set URL that the
 * vkp-severity-level-v090 extension fixes as `coding.system` by mistake (a known defect of the
 * VKP profiles, so vendors following the profile send it).
 */
export const severityLevelSystems: readonly string[] = [
  vkpSeverityLevelV090CodeSystem.url,
  vkpSeverityLevelV090ValueSet.url,
];

/** The numeric severity level of a VKP severity code, or `undefined` for an unknown code. */
export function severityLevelOf(code: string): number | undefined {
  return vkpSeverityLevels.has(code) ? Number(code) : undefined;
}

/** Whether a VKP severity code is "Alvorlig" (30) or worse. Unknown codes are not urgent. */
export function isUrgentSeverity(code: string): boolean {
  const level = severityLevelOf(code);
  return level !== undefined && level >= Number(urgentSeverityCode);
}

// ---------------------------------------------------------------------------------------
// Triage

export type TriageCode = CodeOf<typeof vkpTriageV090CodeSystem>;
/** vkp-triage-v090: R red, O orange, Y yellow, G green, B blue, BL black, NR not reported. */
export const vkpTriageCodes = vkpCodeSystem(vkpTriageV090CodeSystem);

/** Triage red and orange travel on the urgent lane (DESIGN.md "Topics"). */
export const urgentTriageCodes = ['R', 'O'] as const satisfies readonly TriageCode[];

export function isUrgentTriage(code: string): boolean {
  return (urgentTriageCodes as readonly string[]).includes(code);
}

// ---------------------------------------------------------------------------------------
// Medication dispensing (MedicationDispense.category)

export type MedicationDispenseEventCode = CodeOf<typeof vkpMedicationdispenseEventsV090CodeSystem>;
export const vkpMedicationDispenseEvents = vkpCodeSystem(vkpMedicationdispenseEventsV090CodeSystem);

// ---------------------------------------------------------------------------------------
// Composition (notes from response centres)

export type CompositionCategoryCode = CodeOf<typeof vkpCompositionCategoryV090CodeSystem>;
export const vkpCompositionCategories = vkpCodeSystem(vkpCompositionCategoryV090CodeSystem);

export type CompositionEventCode = CodeOf<typeof vkpCompositionEventV090CodeSystem>;
export const vkpCompositionEvents = vkpCodeSystem(vkpCompositionEventV090CodeSystem);

export type CompositionSectionCode = CodeOf<typeof vkpCompositionSectionV090CodeSystem>;
export const vkpCompositionSections = vkpCodeSystem(vkpCompositionSectionV090CodeSystem);

// ---------------------------------------------------------------------------------------
// Encounter (digital visits)

export type EncounterClassCode = CodeOf<typeof vkpEncounterClassV090CodeSystem>;
export const vkpEncounterClasses = vkpCodeSystem(vkpEncounterClassV090CodeSystem);

export type EncounterModeCode = CodeOf<typeof vkpEncounterModeV090CodeSystem>;
export const vkpEncounterModes = vkpCodeSystem(vkpEncounterModeV090CodeSystem);

export type EncounterReasonCode = CodeOf<typeof vkpEncounterReasonV090CodeSystem>;
export const vkpEncounterReasons = vkpCodeSystem(vkpEncounterReasonV090CodeSystem);

// ---------------------------------------------------------------------------------------
// Care plans and messages

export type CarePlanCategoryCode = CodeOf<typeof vkpCareplanCategoryV090CodeSystem>;
export const vkpCarePlanCategories = vkpCodeSystem(vkpCareplanCategoryV090CodeSystem);

export type MessageEventCode = CodeOf<typeof vkpMessageEventV090CodeSystem>;
export const vkpMessageEvents = vkpCodeSystem(vkpMessageEventV090CodeSystem);

// ---------------------------------------------------------------------------------------
// Operation outcomes (OperationOutcome.issue.details)

export type VkpOperationOutcomeCode = CodeOf<typeof vkpOperationOutcomeV090CodeSystem>;
export const vkpOperationOutcomes = vkpCodeSystem(vkpOperationOutcomeV090CodeSystem);

/**
 * The operation-outcome codes by the English names the code system gives as their definitions
 * (`InvalidSsn` → `invalidSsn`), for readable call sites.
 */
export const vkpOutcome = {
  forbidden: '1',
  notActive: '1.1',
  notAllowed: '1.2',
  missingActiveService: '1.3',
  noAccess: '1.4',
  notAuthorized: '1.5',
  invalid: '2',
  invalidSsn: '2.1',
  invalidOrg: '2.2',
  invalidParameterCount: '2.3',
  invalidFormat: '2.4',
  other: '3',
  timedOut: '3.1',
} as const satisfies Record<string, VkpOperationOutcomeCode>;

/** DESIGN.md "HTTP contracts": 1.x forbidden, 2.x invalid data, 3.x other. */
export type VkpOperationOutcomeCategory = 'forbidden' | 'invalid' | 'other';

const outcomeCategoryByTopLevel = {
  '1': 'forbidden',
  '2': 'invalid',
  '3': 'other',
} as const satisfies Partial<Record<VkpOperationOutcomeCode, VkpOperationOutcomeCategory>>;

export function vkpOperationOutcomeCategoryOf(
  code: VkpOperationOutcomeCode,
): VkpOperationOutcomeCategory {
  const topLevel = code.split('.')[0];
  if (topLevel === '1' || topLevel === '2' || topLevel === '3') {
    return outcomeCategoryByTopLevel[topLevel];
  }
  // Every code of vkp-operation-outcome-v090 starts with 1, 2 or 3 (checked by the unit tests).
  throw new Error(`VKP operation-outcome code ${code} has no category`);
}
