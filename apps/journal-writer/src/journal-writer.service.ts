import type { ServiceDefinition } from '@knutepunkt/service';
import { Topics } from '@knutepunkt/schemas';
import { database } from './database';
import { JournalWriterModule } from './journal-writer.module';

/**
 * How journal-writer runs: its port, module, topics and database (DESIGN.md "Services").
 * The municipalities' `knutepunkt.epj.<orgnr>.v1` topics are created and registered per
 * municipality before its first entry (write/epj-topics.ts).
 */
export const journalWriterService: ServiceDefinition = {
  app: 'journal-writer',
  defaultPort: 3002,
  module: JournalWriterModule,
  consumes: [Topics.consented, Topics.consentedUrgent],
  produces: [Topics.status, Topics.audit],
  database,
};
