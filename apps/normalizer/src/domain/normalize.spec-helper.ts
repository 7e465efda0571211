/**
 * Shared by the normalizer's unit tests: a submission of a FHIR resource, the patient-key
 * function of a test deployment, and reading an event's body.
 */
import { createPatientKeyDeriver } from '@knutepunkt/fhir';
import {
  tagWelfareEventBody,
  valueType,
  type AcceptedSubmission,
  type Identifier,
  type WelfareEvent,
  type WelfareEventBodyByKind,
  type WelfareEventKind,
} from '@knutepunkt/schemas';
import { anAcceptedSubmission, testOrgnr } from '@knutepunkt/schemas/testing';
import { normalizeSubmission, type NormalizeContext } from './normalize-submission';
import type { NormalizeError, NormalizeResult } from './normalize-error';

const deriver = createPatientKeyDeriver('test-only patient-key secret, 32+ bytes long');
if (!deriver.ok) {
  throw new Error(deriver.error.message);
}
const derive = deriver.value;

export const testContext: NormalizeContext = {
  patientKey: (orgnr: string, identifier: Identifier) => derive({ orgnr, identifier }),
};

export function submissionOf(
  resource: { readonly resourceType: string },
  overrides: Partial<AcceptedSubmission> = {},
): AcceptedSubmission {
  return anAcceptedSubmission({
    resourceType: resource.resourceType,
    fhirJson: JSON.stringify(resource),
    orgnr: testOrgnr,
    ...overrides,
  });
}

export function normalize(
  resource: { readonly resourceType: string },
  overrides: Partial<AcceptedSubmission> = {},
): NormalizeResult<readonly WelfareEvent[]> {
  return normalizeSubmission(submissionOf(resource, overrides), testContext);
}

/** The events of a submission that must normalize; fails the test with the error otherwise. */
export function eventsOf(
  resource: { readonly resourceType: string },
  overrides: Partial<AcceptedSubmission> = {},
): readonly WelfareEvent[] {
  const result = normalize(resource, overrides);
  if (!result.ok) {
    throw new Error(`Expected events, got ${JSON.stringify(result.error)}`);
  }
  return result.value;
}

/** The one event of a submission. */
export function onlyEventOf(
  resource: { readonly resourceType: string },
  overrides: Partial<AcceptedSubmission> = {},
): WelfareEvent {
  const events = eventsOf(resource, overrides);
  const [event] = events;
  if (events.length !== 1 || event === undefined) {
    throw new Error(`Expected one event, got ${events.length}`);
  }
  return event;
}

/** The error of a submission that must fail. */
export function errorOf(
  resource: { readonly resourceType: string },
  overrides: Partial<AcceptedSubmission> = {},
): NormalizeError {
  const result = normalize(resource, overrides);
  if (result.ok) {
    throw new Error(`Expected an error, got ${result.value.length} event(s)`);
  }
  return result.error;
}

/** The body of `event`, which must be of `kind`. */
export function bodyOf<K extends WelfareEventKind>(
  event: WelfareEvent,
  kind: K,
): WelfareEventBodyByKind[K] {
  const tagged = tagWelfareEventBody(event.body);
  if (tagged.kind !== kind) {
    throw new Error(`Expected a ${kind}, got a ${tagged.kind}`);
  }
  return tagged.value as WelfareEventBodyByKind[K];
}

/** The Avro paths where `event` breaks the WelfareEvent schema (empty when it is valid). */
export function invalidAvroPaths(event: WelfareEvent): string[] {
  const paths: string[] = [];
  valueType('WelfareEvent').isValid(event, {
    errorHook: (path: string[]) => paths.push(path.join('.')),
  });
  return paths;
}

/** A deep copy of a fixture to break on purpose. */
export function copyOf<T>(value: T): T {
  return structuredClone(value);
}
