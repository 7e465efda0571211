import { runServiceCommand } from '@knutepunkt/service';
import { auditService } from './audit.service';

runServiceCommand(auditService).catch((error: unknown) => {
  // The logger may not exist yet (invalid configuration): stderr is the last resort.
  console.error(error);
  process.exit(1);
});
