import type { ServiceDefinition } from '@knutepunkt/service';
import { Topics } from '@knutepunkt/schemas';
import { database } from './database';
import { ConsentModule } from './consent.module';

/** How consent runs: its port, module, topics and database (DESIGN.md "Services"). */
export const consentService: ServiceDefinition = {
  app: 'consent',
  defaultPort: 3001,
  module: ConsentModule,
  consumes: [Topics.normalized, Topics.normalizedUrgent],
  produces: [
    Topics.consented,
    Topics.consentedUrgent,
    Topics.consentChanges,
    Topics.status,
    Topics.audit,
  ],
  database,
};
