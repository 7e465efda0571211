/**
 * The normalizer's domain: an accepted VKP FHIR submission → its canonical WelfareEvents
 * (DESIGN.md "Canonical event"). Pure: no I/O, no clock, no randomness — the same submission
 * always gives the same events with the same ids, so reprocessing is safe.
 *
 * A submission normalizes whole or not at all: the first resource that cannot be mapped fails
 * it, with the FHIRPath of the element and a VKP operation-outcome code, because a submission's
 * status is one `normalized` or one `failed`.
 */
import {
  welfareEventBody,
  type AcceptedSubmission,
  type Identifier,
  type OriginalResource,
  type TaggedWelfareEventBody,
  type WelfareEvent,
  type WelfareEventBody,
} from '@knutepunkt/schemas';
import { findDevice } from './device';
import { eventIdOf } from './event-id';
import { planEvents, type PlannedEvent } from './event-plan';
import { mapAlert } from './map-alert';
import { mapDigitalVisit } from './map-digital-visit';
import { mapLocation } from './map-location';
import { mapMeasurement } from './map-measurement';
import { mapMedicationDispense } from './map-medication-dispense';
import { mapNote } from './map-note';
import { mapQuestionnaireAnswer } from './map-questionnaire-answer';
import type { MappedEvent } from './mapped-event';
import { failWith, mapAll, succeed, type NormalizeResult } from './normalize-error';
import { findPatient, patientReferenceElements } from './patient';
import { serviceRuleFor } from './service-rules';
import {
  readSubmission,
  type SubmissionContent,
  type SubmittedResource,
} from './submission-content';
import { urgencyOf } from './urgency-rules';

export interface NormalizeContext {
  /**
   * The patient key of an identifier in a municipality (DESIGN.md "Topics": an HMAC with the
   * deployment secret), e.g. from libs/fhir's `createPatientKeyDeriver`.
   */
  readonly patientKey: (orgnr: string, identifier: Identifier) => string;
}

export function normalizeSubmission(
  submission: AcceptedSubmission,
  context: NormalizeContext,
): NormalizeResult<readonly WelfareEvent[]> {
  const content = readSubmission(submission.fhirJson, submission.resourceType);
  if (!content.ok) {
    return content;
  }
  const plan = planEvents(content.value);
  if (!plan.ok) {
    return plan;
  }
  const keys = resourceKeys(content.value);
  return mapAll(plan.value, (planned) =>
    buildEvent(submission, context, content.value, planned, keys.get(planned.anchor) ?? 'resource'),
  );
}

function mapResource(
  planned: PlannedEvent,
  content: SubmissionContent,
): NormalizeResult<MappedEvent> {
  switch (planned.anchor.resourceType) {
    case 'MedicationDispense':
      return mapMedicationDispense(planned, content);
    case 'DetectedIssue':
    case 'Flag':
      return mapAlert(planned);
    case 'Encounter':
      return mapDigitalVisit(planned);
    case 'Observation':
      return mapMeasurement(planned);
    case 'Composition':
      return mapNote(planned);
    case 'QuestionnaireResponse':
      return mapQuestionnaireAnswer(planned);
    case 'Location':
      return mapLocation(planned);
  }
}

