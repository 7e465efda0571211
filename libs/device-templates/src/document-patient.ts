import type { DeviceTemplate, ValueSpec } from './template-file';
import { pathOf, TemplateReader, type Identified } from './template-reader';

/**
 * The one patient a vendor document names, as the template reads it — what ingest keys the
 * record by on `knutepunkt.accepted.v1`, so one patient's documents stay in one partition and
 * in order from the first topic on. `undefined` when the template names no patient, names one
 * per item (`@` paths under `each`), or the document does not give a readable one: then the
 * record is keyed by its submission id and the normalizer reports what is wrong.
 */
export function documentPatient(
  template: DeviceTemplate,
  document: unknown,
): Identified | undefined {
  const patient = template.file.patient;
  if (patient === undefined || !documentRooted(patient.system) || !documentRooted(patient.value))
    return undefined;
  const reader = new TemplateReader(template, document, () => undefined);
  const read = reader.identifier(patient, { document });
  return read.ok ? read.value : undefined;
}

/**
 * The one device a vendor document names (its template's `device.identifier`, read from the
 * document root), with `fallbackSystem` for a bare serial — what ingest keys a record by when
 * the document names no patient (docs/adr/0015).
 */
export function documentDevice(
  template: DeviceTemplate,
  document: unknown,
  fallbackSystem: string,
): Identified | undefined {
  const identifier = template.file.device?.identifier;
  if (
    identifier === undefined ||
    !documentRooted(identifier.system) ||
    !documentRooted(identifier.value)
  )
    return undefined;
  const reader = new TemplateReader(template, document, () => undefined);
  const read = reader.identifier(identifier, { document }, fallbackSystem);
  return read.ok ? read.value : undefined;
}

function documentRooted(spec: ValueSpec): boolean {
  return !pathOf(spec).startsWith('@');
}
