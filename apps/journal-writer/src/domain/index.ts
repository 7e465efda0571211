/** The journal writer's pure domain: the journal entry's narrative and Composition. */
export {
  type Narrative,
  type NarrativeOptions,
  narrativeOf,
  redactIdentityNumbers,
  serviceNames,
} from './narrative';
export {
  type AuthorSystem,
  type JournalCompositionErrorCode,
  type JournalCompositionResult,
  type JournalEntryMeta,
  compositionCategoryOf,
  journalComposition,
  originalResourceReference,
} from './journal-composition';
export { escapeXml, narrativeDiv } from './xhtml';
export { norwayTimeZone, osloDateAndTime, osloTimeRelativeTo } from './oslo-time';
