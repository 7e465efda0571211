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
 * Signs a checkpoint of the chain head every AUDIT_CHECKPOINT_INTERVAL_MS (when it moved),
 * and logs it: the log line is a copy outside the database, so even someone who deletes the
 * tail and the checkpoints after it can be caught by comparing with the logs.
 */
@Injectable()
export class CheckpointTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly periodic: Periodic;

  constructor(
    @Inject(AUDIT_LOG) private readonly log: AuditLog,
    @Inject(AUDIT_METRICS) private readonly metrics: AuditMetrics,
    @Inject(AUDIT_SETTINGS) settings: AuditEnv,
    @Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime,
  ) {
    this.periodic = new Periodic(() => this.tick(), settings.AUDIT_CHECKPOINT_INTERVAL_MS);
  }

  onApplicationBootstrap(): void {
    this.periodic.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.periodic.stop();
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
