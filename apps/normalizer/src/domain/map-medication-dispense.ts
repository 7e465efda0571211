/**
 * MedicationDispense (vkp-MedicationDispense-v090) → MedicationDispensing. Every event code of
 * vkp-medicationdispense-events-v090 maps (dispensed, unassisted, assisted, as-needed, travel,
 * message to the user); a dose that was planned but not dispensed (status `not-done`,
 * `stopped`, `declined` …, which VKP reports on the same resource) keeps its status and
 * reason and has no hand-over time.
 */
import { vkpMedicationDispenseEvents } from '@knutepunkt/fhir';
import type { CodeableConcept } from '@knutepunkt/schemas';
import { readCodeableConcept } from './device';
import type { PlannedEvent } from './event-plan';
import {
  child,
  childObject,
  childObjects,
  codingIn,
  codingsOf,
  firstDateTime,
  optionalDateTime,
  requiredString,
  stringAt,
  toCoding,
  type JsonNode,
} from './fhir-json';
import type { MappedEvent } from './mapped-event';
import { failWith, succeed, type NormalizeResult } from './normalize-error';
import {
  resolveReference,
  type SubmissionContent,
  type SubmittedResource,
} from './submission-content';
import { systems } from './vkp-systems';

/** Statuses under which the medication reached the patient, so `whenHandedOver` is a hand-over. */
const handedOverStatuses: readonly string[] = ['completed', 'in-progress'];

export function mapMedicationDispense(
  planned: PlannedEvent,
  content: SubmissionContent,
): NormalizeResult<MappedEvent> {
  const resource = planned.anchor;
  const node = resource.node;
  const categories = childObjects(node, 'category');
  const event = categories
    .map((category) => codingIn(category, [systems.medicationDispenseEvent]))
    .find((coding) => coding !== undefined);
  if (event === undefined) {
    return failWith(
      categories.some((category) => codingsOf(category).length > 0)
        ? 'NORMALIZE.UNKNOWN_CODE'
        : 'NORMALIZE.MISSING_ELEMENT',
      `${node.path}.category needs a coding in ${systems.medicationDispenseEvent}.`,
      `${node.path}.category`,
    );
  }
  if (!vkpMedicationDispenseEvents.has(event.code)) {
    return failWith(
      'NORMALIZE.UNKNOWN_CODE',
      `Medication dispense event ${event.code} is not in ${systems.medicationDispenseEvent}.`,
      `${event.path}.code`,
    );
  }
  const status = requiredString(node, 'status');
  if (!status.ok) {
    return status;
  }
  const whenHandedOver = optionalDateTime(node, 'whenHandedOver');
  if (!whenHandedOver.ok) {
    return whenHandedOver;
  }
  const dosages = childObjects(node, 'dosageInstruction');
  const timings = dosages.map((dosage) => childObject(dosage, 'timing'));
  const plannedAt = firstDateTime(
    timings.map((timing) => (timing === undefined ? undefined : child(timing, 'event'))),
  );
  if (!plannedAt.ok) {
    return plannedAt;
  }
  const dosageTexts = dosages
    .map((dosage) => stringAt(dosage, 'text'))
    .filter((text) => text !== undefined);
  const handedOver = handedOverStatuses.includes(status.value);
  return succeed({
    body: {
      kind: 'MedicationDispensing',
      value: {
        event: toCoding(event, event.display ?? vkpMedicationDispenseEvents.display(event.code)),
        status: status.value,
        statusReason:
          readCodeableConcept(child(node, 'statusReasonCodeableConcept')) ??
          displayAsConcept(child(node, 'statusReasonReference')),
        medication: medicationOf(content, resource),
        plannedAt: plannedAt.value ?? null,
        handedOverAt: handedOver ? (whenHandedOver.value ?? null) : null,
        dosageText: dosageTexts.length === 0 ? null : dosageTexts.join('\n'),
      },
    },
    occurredAt: whenHandedOver.value ?? plannedAt.value,
    severity: null,
    triage: null,
    classifiers: [toCoding(event)],
  });
}

/** medicationCodeableConcept, or the code of the Medication referenced, or the reference's display. */
function medicationOf(
  content: SubmissionContent,
  resource: SubmittedResource,
): CodeableConcept | null {
  const concept = readCodeableConcept(child(resource.node, 'medicationCodeableConcept'));
  if (concept !== null) {
    return concept;
  }
  const reference = child(resource.node, 'medicationReference');
  if (reference === undefined) {
    return null;
  }
  const target = stringAt(reference, 'reference');
  const resolved = target === undefined ? undefined : resolveReference(content, resource, target);
  const medication = resolved?.kind === 'resource' ? resolved.resource.node : resolved?.node;
  return (
    (medication === undefined ? null : readCodeableConcept(child(medication, 'code'))) ??
    displayAsConcept(reference)
  );
}

function displayAsConcept(reference: JsonNode | undefined): CodeableConcept | null {
  const display = reference === undefined ? undefined : stringAt(reference, 'display');
  return display === undefined ? null : { codings: [], text: display };
}
