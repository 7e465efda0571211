import type { DatabaseDefinition } from '@knutepunkt/service';

/** The `audit` schema: entities and migrations arrive with the app's features. */
export const database: DatabaseDefinition = {
  schema: 'audit',
  entities: [],
  migrations: [],
};
