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
export {
  type JournalEntryContext,
  type JournalEntryDraft,
  type JournalEntryResult,
  entryIdOf,
  journalEntryOf,
  journalWriterAuthor,
} from './journal-entry';
export {
  type EntrySearch,
  type EntryStatus,
  type EpjApi,
  type PatientKeyOf,
  type SearchFilters,
  type SearchInput,
  type SortOrder,
  decodeCursor,
  defaultCount,
  encodeCursor,
  entryStatuses,
  journalStatusSystem,
  maxCount,
  parseEntrySearch,
} from './entry-search';
export { type EpjError, type EpjErrorCode, type EpjResult, epjFail } from './epj-error';
export { epjErrorAnswer } from './epj-error.http';
export { type FoundEntry, type SearchPage, compositionUrl, searchBundle } from './search-bundle';
export { type JftRequest, jftReadTypes, jftRequest } from './jft-read';
export { formMediaType, jsonMediaTypes, mediaTypeOf, searchParametersOf } from './search-body';
