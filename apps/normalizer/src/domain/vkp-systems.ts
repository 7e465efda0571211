/**
 * The URLs the normalizer reads by: code systems (from libs/fhir's generated data where VKP
 * has them), VKP extensions, and the standard terminologies of measurements.
 */
import {
  vkpAlertCodes,
  vkpCompositionCategories,
  vkpCompositionEvents,
  vkpCompositionSections,
  vkpEncounterClasses,
  vkpEncounterModes,
  vkpEncounterReasons,
  vkpMedicationDispenseEvents,
  vkpTriageCodes,
} from '@knutepunkt/fhir';

export const systems = {
  alert: vkpAlertCodes.url,
  /**
   * The retired vkp-flag-code-v090 (deleted from the VKP repository with vkp-Flag-v090): the
   * codes older DHO and supervision vendors still send on a Flag. See `retiredFlagCodes`.
   */
  retiredFlagCode: 'http://ehelse.no/fhir/CodeSystem/vkp-flag-code-v090',
  triage: vkpTriageCodes.url,
  medicationDispenseEvent: vkpMedicationDispenseEvents.url,
  compositionCategory: vkpCompositionCategories.url,
  compositionEvent: vkpCompositionEvents.url,
  compositionSection: vkpCompositionSections.url,
  encounterClass: vkpEncounterClasses.url,
  encounterMode: vkpEncounterModes.url,
  /** vkp-digital-Encounter-v090 binds participant.type here; VKP deleted it in 2022. */
  retiredEncounterType: 'http://ehelse.no/fhir/CodeSystem/vkp-encounter-type-v090',
  encounterReason: vkpEncounterReasons.url,
  v3ActCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  ucum: 'http://unitsofmeasure.org',
} as const;

export const extensionUrls = {
  /** vkp-severity-level-v090 (CodeableConcept): on Flag by profile, on DetectedIssue in practice. */
  severityLevel: 'http://ehelse.no/fhir/StructureDefinition/vkp-severity-level-v090',
  /** VkpMedicationDispenseDevice-v090: identifier, displayName, type, typeName, location. */
  medicationDispenseDevice:
    'http://ehelse.no/fhir/StructureDefinition/VkpMedicationDispenseDevice-v090',
  /** vkp-encounterDevice-v090: the same sub-extensions, on Encounter. */
  encounterDevice: 'http://ehelse.no/fhir/StructureDefinition/vkp-encounterDevice-v090',
  /** vkp-deviceReference-v090 (Reference): on a backbone element, e.g. Encounter.participant. */
  deviceReference: 'http://ehelse.no/fhir/StructureDefinition/vkp-deviceReference-v090',
  /** vkp-annotation-v090 (Annotation): a free-text note on an Encounter. */
  annotation: 'http://ehelse.no/fhir/StructureDefinition/vkp-annotation-v090',
  /** vkp-sone-v090 (string, `Kommune|Bydel|Sone|Subsone`): on Location, Patient, …. */
  sone: 'http://ehelse.no/fhir/StructureDefinition/vkp-sone-v090',
  /**
   * vkp-additionalpositiondata on a VKP Location (timestamp, horizontalAccuracy, …). The
   * v090 StructureDefinition still declares the v05 URL, so both are read.
   */
  additionalPositionData: [
    'http://ehelse.no/fhir/StructureDefinition/vkp-additionalpositiondata-v05',
    'http://ehelse.no/fhir/StructureDefinition/vkp-additionalpositiondata-v090',
  ],
} as const;

/** Shared with ingest, which keys a device's records by it (libs/fhir patient-key.ts). */
export { unscopedDeviceIdentifierSystem } from '@knutepunkt/fhir';
