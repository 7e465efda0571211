import { describeServiceBoot } from '@knutepunkt/service/testing';
import { ingestService } from './ingest.service';

describeServiceBoot(ingestService);
