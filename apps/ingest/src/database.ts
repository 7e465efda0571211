import type { DatabaseDefinition } from '@knutepunkt/service';
import { Submissions1764340000000 } from './persistence/migrations/1764340000000-submissions';
import { PendingSubmissions1764350000000 } from './persistence/migrations/1764350000000-pending-submissions';
import { RegisterEntries1764360000000 } from './persistence/migrations/1764360000000-register-entries';

/**
 * The `ingest` schema: submissions with their dedupe keys, the lifecycle stages reported, and
 * the authorization register the admin API keeps.
 */
export const database: DatabaseDefinition = {
  schema: 'ingest',
  entities: [],
  migrations: [
    Submissions1764340000000,
    PendingSubmissions1764350000000,
    RegisterEntries1764360000000,
  ],
};
