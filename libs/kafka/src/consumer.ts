import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type { KafkaMetrics } from '@knutepunkt/observability';
import { deadLetterMessage, processBatch } from './batch-processor';
import type { KafkaLogSink } from './connection';
import { chunksOf, type LanePriority } from './lane-priority';
import type { DecodedMessage, IncomingMessage } from './messages';
import type { MessageProducer } from './producer';
import type { RetryPolicy } from './retry-policy';

export interface BatchConsumerOptions<T> {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where messages go that cannot be decoded or keep failing: `knutepunkt.dlq.<app>.v1`. */
  readonly deadLetterTopic: string;
  readonly policy: RetryPolicy;
  /** Partitions handled at the same time; order within a partition is always kept. */
  readonly partitionsConsumedConcurrently?: number;
  readonly sessionTimeoutMs?: number;
  /**
   * Which lane this consumer is, and the priority it shares with the other lane of its process:
   * an urgent batch holds routine work back; a routine batch is handled (and committed) in
   * chunks of `chunkSize`, each waiting its turn.
   */
  readonly lane?: {
    readonly kind: 'urgent' | 'routine';
    readonly priority: LanePriority;
    readonly chunkSize?: number;
  };
  decode(message: IncomingMessage): Promise<T>;
  handle(messages: readonly DecodedMessage<T>[]): Promise<void>;
}

export interface BatchConsumerDeps {
  readonly kafka: Kafka;
  readonly producer: MessageProducer;
  readonly metrics?: KafkaMetrics;
  readonly log?: KafkaLogSink;
}

const heartbeatIntervalMs = 3_000;
// kafkajs sends a heartbeat only when `heartbeatIntervalMs` has passed since the last one
// *answered*; ticking at the same interval skips every other tick (a heartbeat every ~6 s, which
// a 6 s session does not survive — CI saw it). Ticking faster costs only a clock comparison.
const heartbeatTickMs = 1_000;
/**
 * Routine messages handled per chunk: small enough that an alarm arriving meanwhile waits for
 * at most one chunk (its database transaction, its share of the CPU), large enough that a backlog
 * still drains in few transactions.
 */
const defaultRoutineChunk = 100;

/**
 * A consumer group member over one set of topics, on kafkajs' `eachBatch`: batches per
 * partition, bounded retries with backoff, the dead-letter topic, and a commit of exactly the
 * offsets that were handled or dead-lettered (auto-commit is off). The NestJS transport
 * runs one of these per lane, so a slow routine topic never holds up an urgent one.
 */
export class BatchConsumer<T> {
  private consumer: Consumer;
  private running = false;

  constructor(
    private readonly options: BatchConsumerOptions<T>,
    private readonly deps: BatchConsumerDeps,
  ) {
    this.consumer = this.createConsumer();
  }

  get groupId(): string {
    return this.options.groupId;
  }

  async start(): Promise<void> {
    this.running = true;
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.options.topics], fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  private createConsumer(): Consumer {
    const consumer = this.deps.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: heartbeatIntervalMs,
      allowAutoTopicCreation: false,
      // Read what a transactional producer committed, never an aborted write.
      readUncommitted: false,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.deps.metrics?.clientError('consume');
      this.deps.log?.error(
        { groupId: this.options.groupId, restart: payload.restart, error: payload.error.message },
        'consumer crashed',
      );
      // kafkajs restarts only after a retriable error; after any other (e.g. "The coordinator is
      // not aware of this member" once the group evicted it) it leaves the consumer disconnected
      // and the process alive, consuming nothing. A fresh consumer rejoins the group instead.
      if (!payload.restart && consumer === this.consumer) void this.replace(consumer, 1000);
    });
    return consumer;
  }

  private async replace(crashed: Consumer, delayMs: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (!this.running || crashed !== this.consumer) return;
    await crashed.disconnect().catch(() => undefined);
    this.consumer = this.createConsumer();
    this.deps.log?.warn({ groupId: this.options.groupId }, 'consumer replaced after a crash');
    try {
      await this.start();
    } catch (error) {
      this.deps.log?.error(
        {
          groupId: this.options.groupId,
          error: error instanceof Error ? error.message : String(error),
        },
        'consumer could not rejoin; trying again',
      );
      void this.replace(this.consumer, Math.min(delayMs * 2, 30_000));
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.consumer.disconnect();
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const consumer = this.consumer;
    const messages = batch.messages.map((m) => toIncoming(batch.topic, batch.partition, m));
    // A handler slower than the session timeout (a big batch into a busy database), or a
    // routine chunk waiting for the urgent lane, would get this member evicted from the group;
    // kafkajs heartbeats only when asked to.
    const heartbeats = setInterval(() => {
      payload.heartbeat().catch(() => undefined);
    }, heartbeatTickMs);
    try {
      const lane = this.options.lane;
      if (lane?.kind === 'urgent') {
        await lane.priority.urgent(() => this.handleAndCommit(payload, consumer, messages));
        return;
      }
      const chunks = lane ? chunksOf(messages, lane.chunkSize ?? defaultRoutineChunk) : [messages];
      for (const chunk of chunks) {
        await lane?.priority.routineTurn();
        if (!(await this.handleAndCommit(payload, consumer, chunk))) return;
      }
    } finally {
      clearInterval(heartbeats);
    }
  }

  /** Handles consecutive messages of one partition and commits them; false: stop (revoked). */
  private async handleAndCommit(
    payload: EachBatchPayload,
    consumer: Consumer,
    messages: readonly IncomingMessage[],
  ): Promise<boolean> {
    const { batch } = payload;
    const { metrics, producer } = this.deps;
    const outcome = await processBatch<T>(messages, this.options.policy, {
      decode: (m) => this.options.decode(m),
      handle: (ms) => this.options.handle(ms),
      deadLetter: (letters) =>
        producer.send(
          letters.map((l) =>
            deadLetterMessage(l, this.options.deadLetterTopic, this.options.groupId),
          ),
        ),
      heartbeat: () => payload.heartbeat(),
      stillOwned: () => this.running && payload.isRunning() && !payload.isStale(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      onRetry: (error, attempt, size) => {
        metrics?.failed(batch.topic, 'retried', size);
        this.deps.log?.warn(
          {
            topic: batch.topic,
            partition: batch.partition,
            attempt,
            size,
            error: error instanceof Error ? error.message : String(error),
          },
          'handler failed; retrying',
        );
      },
    });
    if (outcome.lastDoneOffset === null) return false;
    payload.resolveOffset(outcome.lastDoneOffset);
    const next = (BigInt(outcome.lastDoneOffset) + 1n).toString();
    await consumer.commitOffsets([
      { topic: batch.topic, partition: batch.partition, offset: next },
    ]);
    metrics?.consumed(batch.topic, outcome.handled);
    if (outcome.deadLettered > 0)
      metrics?.failed(batch.topic, 'dead_lettered', outcome.deadLettered);
    if (outcome.undecodable > 0) metrics?.failed(batch.topic, 'undecodable', outcome.undecodable);
    metrics?.lag(
      this.options.groupId,
      batch.topic,
      batch.partition,
      Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(next))),
    );
    return !outcome.interrupted;
  }
}

export function toIncoming(topic: string, partition: number, m: KafkaMessage): IncomingMessage {
  return {
    topic,
    partition,
    offset: m.offset,
    key: m.key ? m.key.toString('utf8') : null,
    value: m.value,
    headers: headersToStrings(m.headers),
    timestamp: Number(m.timestamp),
  };
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}
