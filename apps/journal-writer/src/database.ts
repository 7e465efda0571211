import type { DatabaseDefinition } from '@knutepunkt/service';
import { JournalEntryRow, OutboxRow } from './persistence/journal.entities';
import { Journal1764400000000 } from './persistence/migrations/1764400000000-journal';

/** The `journal` schema: journal entries with their read/ack state, and the outbox. */
export const database: DatabaseDefinition = {
  schema: 'journal',
  entities: [JournalEntryRow, OutboxRow],
  migrations: [Journal1764400000000],
};
