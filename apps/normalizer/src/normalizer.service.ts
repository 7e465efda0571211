import type { ServiceDefinition } from '@knutepunkt/service';
import { Topics } from '@knutepunkt/schemas';
import { NormalizerModule } from './normalizer.module';

/** How normalizer runs: its port, module, topics and database (DESIGN.md "Services"). */
export const normalizerService: ServiceDefinition = {
  app: 'normalizer',
  defaultPort: 3004,
  module: NormalizerModule,
  consumes: [Topics.accepted],
  produces: [Topics.normalized, Topics.normalizedUrgent, Topics.status, Topics.audit],
};
