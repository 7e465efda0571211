import type { DatabaseDefinition } from '@knutepunkt/service';
import { Submissions1764340000000 } from './persistence/migrations/1764340000000-submissions';
import { PendingSubmissions1764350000000 } from './persistence/migrations/1764350000000-pending-submissions';

/** The `ingest` schema: submissions with their dedupe keys, and the lifecycle stages reported. */
export const database: DatabaseDefinition = {
  schema: 'ingest',
  entities: [],
  migrations: [Submissions1764340000000, PendingSubmissions1764350000000],
};
