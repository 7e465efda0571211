/**
 * A consented event as a journal entry: the Composition (journal-composition.ts), the
 * `JournalEntry` record for the municipality's EPJ topic, and the patient keys under which the
 * EPJ read API finds it. Pure: the caller gives the time and the patient-key function.
 */
import { createHash } from 'node:crypto';
import type { Composition } from '@medplum/fhirtypes';
import { type CompositionCategoryCode, vkpCompositionCategories } from '@knutepunkt/fhir';
import {
  type Coding,
  type ConsentedEvent,
  type Identifier,
  type JournalEntry,
  welfareEventKind,
} from '@knutepunkt/schemas';
import {
  type AuthorSystem,
  type JournalCompositionErrorCode,
  compositionCategoryOf,
  journalComposition,
} from './journal-composition';
import { narrativeOf } from './narrative';

/** A journal entry ready to be stored and published. */
export interface JournalEntryDraft {
  readonly record: JournalEntry;
  readonly composition: Composition;
  /**
   * Patient keys of every identifier the registration ties together (the decision's patient
   * first): an EPJ may search by the fødselsnummer or by its own running number.
   */
  readonly patientKeys: readonly string[];
  /** The vendor client that submitted the event: later stages' status messages name it. */
  readonly vendorClientId: string;
}

export interface JournalEntryContext {
  /** When the entry is written, epoch milliseconds (createdAt and meta.lastUpdated). */
  readonly now: number;
  /** The deployment's patient-key function for this municipality and identifier. */
  readonly patientKeyOf: (orgnr: string, identifier: Identifier) => string;
}

export type JournalEntryResult =
  | { readonly ok: true; readonly value: JournalEntryDraft }
  | {
      readonly ok: false;
      readonly error: { readonly code: JournalCompositionErrorCode; readonly message: string };
    };

/** The journal writer as the author system of every Composition. */
export const journalWriterAuthor: AuthorSystem = {
  type: 'Device',
  display: 'Knutepunkt journalskriver',
};

/** RFC 4122 namespace of entry ids (a fixed random UUID: the ids are this app's own). */
const entryIdNamespace = Buffer.from('6f1d9b2e4c7a4e0d8b3a5c1f2e9d7a64', 'hex');

/**
 * The entry id of an event: a name-based (version 5) UUID of the event id, so a redelivered
 * event gets the same entry id wherever and however often it is processed.
 */
export function entryIdOf(eventId: string): string {
  const hash = createHash('sha1').update(entryIdNamespace).update(eventId, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function categoryOf(code: CompositionCategoryCode): Coding {
  const coding = vkpCompositionCategories.coding(code);
  return { system: coding.system, code: coding.code, display: coding.display ?? null };
}

/** The journal entry of a consented event. */
export function journalEntryOf(
  consented: ConsentedEvent,
  context: JournalEntryContext,
): JournalEntryResult {
  const { event, consent } = consented;
  const entryId = entryIdOf(event.eventId);
  const built = journalComposition(event, consent, {
    entryId,
    lastUpdated: context.now,
    authorSystem: journalWriterAuthor,
  });
  if (!built.ok) return built;
  const patient = consent.patient;
  const keys = new Set<string>([patient.patientKey]);
  for (const identifier of [patient.identifier, ...consent.registeredIdentifiers]) {
    keys.add(context.patientKeyOf(event.orgnr, identifier));
  }
  const composition = built.value;
  const narrative = narrativeOf(event, { attributedViaDevice: consent.attributedViaDevice });
  const record: JournalEntry = {
    entryId,
    eventId: event.eventId,
    submissionId: event.submissionId,
    orgnr: event.orgnr,
    patient,
    service: event.service,
    kind: welfareEventKind(event.body),
    category: categoryOf(compositionCategoryOf(event)),
    severity: event.severity,
    urgent: event.urgent,
    createdAt: context.now,
    lastUpdated: context.now,
    narrative: narrative.text,
    compositionJson: JSON.stringify(composition),
    originalResources: event.originalResources,
  };
  return {
    ok: true,
    value: { record, composition, patientKeys: [...keys], vendorClientId: event.clientId },
  };
}
