/**
 * @knutepunkt/fhir — the pure FHIR/VKP domain library: national identity numbers,
 * organisation numbers, the VKP code systems (generated from ../shared/vkp-r4), the patient
 * key, and OperationOutcome bodies. No framework imports; expected failures are values.
 */
export { ok, fail, type Result, type FhirError } from './result';
export * from './identity';
export * from './organisation';
export * from './code-systems';
export {
  createPatientKeyDeriver,
  patientKeyMessage,
  minimumPatientKeySecretBytes,
  subjectKey,
  unscopedDeviceIdentifierSystem,
  type PatientKeyDeriver,
  type SubjectOfRecord,
  type PatientKeyEncoding,
  type PatientKeyInput,
  type PatientKeySecretErrorCode,
} from './patient-key';
export {
  operationOutcome,
  informationalOutcome,
  issueFromError,
  errorAnswer,
  type CodedError,
  type ErrorHttpMapping,
  type HttpAnswer,
  type IssueSeverity,
  type IssueType,
  type OutcomeIssue,
  type OutcomeIssues,
} from './operation-outcome';
export {
  submissionResourceTypes,
  acceptedBundleTypes,
  isSubmissionResourceType,
  type SubmissionResourceType,
  type AcceptedBundleType,
} from './vendor-submissions';
export { repairStructure } from './structure/repair';
export type { Repair, RepairCode } from './structure/repair';
export { validateStructure } from './structure/validate';
export type { StructureErrorCode } from './structure/validate';
export { ensureFhirDefinitions } from './structure/definitions';
export * from './vkp-rules';
