import type { ServiceDefinition } from '@knutepunkt/service';
import { Topics } from '@knutepunkt/schemas';
import { database } from './database';
import { AuditModule } from './audit.module';

/** How audit runs: its port, module, topics and database (DESIGN.md "Services"). */
export const auditService: ServiceDefinition = {
  app: 'audit',
  defaultPort: 3003,
  module: AuditModule,
  consumes: [Topics.audit, Topics.accepted, Topics.status, Topics.consentChanges, Topics.registry],
  // Its own API's uses are audited like everyone's: as AuditRecords on the audit topic.
  produces: [Topics.audit],
  database,
};
