import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { ConsumedBatch } from '@knutepunkt/kafka/nest';
import { Topics, type StatusChange } from '@knutepunkt/schemas';
import { SUBMISSION_STORE } from '../tokens';
import type { SubmissionStore } from '../persistence/submission-store';

/**
 * Projects `knutepunkt.status.v1` into ingest's own table, which `$status` reads. One insert
 * per batch; a redelivered batch changes nothing (first report of a stage wins).
 */
@Controller()
export class StatusProjectionHandler {
  constructor(@Inject(SUBMISSION_STORE) private readonly store: SubmissionStore) {}

  @EventPattern(Topics.status.name)
  async project(@Payload() batch: ConsumedBatch<StatusChange>): Promise<void> {
    await this.store.recordStages(
      batch.map(({ payload }) => ({
        submissionId: payload.submissionId,
        stage: payload.stage,
        at: new Date(payload.at),
        reason: payload.reason,
        operationOutcomeCode: payload.operationOutcomeCode,
      })),
    );
  }
}
