import type { DatabaseDefinition } from '@knutepunkt/service';
import { JournalEntryRow, OutboxRow } from './persistence/journal.entities';
import { Journal1764400000000 } from './persistence/migrations/1764400000000-journal';
import { EntriesLastUpdatedSeq1764500000000 } from './persistence/migrations/1764500000000-entries-last-updated-seq';
import { OutboxUrgent1764600000000 } from './persistence/migrations/1764600000000-outbox-urgent';

/** The `journal` schema: journal entries with their read/ack state, and the outbox. */
export const database: DatabaseDefinition = {
  schema: 'journal',
  entities: [JournalEntryRow, OutboxRow],
  migrations: [Journal1764400000000, EntriesLastUpdatedSeq1764500000000, OutboxUrgent1764600000000],
};
