/**
 * Finding the patient (tjenestemottaker) an event is about. VKP's profiles name the patient by a
 * logical identifier in the reference (`subject.identifier`); vendors also reference a Patient
 * entry of the Bundle or a contained Patient. A Location names no patient: it takes the
 * Bundle's one Patient.
 */
import {
  identityNumberKindOf,
  isNationalIdentitySystem,
  nationalIdentitySystems,
  parseIdentityNumber,
} from '@knutepunkt/fhir';
import type { Identifier } from '@knutepunkt/schemas';
import type { EventResourceType } from './event-plan';
import { child, childObjects, readIdentifier, stringAt, type JsonNode } from './fhir-json';
import { failWith, succeed, type NormalizeResult } from './normalize-error';
import {
  resolveReference,
  type SubmissionContent,
  type SubmittedResource,
} from './submission-content';

/** The Reference elements that name the patient, per resource type, in order of preference. */
export const patientReferenceElements: Readonly<Record<EventResourceType, readonly string[]>> = {
  MedicationDispense: ['subject'],
  DetectedIssue: ['patient'],
  Flag: ['subject'],
  Encounter: ['subject'],
  Observation: ['subject'],
  Composition: ['subject'],
  QuestionnaireResponse: ['subject', 'source'],
  Location: [],
};

const patientElementsByType: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries(patientReferenceElements),
);

export interface FoundPatient {
  readonly identifier: Identifier;
  /** The Patient entry of the Bundle the identifier came from, when it came from one. */
  readonly entry: SubmittedResource | undefined;
}

/** National identity systems first (fødselsnummer, D-number, FHN), as VKP prefers them. */
const preferredSystems: readonly string[] = [
  nationalIdentitySystems.fodselsnummer,
  nationalIdentitySystems.dNumber,
  nationalIdentitySystems.fhn,
];

/**
 * The patient of an event built from `resources` (the anchor first, then what was folded into
 * it): the first patient reference among them, else the Bundle's only Patient entry. `null`
 * when nothing names a patient (the event may still name a device).
 */
export function findPatient(
  content: SubmissionContent,
  resources: readonly SubmittedResource[],
): NormalizeResult<FoundPatient | null> {
  for (const resource of resources) {
    for (const element of patientElementsByType.get(resource.resourceType) ?? []) {
      const reference = child(resource.node, element);
      if (
        reference !== undefined &&
        (child(reference, 'identifier') ?? child(reference, 'reference')) !== undefined
      ) {
        return patientOfReference(content, resource, reference);
      }
    }
  }
  const patients = content.resources.filter((resource) => resource.resourceType === 'Patient');
  const [onlyPatient] = patients;
  if (patients.length !== 1 || onlyPatient === undefined) {
    return succeed(null);
  }
  return patientOfResource(onlyPatient.node, onlyPatient);
}

function patientOfReference(
  content: SubmissionContent,
  holder: SubmittedResource,
  reference: JsonNode,
): NormalizeResult<FoundPatient | null> {
  const inline = child(reference, 'identifier');
  const inlineIdentifier = readIdentifier(inline);
  if (inline !== undefined && inlineIdentifier !== undefined) {
    return checked(inlineIdentifier, `${inline.path}.value`, undefined);
  }
  const target = stringAt(reference, 'reference');
  if (target === undefined) {
    return failWith(
      'NORMALIZE.NO_PATIENT',
      `${reference.path}.identifier needs both a system and a value.`,
      `${reference.path}.identifier`,
    );
  }
  const resolved = resolveReference(content, holder, target);
  if (resolved === undefined) {
    return failWith(
      'NORMALIZE.UNRESOLVED_REFERENCE',
      `${reference.path}.reference points at no Patient in the submission, and the reference has no identifier.`,
      `${reference.path}.reference`,
    );
  }
  const resourceType =
    resolved.kind === 'resource' ? resolved.resource.resourceType : resolved.resourceType;
  if (resourceType === 'Device') {
    // An event about a device only (Observation.subject may be a Device): the consent service
    // attributes it through the device loan.
    return succeed(null);
  }
  if (resourceType !== 'Patient') {
    return failWith(
      'NORMALIZE.UNSUPPORTED_CONTENT',
      `${reference.path} points at a ${resourceType}; events are journaled for a Patient.`,
      `${reference.path}.reference`,
    );
  }
  return resolved.kind === 'resource'
    ? patientOfResource(resolved.resource.node, resolved.resource)
    : patientOfResource(resolved.node, undefined);
}

function patientOfResource(
  patient: JsonNode,
  entry: SubmittedResource | undefined,
): NormalizeResult<FoundPatient> {
  const candidates = childObjects(patient, 'identifier')
    .filter((identifier) => stringAt(identifier, 'use') !== 'old')
    .map((node) => ({ node, identifier: readIdentifier(node) }))
    .filter(
      (candidate): candidate is { node: (typeof candidate)['node']; identifier: Identifier } =>
        candidate.identifier !== undefined,
    );
  const preferred =
    preferredSystems
      .map((system) => candidates.find((candidate) => candidate.identifier.system === system))
      .find((candidate) => candidate !== undefined) ?? candidates[0];
  if (preferred === undefined) {
    return failWith(
      'NORMALIZE.NO_PATIENT',
      `The Patient at ${patient.path} has no identifier with both a system and a value.`,
      `${patient.path}.identifier`,
    );
  }
  return checked(preferred.identifier, `${preferred.node.path}.value`, entry);
}

/**
 * A national identity number must be well-formed and of the kind its system carries. Ingest
 * has applied the environment rule (synthetic vs real) already; this guards the patient key
 * against a number that ingest's checks never saw (a Patient entry found only here).
 */
function checked(
  identifier: Identifier,
  expression: string,
  entry: SubmittedResource | undefined,
): NormalizeResult<FoundPatient> {
  if (isNationalIdentitySystem(identifier.system)) {
    const parsed = parseIdentityNumber(identifier.value, expression);
    if (!parsed.ok) {
      return failWith('NORMALIZE.INVALID_PATIENT_IDENTIFIER', parsed.error.message, expression);
    }
    const expected = identityNumberKindOf(identifier.system);
    if (parsed.value.kind !== expected) {
      return failWith(
        'NORMALIZE.INVALID_PATIENT_IDENTIFIER',
        `The patient's number is not the kind of number its system ${identifier.system} carries (${expected}).`,
        expression,
      );
    }
  }
  return succeed({ identifier, entry });
}
