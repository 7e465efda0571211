/**
 * The normalizer's pure domain: VKP FHIR submissions → canonical WelfareEvents
 * (docs/normalizer-mapping.md). No framework imports; failures are values.
 */
export { normalizeSubmission, type NormalizeContext } from './normalize-submission';
export { normalizeAccepted, type NormalizeAcceptedContext } from './normalize-accepted';
export { loadDeviceTemplate } from './templates/device-template';
export { readDeviceEnvelope } from './templates/device-envelope';
export {
  normalizeDeviceSubmission,
  type DeviceTemplateContext,
} from './templates/map-device-reading';
export {
  normalizeError,
  normalizeErrorCodes,
  type NormalizeError,
  type NormalizeErrorCode,
  type NormalizeResult,
} from './normalize-error';
export { eventIdNamespace, eventIdOf, uuidV5 } from './event-id';
export { serviceRules, serviceRuleFor, type ServiceRule } from './service-rules';
export { urgentAlertCodes, urgencyOf, type UrgencyFacts } from './urgency-rules';
export {
  panelRules,
  quantityRules,
  ucumCodeBySpelling,
  type PanelRule,
  type QuantityRule,
  type UnitConversion,
} from './measurement-rules';
export { retiredFlagCodes, triageColourWords } from './map-alert';
export { unscopedDeviceIdentifierSystem } from './vkp-systems';
