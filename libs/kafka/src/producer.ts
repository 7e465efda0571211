import { Partitioners, type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs';
import type { KafkaMetrics } from '@knutepunkt/observability';
import type { OutgoingMessage } from './messages';

export interface MessageProducer {
  /** Resolves once every message is acknowledged by all in-sync replicas (acks=all). */
  send(messages: readonly OutgoingMessage[]): Promise<void>;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}

interface Pending {
  readonly messages: readonly OutgoingMessage[];
  resolve(): void;
  reject(error: unknown): void;
}

export interface ProducerLimits {
  /** Upper bound of messages in one produce request; the rest waits for the next round. */
  readonly maxBatchMessages: number;
  readonly maxBatchBytes: number;
}

const defaultLimits: ProducerLimits = { maxBatchMessages: 500, maxBatchBytes: 4 * 1024 * 1024 };

/**
 * An idempotent acks=all producer that never has two produce requests in flight. Sends that
 * arrive while one is in flight are coalesced into the next request. This avoids kafkajs'
 * OUT_OF_ORDER_SEQUENCE_NUMBER failures with concurrent idempotent sends (kafkajs #598), and
 * under load turns many single-event HTTP requests into one produce request without adding
 * latency when idle (the first send goes out at once).
 */
export class CoalescingProducer implements MessageProducer {
  private readonly producer: Producer;
  private queue: Pending[] = [];
  private flushing = false;

  constructor(
    kafka: Kafka,
    private readonly metrics?: KafkaMetrics,
    private readonly limits: ProducerLimits = defaultLimits,
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // murmur2 on the key, as the Java client: the same patient lands on the same partition
      // whichever client wrote it.
      createPartitioner: Partitioners.DefaultPartitioner,
      // Bounded on purpose (kafkajs warns that idempotence wants infinite retries): ingest must
      // answer 503 within seconds while the brokers are away, not hang. A send that failed
      // after reaching the broker can be written twice; consumers dedupe by event id.
      retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async disconnect(): Promise<void> {
    while (this.flushing || this.queue.length > 0) await new Promise((r) => setTimeout(r, 10));
    await this.producer.disconnect();
  }

  send(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ messages, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const round = this.takeRound();
        try {
          await this.producer.sendBatch({ topicMessages: toTopicMessages(round), acks: -1 });
          for (const p of round) p.resolve();
          this.countProduced(round);
        } catch (error) {
          this.metrics?.clientError('produce');
          for (const p of round) p.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private takeRound(): Pending[] {
    const round: Pending[] = [];
    let count = 0;
    let bytes = 0;
    for (let next = this.queue[0]; next; next = this.queue[0]) {
      const size = next.messages.reduce((sum, m) => sum + (m.value?.length ?? 0), 0);
      const fits =
        count + next.messages.length <= this.limits.maxBatchMessages &&
        bytes + size <= this.limits.maxBatchBytes;
      if (round.length > 0 && !fits) break;
      this.queue.shift();
      round.push(next);
      count += next.messages.length;
      bytes += size;
    }
    return round;
  }

  private countProduced(round: readonly Pending[]): void {
    if (!this.metrics) return;
    const perTopic = new Map<string, number>();
    for (const p of round)
      for (const m of p.messages) perTopic.set(m.topic, (perTopic.get(m.topic) ?? 0) + 1);
    for (const [topic, count] of perTopic) this.metrics.produced(topic, count);
  }
}

function toTopicMessages(round: readonly Pending[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const pending of round) {
    for (const m of pending.messages) {
      let list = byTopic.get(m.topic);
      if (!list) byTopic.set(m.topic, (list = []));
      list.push({ key: m.key, value: m.value, headers: m.headers ? { ...m.headers } : undefined });
    }
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
