import type { ServiceDefinition } from '@knutepunkt/service';
import { database } from './database';
import { AuditModule } from './audit.module';

/** How audit runs: its port, module, topics and database (DESIGN.md "Services"). */
export const auditService: ServiceDefinition = {
  app: 'audit',
  defaultPort: 3003,
  module: AuditModule,
  produces: [],
  database,
};
