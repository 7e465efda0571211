import { runService } from '@knutepunkt/service';
import { ingestService } from './ingest.service';

runService(ingestService).catch((error: unknown) => {
  // The logger may not exist yet (invalid configuration): stderr is the last resort.
  console.error(error);
  process.exit(1);
});
