import type { ServiceDefinition } from '@knutepunkt/service';
import { Topics } from '@knutepunkt/schemas';
import { database } from './database';
import { JournalWriterModule } from './journal-writer.module';

/** How journal-writer runs: its port, module, topics and database (DESIGN.md "Services"). */
export const journalWriterService: ServiceDefinition = {
  app: 'journal-writer',
  defaultPort: 3002,
  module: JournalWriterModule,
  produces: [Topics.status, Topics.audit],
  database,
};
