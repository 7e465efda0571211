import type { DatabaseDefinition } from '@knutepunkt/service';

/** The `ingest` schema: entities and migrations arrive with the app's features. */
export const database: DatabaseDefinition = {
  schema: 'ingest',
  entities: [],
  migrations: [],
};
