import { describeServiceBoot } from '@knutepunkt/service/testing';
import { normalizerService } from './normalizer.service';

describeServiceBoot(normalizerService);
