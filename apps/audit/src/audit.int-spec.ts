import { describeServiceBoot } from '@knutepunkt/service/testing';
import { auditService } from './audit.service';

describeServiceBoot(auditService);
