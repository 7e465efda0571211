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
  Topics,
  type ConsentedEvent,
  type StatusChange,
  type TopicSpec,
} from '@knutepunkt/schemas';
import {
  consumerGroupOf,
  SERVICE_RUNTIME,
  serviceActor,
  type ServiceRuntime,
} from '@knutepunkt/service';
import { journalEntryOf, type JournalEntryDraft, type PatientKeyOf } from '../domain';
import { correlation, entryAuditMessage, entryStatusMessage } from '../journal-messages';
import { JournalMetrics } from '../journal-metrics';
import { OutboxRelay } from '../outbox/outbox-relay';
import type { JournalStore, NewJournalEntry } from '../persistence/journal-store';
import { JOURNAL_STORE, PATIENT_KEY_OF } from '../tokens';
import { EpjTopics } from './epj-topics';
import { type Patience, withPatience } from './with-patience';

interface Pending {
  readonly draft: JournalEntryDraft;
  readonly correlationId: string | null;
  /** When ingest received the submission, and its lane: for the delivery-latency histogram. */
  readonly receivedAt: number;
  readonly urgent: boolean;
}

/**
 * `consented` and its urgent twin → journal entries. A batch is one database transaction:
 * each event's entry (once per event id; a redelivery writes nothing) and, in the outbox, its
 * JournalEntry on the municipality's EPJ topic, its `delivered` status and its AuditRecord.
 * The relay publishes them after the commit; the offsets are committed after this resolves.
 * The urgent twin has its own consumer group (libs/kafka), so alarms never wait behind
 * routine entries.
 */
@Controller()
export class WriteJournalEntriesHandler {
  private readonly deadLetters = dlqTopic('journal-writer');
  private readonly patience: Patience = {
    withinMs: 15_000,
    initialDelayMs: 250,
    maxDelayMs: 2_000,
    onRetry: (error, attempt) => {
      this.runtime.logger.warn({ err: error, attempt }, 'journal write failed; trying again');
    },
  };

  constructor(
    @Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime,
    @Inject(JOURNAL_STORE) private readonly store: JournalStore,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(EpjTopics) private readonly epjTopics: EpjTopics,
    @Inject(JournalMetrics) private readonly metrics: JournalMetrics,
    @Inject(PATIENT_KEY_OF) private readonly patientKeyOf: PatientKeyOf,
  ) {}

  @EventPattern(Topics.consented.name)
  routine(@Payload() batch: ConsumedBatch<ConsentedEvent>): Promise<void> {
    return this.write(batch, () => this.relay.kick());
  }

  @EventPattern(Topics.consentedUrgent.name)
  urgent(@Payload() batch: ConsumedBatch<ConsentedEvent>): Promise<void> {
    // The next relay round has the alarms out; a routine backlog in the outbox is not waited for.
    return this.write(batch, () => this.relay.kickForUrgent());
  }

