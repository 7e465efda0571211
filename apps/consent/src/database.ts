import type { DatabaseDefinition } from '@knutepunkt/service';

/** The `consent` schema: entities and migrations arrive with the app's features. */
export const database: DatabaseDefinition = {
  schema: 'consent',
  entities: [],
  migrations: [],
};
