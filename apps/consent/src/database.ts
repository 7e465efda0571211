import type { DatabaseDefinition } from '@knutepunkt/service';
import { consentEntities } from './persistence/consent.entities';
import { Consent1764410000000 } from './persistence/migrations/1764410000000-consent';

/**
 * The `consent` schema: registrations, consents, policies, state versions, the outbox of
 * `knutepunkt.consent.changes.v1` and audit records, held events and decided event ids.
 */
export const database: DatabaseDefinition = {
  schema: 'consent',
  entities: consentEntities,
  migrations: [Consent1764410000000],
};