  private async write(
    batch: ConsumedBatch<ConsentedEvent>,
    relay: () => Promise<void>,
  ): Promise<void> {
    const now = Date.now();
    const pending = new Map<string, Pending>();
    const refused: OutgoingMessage[] = [];
    // Dead-lettered here, not by the consumer: counted here, or the DLQ alert never sees them.
    const deadLettered = new Map<string, number>();
    for (const message of batch) {
      const result = journalEntryOf(message.payload, { now, patientKeyOf: this.patientKeyOf });
      const correlationId = message.headers[CorrelationHeaders.correlationId] ?? null;
      if (result.ok) {
        const { receivedAt, urgent } = message.payload.event;
        pending.set(result.value.record.entryId, {
          draft: result.value,
          correlationId,
          receivedAt,
          urgent,
        });
        continue;
      }
      const { event } = message.payload;
      this.metrics.entriesWritten(event.orgnr, 'failed');
      refused.push(
        this.failedStatus(
          event.submissionId,
          event.eventId,
          event.orgnr,
          event.clientId,
          now,
          result.error.message,
        ),
        deadLetterMessage(
          {
            message,
            error: new NonRetriableError(result.error.code, result.error.message),
            attempts: 1,
          },
          this.deadLetters.name,
          consumerGroupOf('journal-writer'),
          new Date(now),
        ),
      );
      deadLettered.set(message.topic, (deadLettered.get(message.topic) ?? 0) + 1);
    }

    const topics = new Map<string, TopicSpec<'JournalEntry'>>();
    for (const orgnr of new Set([...pending.values()].map((p) => p.draft.record.orgnr))) {
      topics.set(orgnr, await withPatience(() => this.epjTopics.topicFor(orgnr), this.patience));
    }
    const entries = [...pending.values()].map((p) => newEntryOf(p.draft));
    const outcome = await withPatience(
      () =>
        this.store.writeEntries(entries, (entry) => {
          const item = pending.get(entry.entryId);
          const topic = topics.get(entry.orgnr);
          if (!item || !topic) throw new Error('entry without its draft');
          return this.messagesOf(item, topic, now);
        }),
      this.patience,
    );
    const committedAt = Date.now();
    for (const entry of outcome.created) {
      this.metrics.entriesWritten(entry.orgnr, 'created');
      const item = pending.get(entry.entryId);
      if (item) this.metrics.delivered(entry.orgnr, item.urgent, committedAt - item.receivedAt);
    }
    for (const entry of outcome.duplicates) this.metrics.entriesWritten(entry.orgnr, 'duplicate');
    await this.runtime.producer.send(refused);
    for (const [topic, count] of deadLettered)
      this.runtime.metrics.failed(topic, 'dead_lettered', count);
    if (outcome.created.length > 0) {
      // The outbox is durable: a relay failure here is retried by the sweep, not by redelivery.
      await relay().catch((error: unknown) => {
        this.runtime.logger.warn(
          { err: error },
          'outbox relay failed after a write; the sweep retries',
        );
      });
    }
  }

  private messagesOf(
    item: Pending,
    topic: TopicSpec<'JournalEntry'>,
    now: number,
  ): OutgoingMessage[] {
    const { serde } = this.runtime;
    const record = item.draft.record;
    const facts = {
      entryId: record.entryId,
      eventId: record.eventId,
      submissionId: record.submissionId,
      orgnr: record.orgnr,
      patientKey: record.patient.patientKey,
      vendorClientId: item.draft.vendorClientId,
    };
    const headers = correlation(item.correlationId, facts);
    return [
      {
        topic: topic.name,
        key: record.patient.patientKey,
        value: serde.encode(topic, record),
        headers,
      },
      entryStatusMessage(serde, facts, 'delivered', now, headers),
      entryAuditMessage(serde, facts, {
        action: 'journal-entry.create',
        actor: serviceActor('journal-writer'),
        at: now,
        requestId: item.correlationId,
        details: { topic: topic.name, kind: record.kind, urgent: String(record.urgent) },
      }),
    ];
  }

  private failedStatus(
    submissionId: string,
    eventId: string,
    orgnr: string,
    clientId: string,
    at: number,
    reason: string,
  ): OutgoingMessage {
    const change: StatusChange = {
      submissionId,
      eventId,
      journalEntryId: null,
      stage: 'failed',
      at,
      reason,
      operationOutcomeCode: '3',
      orgnr,
      clientId,
      reportedBy: 'journal-writer',
    };
    return {
      topic: Topics.status.name,
      key: submissionId,
      value: this.runtime.serde.encode(Topics.status, change),
    };
  }
}

function newEntryOf(draft: JournalEntryDraft): NewJournalEntry {
  const { record } = draft;
  return {
    entryId: record.entryId,
    eventId: record.eventId,
    submissionId: record.submissionId,
    orgnr: record.orgnr,
    patientKey: record.patient.patientKey,
    patientKeys: draft.patientKeys,
    vendorClientId: draft.vendorClientId,
    service: record.service,
    kind: record.kind,
    urgent: record.urgent,
    createdAt: new Date(record.createdAt),
    lastUpdated: new Date(record.lastUpdated),
    compositionJson: record.compositionJson,
  };
}