function buildEvent(
  submission: AcceptedSubmission,
  context: NormalizeContext,
  content: SubmissionContent,
  planned: PlannedEvent,
  resourceKey: string,
): NormalizeResult<WelfareEvent> {
  const mapped = mapResource(planned, content);
  if (!mapped.ok) {
    return mapped;
  }
  const { body, classifiers, severity, triage, occurredAt } = mapped.value;
  const related = [planned.anchor, ...planned.folded];
  const patient = findPatient(content, related);
  if (!patient.ok) {
    return patient;
  }
  const device = findDevice(content, related);
  if (patient.value === null && (device?.device.identifier ?? null) === null) {
    const [element] = patientReferenceElements[planned.anchor.resourceType];
    const expression =
      element === undefined ? planned.anchor.node.path : `${planned.anchor.node.path}.${element}`;
    return failWith(
      'NORMALIZE.NO_PATIENT',
      'The event names neither a patient identifier nor a device identifier to attribute it by.',
      expression,
    );
  }
  const rule = serviceRuleFor(body.kind, classifiers);
  if (rule === undefined) {
    return failWith(
      'NORMALIZE.UNSUPPORTED_CONTENT',
      `No rule says which service a ${body.kind} with ${classifiers.map((coding) => `${coding.system}|${coding.code}`).join(', ') || 'no codes'} belongs to.`,
      planned.anchor.node.path,
    );
  }
  const urgent = urgencyOf({ kind: body.kind, classifiers, severity, triage }) !== null;
  const originals = [planned.anchor, ...planned.folded, patient.value?.entry, device?.entry];
  return succeed({
    eventId: eventIdOf(submission.submissionId, resourceKey),
    submissionId: submission.submissionId,
    occurredAt: occurredAt ?? submission.receivedAt,
    receivedAt: submission.receivedAt,
    orgnr: submission.orgnr,
    service: rule.service,
    patient:
      patient.value === null
        ? null
        : {
            identifier: patient.value.identifier,
            patientKey: context.patientKey(submission.orgnr, patient.value.identifier),
          },
    device: device?.device ?? null,
    severity,
    triage,
    urgent,
    body: wrapBody(body),
    originalResources: originalResources(originals, submission.fhirJson),
    sourceSystem: submission.sourceSystem,
    clientId: submission.clientId,
  });
}

/**
 * The resources an event was built from, in Bundle entry order, each once. A resource
 * submitted on its own travels as the very text received; a Bundle entry's resource is written
 * back to JSON from what was parsed.
 */
function originalResources(
  resources: readonly (SubmittedResource | undefined)[],
  fhirJson: string,
): readonly OriginalResource[] {
  const unique = [...new Set(resources.filter((resource) => resource !== undefined))];
  unique.sort((a, b) => (a.entryIndex ?? -1) - (b.entryIndex ?? -1));
  return unique.map((resource) => ({
    resourceType: resource.resourceType,
    id: resource.id ?? null,
    fullUrl: resource.fullUrl ?? null,
    json: resource.entryIndex === undefined ? fhirJson : JSON.stringify(resource.node.value),
  }));
}

/**
 * How each resource is named in its event id: the Bundle entry's `fullUrl` when it is unique in
 * the Bundle, else its position (`entry[3]`); `resource` for a resource submitted on its own.
 */
function resourceKeys(content: SubmissionContent): ReadonlyMap<SubmittedResource, string> {
  const fullUrlCounts = new Map<string, number>();
  for (const resource of content.resources) {
    if (resource.fullUrl !== undefined) {
      fullUrlCounts.set(resource.fullUrl, (fullUrlCounts.get(resource.fullUrl) ?? 0) + 1);
    }
  }
  return new Map(
    content.resources.map((resource) => {
      if (resource.entryIndex === undefined) {
        return [resource, 'resource'];
      }
      const fullUrl = resource.fullUrl;
      return [
        resource,
        fullUrl !== undefined && fullUrlCounts.get(fullUrl) === 1
          ? fullUrl
          : `entry[${resource.entryIndex}]`,
      ];
    }),
  );
}

/** The tagged body as the Avro union carries it. */
export function wrapBody(body: TaggedWelfareEventBody): WelfareEventBody {
  switch (body.kind) {
    case 'MedicationDispensing':
      return welfareEventBody('MedicationDispensing', body.value);
    case 'Alert':
      return welfareEventBody('Alert', body.value);
    case 'DigitalVisit':
      return welfareEventBody('DigitalVisit', body.value);
    case 'Measurement':
      return welfareEventBody('Measurement', body.value);
    case 'Location':
      return welfareEventBody('Location', body.value);
    case 'Note':
      return welfareEventBody('Note', body.value);
    case 'QuestionnaireAnswer':
      return welfareEventBody('QuestionnaireAnswer', body.value);
  }
}
