export {
  deviceEnvelope,
  deviceTemplateTagSystem,
  mayBeDeviceEnvelope,
  openDeviceEnvelope,
  type DeviceEnvelope,
  type OpenedEnvelope,
} from './device-envelope';
export { documentDevice, documentPatient } from './document-patient';
export { parseJsonPath, select, type JsonPath, type PathScope, type Selected } from './json-path';
export {
  deviceTemplateSchema,
  parseDeviceTemplate,
  templateRef,
  type DeviceTemplate,
  type DeviceTemplateFile,
  type EventSpec,
  type QuantitySpec,
  type TemplateLoad,
  type TimeSpec,
  type ValueSpec,
} from './template-file';
export { deviceTemplatesDirectory, loadDeviceTemplateFiles } from './template-files';
export {
  pathOf,
  TemplateReader,
  type Identified,
  type Item,
  type ProblemReporter,
  type ReadResult,
  type Scalar,
  type TemplateReadProblem,
} from './template-reader';
