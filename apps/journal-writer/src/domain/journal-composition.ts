/**
 * The journal entry as a FHIR R4 Composition (VKP vkp-Composition-v090): the narrative as its
 * text, the patient's identifier as its subject, the VKP composition category, and references to
 * the original resources in one section. Pure: the caller gives the entry id and the time.
 */
import type { Composition, Reference } from '@medplum/fhirtypes';
import {
  type CompositionCategoryCode,
  vkpCompositionCategories,
  vkpCompositionEvents,
} from '@knutepunkt/fhir';
import {
  type ConsentDecision,
  type Coding,
  type OriginalResource,
  type Patient,
  type WelfareEvent,
  tagWelfareEventBody,
} from '@knutepunkt/schemas';
import { narrativeOf, redactIdentityNumbers } from './narrative';

/** The system that writes the entry, shown as the Composition's author. */
export interface AuthorSystem {
  readonly type: 'Device' | 'Organization';
  readonly display: string;
}

export interface JournalEntryMeta {
  /** The Composition's id (JournalEntry.entryId). */
  readonly entryId: string;
  /** meta.lastUpdated, epoch milliseconds. */
  readonly lastUpdated: number;
  readonly authorSystem: AuthorSystem;
}

export type JournalCompositionErrorCode = 'JOURNAL.NO_PATIENT';

export type JournalCompositionResult =
  | { readonly ok: true; readonly value: Composition }
  | {
      readonly ok: false;
      readonly error: { readonly code: JournalCompositionErrorCode; readonly message: string };
    };

/** LOINC "Progress note": FHIR requires a type; VKP's profile leaves it open. */
const progressNoteType = {
  coding: [{ system: 'http://loinc.org', code: '11506-3', display: 'Progress note' }],
  text: 'Velferdsteknologisk hendelse',
};

/**
 * The VKP composition category of an event: digital home follow-up (2) for the DHO service,
 * trygghet og mestring (1) for the others; a note keeps the category its sender gave when VKP
 * defines it.
 */
export function compositionCategoryOf(event: WelfareEvent): CompositionCategoryCode {
  const body = tagWelfareEventBody(event.body);
  if (
    body.kind === 'Note' &&
    body.value.category.system === vkpCompositionCategories.url &&
    vkpCompositionCategories.has(body.value.category.code)
  ) {
    return body.value.category.code;
  }
  return event.service === 'DHO' ? '2' : '1';
}

/** The response centre's handling code (alerts and notes), as Composition.event. */
function handlingEventCode(event: WelfareEvent): Coding | null {
  const body = tagWelfareEventBody(event.body);
  if (body.kind === 'Alert' || body.kind === 'Note') {
    return body.value.eventCode;
  }
  return null;
}

function fhirCoding(coding: Coding): { system: string; code: string; display?: string } {
  const display =
    coding.system === vkpCompositionEvents.url
      ? vkpCompositionEvents.lookup(coding.code)?.display
      : undefined;
  const shown = display ?? coding.display;
  return shown === null
    ? { system: coding.system, code: coding.code }
    : { system: coding.system, code: coding.code, display: shown };
}

/**
 * A reference to an original resource: its Bundle `fullUrl` (`urn:uuid:…`) when it had one, else
 * `Type/id`, else only its type. References, not contained copies: the originals travel beside
 * the Composition (JournalEntry.originalResources), and a contained Patient would put the national
 * identity number in a second place. The resource type goes in `display`: Reference.type is typed
 * to FHIR's core types and a `urn:uuid` reference does not name its type.
 */
export function originalResourceReference(resource: OriginalResource): Reference {
  const reference =
    resource.fullUrl ?? (resource.id === null ? null : `${resource.resourceType}/${resource.id}`);
  if (reference === null) {
    return { display: `${resource.resourceType} uten id` };
  }
  // A vendor may use a national identity number as a Patient's id: never repeat it here.
  const safe = redactIdentityNumbers(reference);
  return safe === reference
    ? { reference, display: resource.resourceType }
    : { display: `${resource.resourceType} (id fjernet)` };
}

/** The journal entry of a consented event. `decision.patient` wins over the event's patient. */
export function journalComposition(
  event: WelfareEvent,
  decision: ConsentDecision | undefined,
  meta: JournalEntryMeta,
): JournalCompositionResult {
  const patient: Patient | null = decision?.patient ?? event.patient;
  if (patient === null) {
    return {
      ok: false,
      error: {
        code: 'JOURNAL.NO_PATIENT',
        message: 'The event names no patient and no consent decision attributes it to one',
      },
    };
  }
  const narrative = narrativeOf(event, {
    attributedViaDevice: decision?.attributedViaDevice ?? false,
  });
  const eventCode = handlingEventCode(event);
  const composition: Composition = {
    resourceType: 'Composition',
    id: meta.entryId,
    meta: { lastUpdated: new Date(meta.lastUpdated).toISOString() },
    text: { status: 'generated', div: narrative.xhtml },
    status: 'final',
    type: progressNoteType,
    category: [{ coding: [vkpCompositionCategories.coding(compositionCategoryOf(event))] }],
    subject: {
      type: 'Patient',
      identifier: { system: patient.identifier.system, value: patient.identifier.value },
    },
    date: new Date(event.occurredAt).toISOString(),
    author: [{ type: meta.authorSystem.type, display: meta.authorSystem.display }],
    title: narrative.title,
    ...(eventCode === null ? {} : { event: [{ code: [{ coding: [fhirCoding(eventCode)] }] }] }),
    section: [
      {
        title: 'Opprinnelige ressurser',
        entry: event.originalResources.map(originalResourceReference),
      },
    ],
  };
  return { ok: true, value: composition };
}
