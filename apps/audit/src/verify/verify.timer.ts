import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Periodic, SERVICE_RUNTIME, type ServiceRuntime } from '@knutepunkt/service';
import { AuditMetrics } from '../audit-metrics';
import type { AuditEnv } from '../audit-env';
import type { AuditLog } from '../persistence/audit-log.store';
import { AUDIT_LOG, AUDIT_METRICS, AUDIT_SETTINGS } from '../tokens';

/**
 * Recomputes the whole chain at start and then every AUDIT_VERIFY_INTERVAL_MS and sets
 * `knutepunkt_audit_chain_valid`, so `KnutepunktAuditChainBroken` fires without anyone asking;
 * a broken chain is also logged as an error with the first broken row.
 */
@Injectable()
export class VerifyTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly periodic: Periodic;

  constructor(
    @Inject(AUDIT_LOG) private readonly log: AuditLog,
    @Inject(AUDIT_METRICS) private readonly metrics: AuditMetrics,
    @Inject(AUDIT_SETTINGS) settings: AuditEnv,
    @Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime,
  ) {
    this.periodic = new Periodic(() => this.tick(), settings.AUDIT_VERIFY_INTERVAL_MS);
  }

  onApplicationBootstrap(): void {
    // At once, in the background: after a restart the chain's state is known (and exported)
    // within a verification's time, not an interval later.
    this.periodic.start(() => this.tick());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.periodic.stop();
  }

  /** One verification now (also what the timer does). */
  async tick(): Promise<void> {
    try {
      const report = await this.log.verify();
      this.metrics.verified(report);
      if (!report.valid)
        this.runtime.logger.error(
          { firstBrokenAt: report.firstBrokenAt, problem: report.problem },
          'audit chain broken',
        );
    } catch (error) {
      this.runtime.logger.warn(
        { err: error },
        'audit chain verification failed; retried next interval',
      );
    }
  }
}
