import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { ConsumedBatch } from '@knutepunkt/kafka/nest';
import {
  Topics,
  type AcceptedSubmission,
  type AuditRecord,
  type ConsentState,
  type RegistryRecord,
  type StatusChange,
} from '@knutepunkt/schemas';
import {
  factFromAccepted,
  factFromAuditRecord,
  factFromConsentState,
  factFromRegistry,
  factFromStatus,
  type AuditFact,
} from '../domain';
import { AuditMetrics } from '../audit-metrics';
import type { AuditLog } from '../persistence/audit-log.store';
import { AUDIT_LOG, AUDIT_METRICS } from '../tokens';

/**
 * Every AuditRecord and every lifecycle fact becomes one row of the chain: one transaction
 * per consumed batch. A redelivered batch appends nothing (rows are keyed by the record's
 * `auditId` or the lifecycle message's topic-partition-offset); a failing append throws, so
 * the batch is retried and only then dead-lettered.
 */
@Controller()
export class AppendAuditFactsHandler {
  constructor(
    @Inject(AUDIT_LOG) private readonly log: AuditLog,
    @Inject(AUDIT_METRICS) private readonly metrics: AuditMetrics,
  ) {}

  @EventPattern(Topics.audit.name)
  async auditRecords(@Payload() batch: ConsumedBatch<AuditRecord>): Promise<void> {
    await this.append(
      'audit',
      batch.map((m) => factFromAuditRecord(m.payload)),
    );
  }

  @EventPattern(Topics.accepted.name)
  async accepted(@Payload() batch: ConsumedBatch<AcceptedSubmission>): Promise<void> {
    await this.append(
      'accepted',
      batch.map((m) => factFromAccepted(m.payload, m)),
    );
  }

  @EventPattern(Topics.status.name)
  async status(@Payload() batch: ConsumedBatch<StatusChange>): Promise<void> {
    await this.append(
      'status',
      batch.map((m) => factFromStatus(m.payload, m)),
    );
  }

  @EventPattern(Topics.consentChanges.name)
  async consentChanges(@Payload() batch: ConsumedBatch<ConsentState>): Promise<void> {
    await this.append(
      'consent.changes',
      batch.map((m) => factFromConsentState(m.payload, m)),
    );
  }

  @EventPattern(Topics.registry.name)
  async registry(@Payload() batch: ConsumedBatch<RegistryRecord>): Promise<void> {
    await this.append(
      'registry',
      batch.map((m) => factFromRegistry(m.payload, m)),
    );
  }

  private async append(source: string, facts: readonly AuditFact[]): Promise<void> {
    const started = process.hrtime.bigint();
    const result = await this.log.append(facts);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.metrics.batch(source, result.appended, result.duplicates, seconds);
  }
}
