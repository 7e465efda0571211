import { runServiceCommand } from '@knutepunkt/service';
import { consentService } from './consent.service';

runServiceCommand(consentService).catch((error: unknown) => {
  // The logger may not exist yet (invalid configuration): stderr is the last resort.
  console.error(error);
  process.exit(1);
});
