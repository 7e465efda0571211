import { describeServiceBoot } from '@knutepunkt/service/testing';
import { journalWriterService } from './journal-writer.service';

describeServiceBoot(journalWriterService);
