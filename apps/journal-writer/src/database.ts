import type { DatabaseDefinition } from '@knutepunkt/service';

/** The `journal` schema: entities and migrations arrive with the app's features. */
export const database: DatabaseDefinition = {
  schema: 'journal',
  entities: [],
  migrations: [],
};
