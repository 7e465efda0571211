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
 * Signs a checkpoint of the chain head every AUDIT_CHECKPOINT_INTERVAL_MS (when it moved),
 * and logs it: the log line is a copy outside the database, so even someone who deletes the
 * tail and the checkpoints after it can be caught by comparing with the logs.
 */
@Injectable()
export class CheckpointTimer implements OnApplicationBootstrap, OnApplicationShutdown {
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
    }, this.settings.AUDIT_CHECKPOINT_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One checkpoint now (also what the timer does). */
  async tick(): Promise<void> {
    try {
      const checkpoint = await this.log.checkpoint();
      if (checkpoint === null) return;
      this.metrics.checkpoint();
      this.runtime.logger.info({ checkpoint }, 'audit chain checkpoint signed');
    } catch (error) {
      this.runtime.logger.warn({ err: error }, 'audit checkpoint failed; retried next interval');
    }
  }
}
