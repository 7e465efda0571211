import { runServiceCommand } from '@knutepunkt/service';
import { journalWriterService } from './journal-writer.service';

runServiceCommand(journalWriterService).catch((error: unknown) => {
  // The logger may not exist yet (invalid configuration): stderr is the last resort.
  console.error(error);
  process.exit(1);
});
