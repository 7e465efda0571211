import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SERVICE_RUNTIME, type ServiceRuntime } from '@knutepunkt/service';
import { AuditMetrics } from '../audit-metrics';
import type { AuditEnv } from '../audit-env';
import type { AuditLog } from '../persistence/audit-log.store';
import { AUDIT_LOG, AUDIT_METRICS, AUDIT_SETTINGS } from '../tokens';

/**
 * Recomputes the whole chain every AUDIT_VERIFY_INTERVAL_MS and sets
 * `knutepunkt_audit_chain_valid`, so `KnutepunktAuditChainBroken` fires without anyone asking;
 * a broken chain is also logged as an error with the first broken row.
 */
@Injectable()
export class VerifyTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    @Inject(AUDIT_LOG) private readonly log: AuditLog,
    @Inject(AUDIT_METRICS) private readonly metrics: AuditMetrics,
    @Inject(AUDIT_SETTINGS) private readonly settings: AuditEnv,
    @Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.tick());
    }, this.settings.AUDIT_VERIFY_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
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
