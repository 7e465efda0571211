/**
 * Which resources of a submission become events, and which are folded into another's event.
 *
 * - A message Bundle: one event per `MessageHeader.focus`, in focus order (when the header
 *   names no focus, every event resource in entry order, as for the other Bundle types).
 * - Other Bundles: one event per event resource (below), in entry order.
 * - An alarm (DetectedIssue or Flag) absorbs the Encounter and Composition that travel with it
 *   (VKP's alarm pattern: DetectedIssue + Encounter + Composition is ONE alarm): those linked to
 *   it by a reference in either direction, or — when the Bundle holds exactly one alarm — all
 *   that are not linked to another event. Likewise a digital visit absorbs its Composition
 *   (VKP's supervision pattern: Encounter + Composition).
 * - Patient, Device, Practitioner, Organization and MessageHeader entries never become events;
 *   they are read when an event references them. So is a Location another event points at
 *   (Encounter.location); a Location of its own, with a position, is a GPS position.
 */
import { child, childObjects } from './fhir-json';
import { failWith, succeed, type NormalizeResult } from './normalize-error';
import {
  messageHeaderOf,
  referencedResources,
  referenceOf,
  resolveReference,
  type SubmissionContent,
  type SubmittedResource,
} from './submission-content';

/** Resource types that carry an event of their own. */
export const eventResourceTypes = [
  'MedicationDispense',
  'DetectedIssue',
  'Flag',
  'Encounter',
  'Observation',
  'Composition',
  'QuestionnaireResponse',
  'Location',
] as const;
export type EventResourceType = (typeof eventResourceTypes)[number];

const alarmTypes: readonly string[] = ['DetectedIssue', 'Flag'];
/** Resources that fold into an alarm or a visit when they travel with one. */
const foldableTypes: readonly string[] = ['Encounter', 'Composition'];

export type EventResource = SubmittedResource & { readonly resourceType: EventResourceType };

export interface PlannedEvent {
  /** The resource the event is about; its type decides the kind. */
  readonly anchor: EventResource;
  /** Encounters and Compositions folded into this event, in entry order. */
  readonly folded: readonly SubmittedResource[];
}

function isEventResource(resource: SubmittedResource): resource is EventResource {
  return (eventResourceTypes as readonly string[]).includes(resource.resourceType);
}

export function planEvents(content: SubmissionContent): NormalizeResult<readonly PlannedEvent[]> {
  const focus = focusOf(content);
  if (!focus.ok) {
    return focus;
  }
  const candidates = focus.value ?? content.resources.filter(isEventResource);

  const links = new Map<SubmittedResource, ReadonlySet<SubmittedResource>>();
  for (const resource of content.resources) {
    links.set(resource, new Set(referencedResources(content, resource)));
  }
  const linked = (a: SubmittedResource, b: SubmittedResource): boolean =>
    (links.get(a)?.has(b) ?? false) || (links.get(b)?.has(a) ?? false);

  // A Location that an event points at describes where that event happened; only a
  // Location of its own (with a position) is a GPS position event.
  const referencedLocations = new Set(
    content.resources
      .filter((resource) => resource.resourceType !== 'Location' && isEventResource(resource))
      .flatMap((resource) => [...(links.get(resource) ?? [])])
      .filter((resource) => resource.resourceType === 'Location'),
  );
  const anchors = candidates.filter(
    (resource) =>
      resource.resourceType !== 'Location' ||
      // A message's focus is an event whatever it holds (a focus Location without a position
      // fails in its mapper); elsewhere only a Location of its own with a position is one.
      focus.value !== undefined ||
      (!referencedLocations.has(resource) && hasPosition(resource)),
  );

  const alarms = anchors.filter((resource) => alarmTypes.includes(resource.resourceType));
  const foldedInto = new Map<SubmittedResource, SubmittedResource>();
  const foldTarget = (resource: SubmittedResource, targets: readonly SubmittedResource[]) =>
    targets.find((target) => linked(resource, target));
  // Linked to a dispense, measurement, answer or position: the note is about that, not about
  // the Bundle's one alarm or visit.
  const linkedToOtherEvent = (resource: SubmittedResource) =>
    anchors.some(
      (other) =>
        !foldableTypes.includes(other.resourceType) &&
        !alarmTypes.includes(other.resourceType) &&
        linked(resource, other),
    );

  // Encounters first: whether an Encounter is an alarm's or a visit of its own decides where
  // a Composition goes.
  const encounters = content.resources.filter((resource) => resource.resourceType === 'Encounter');
  for (const encounter of encounters) {
    const target =
      foldTarget(encounter, alarms) ??
      (alarms.length === 1 && !linkedToOtherEvent(encounter) ? alarms[0] : undefined);
    if (target !== undefined) {
      foldedInto.set(encounter, target);
    }
  }
  const visits = anchors.filter(
    (resource) => resource.resourceType === 'Encounter' && !foldedInto.has(resource),
  );
  const compositions = content.resources.filter(
    (resource) => resource.resourceType === 'Composition',
  );
  for (const composition of compositions) {
    const unlinked = !linkedToOtherEvent(composition);
    const target =
      foldTarget(composition, alarms) ??
      foldTarget(composition, visits) ??
      (unlinked && alarms.length === 1 ? alarms[0] : undefined) ??
      (unlinked && alarms.length === 0 && visits.length === 1 ? visits[0] : undefined);
    if (target !== undefined) {
      foldedInto.set(composition, target);
    }
  }

  const planned: PlannedEvent[] = anchors
    .filter((anchor) => !foldedInto.has(anchor))
    .map((anchor) => ({
      anchor,
      folded: content.resources.filter((resource) => foldedInto.get(resource) === anchor),
    }));
  if (planned.length === 0) {
    return failWith(
      'NORMALIZE.NO_EVENTS',
      `The ${content.root.path} holds no resource that becomes an event (${eventResourceTypes.join(', ')}).`,
      content.root.path,
    );
  }
  return succeed(planned);
}

/**
 * The event resources a message Bundle's MessageHeader names as its focus, in focus order;
 * undefined when the submission is not a message or the header names no focus.
 */
function focusOf(
  content: SubmissionContent,
): NormalizeResult<readonly EventResource[] | undefined> {
  const header = messageHeaderOf(content);
  if (header === undefined) {
    return succeed(undefined);
  }
  const focus: EventResource[] = [];
  const references = childObjects(header.node, 'focus');
  for (const reference of references) {
    const target = referenceOf(reference);
    if (target === undefined) {
      continue;
    }
    const resolved = resolveReference(content, header, target);
    if (resolved?.kind !== 'resource') {
      return failWith(
        'NORMALIZE.UNRESOLVED_REFERENCE',
        `${reference.path} points at no entry of the Bundle.`,
        `${reference.path}.reference`,
      );
    }
    // A focus on a supporting resource (a Patient) carries no event of its own.
    if (isEventResource(resolved.resource) && !focus.includes(resolved.resource)) {
      focus.push(resolved.resource);
    }
  }
  return succeed(focus.length === 0 ? undefined : focus);
}

function hasPosition(resource: SubmittedResource): boolean {
  return child(resource.node, 'position') !== undefined;
}
