import type { ServiceDefinition } from '@knutepunkt/service';
import { Topics } from '@knutepunkt/schemas';
import { database } from './database';
import { IngestModule } from './ingest.module';

/** How ingest runs: its port, module, topics and database (DESIGN.md "Services"). */
export const ingestService: ServiceDefinition = {
  app: 'ingest',
  defaultPort: 3000,
  module: IngestModule,
  consumes: [Topics.status],
  produces: [Topics.accepted, Topics.registry, Topics.audit],
  database,
  openApi: {
    title: 'Knutepunkt ingest',
    description:
      'The vendor API (submit welfare-technology events, follow their status), its VKP and JFT aliases, and the admin API for onboarding municipalities and clients. Errors are FHIR OperationOutcomes with a stable code in issue.details.text and the VKP operation-outcome code.',
  },
};
