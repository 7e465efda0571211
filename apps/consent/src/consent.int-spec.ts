import { describeServiceBoot } from '@knutepunkt/service/testing';
import { consentService } from './consent.service';

describeServiceBoot(consentService);
