import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  CorrelationHeaders,
  deadLetterMessage,
  NonRetriableError,
  type OutgoingMessage,
} from '@knutepunkt/kafka';
import type { ConsumedBatch } from '@knutepunkt/kafka/nest';
import {
  dlqTopic,
  normalizedTopicFor,
  Topics,
  type AcceptedSubmission,
  type StatusChange,
  type WelfareEvent,
} from '@knutepunkt/schemas';
import type { AuthorizationRegister } from '@knutepunkt/auth';
import { subjectKey, vkpOutcome, type PatientKeyDeriver } from '@knutepunkt/fhir';
import {
  AUTHORIZATION_REGISTER,
  consumerGroupOf,
  SERVICE_RUNTIME,
  type ServiceRuntime,
} from '@knutepunkt/service';
import { normalizeAccepted, type NormalizeAcceptedContext } from '../domain';
import { NormalizerMetrics } from '../normalizer-metrics';
import { NORMALIZE_CONTEXT } from '../tokens';

/**
 * `accepted` → `normalized` (or its urgent twin) + a `normalized` status per event; an event
 * of a service the vendor is not registered for fails (VKP 1.2) and goes no further; a
 * submission that cannot be mapped gets a `failed` status with the reason and VKP code, and
 * its record goes to the normalizer's DLQ. Everything a batch yields is produced in one
 * round, after which the batch is committed. A crash before the commit reprocesses the
 * batch; the events come out with the same ids (they derive from the submission), so
 * consumers downstream drop the repeats by event id.
 */
const normalizerGroupId = consumerGroupOf('normalizer');

@Controller()
export class NormalizeAcceptedHandler {
  private readonly deadLetters = dlqTopic('normalizer');
  /** The context's patient-key derivation in the shape `subjectKey` takes. */
  private readonly deriveKey: PatientKeyDeriver = ({ orgnr, identifier }) =>
    this.context.patientKey(orgnr, identifier);

  constructor(
    @Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime,
    @Inject(NORMALIZE_CONTEXT) private readonly context: NormalizeAcceptedContext,
    @Inject(AUTHORIZATION_REGISTER) private readonly register: AuthorizationRegister,
    @Inject(NormalizerMetrics) private readonly metrics: NormalizerMetrics,
  ) {}

  @EventPattern(Topics.accepted.name)
  async normalize(@Payload() batch: ConsumedBatch<AcceptedSubmission>): Promise<void> {
    const { serde, producer } = this.runtime;
    const out: OutgoingMessage[] = [];
    const produced: WelfareEvent[] = [];
    // Dead-lettered here, not by the consumer: counted here, or the DLQ alert never sees them.
    const deadLettered = new Map<string, number>();
    const now = Date.now();
    for (const message of batch) {
      const submission = message.payload;
      const headers = {
        [CorrelationHeaders.correlationId]:
          message.headers[CorrelationHeaders.correlationId] ?? submission.submissionId,
        [CorrelationHeaders.causationId]: submission.submissionId,
      };
      const result = normalizeAccepted(submission, this.context);
      if (result.ok) {
        for (const event of result.value) {
          // Ingest checked the municipality; the service is known only now (docs/adr/0011).
          const verdict = this.register.mayWrite(
            submission.clientId,
            submission.orgnr,
            event.service,
          );
          if (!verdict.ok) {
            out.push(
              this.status(
                submission,
                {
                  stage: 'failed',
                  at: now,
                  eventId: event.eventId,
                  reason: verdict.message,
                  operationOutcomeCode: vkpOutcome.notAllowed,
                },
                headers,
              ),
            );
            continue;
          }
          produced.push(event);
          const topic = normalizedTopicFor(event.urgent);
          out.push({
            topic: topic.name,
            key: subjectKey(this.deriveKey, {
              orgnr: event.orgnr,
              patientKey: event.patient?.patientKey,
              device: event.device?.identifier,
              ownId: event.submissionId,
            }),
            value: serde.encode(topic, event),
            headers: { ...headers, [CorrelationHeaders.eventId]: event.eventId },
          });
          out.push(
            this.status(
              submission,
              { stage: 'normalized', at: now, eventId: event.eventId },
              headers,
            ),
          );
        }
        continue;
      }
      const { error } = result;
      out.push(
        this.status(
          submission,
          {
            stage: 'failed',
            at: now,
            reason: `${error.message}${error.expression ? ` (${error.expression})` : ''}`,
            operationOutcomeCode: error.vkpCode,
          },
          headers,
        ),
      );
      out.push(
        deadLetterMessage(
          { message, error: new NonRetriableError(error.code, error.message), attempts: 1 },
          this.deadLetters.name,
          normalizerGroupId,
          new Date(now),
        ),
      );
      deadLettered.set(message.topic, (deadLettered.get(message.topic) ?? 0) + 1);
    }
    await producer.send(out);
    for (const [topic, count] of deadLettered)
      this.runtime.metrics.failed(topic, 'dead_lettered', count);
    for (const event of produced) this.metrics.produced(event);
  }

  private status(
    submission: AcceptedSubmission,
    change: Pick<StatusChange, 'stage' | 'at'> & Partial<StatusChange>,
    headers: Record<string, string>,
  ): OutgoingMessage {
    const record: StatusChange = {
      submissionId: submission.submissionId,
      eventId: null,
      journalEntryId: null,
      reason: null,
      operationOutcomeCode: null,
      orgnr: submission.orgnr,
      clientId: submission.clientId,
      reportedBy: 'normalizer',
      ...change,
    };
    return {
      topic: Topics.status.name,
      key: submission.submissionId,
      value: this.runtime.serde.encode(Topics.status, record),
      headers,
    };
  }
}
