import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { createKafka } from '../connection';
import type { IncomingMessage } from '../messages';

export interface TopicReader {
  /** Everything read so far, in arrival order. */
  readonly messages: readonly IncomingMessage[];
  /** Resolves with the messages matching `predicate` once there are `count` of them. */
  waitFor(
    predicate: (message: IncomingMessage) => boolean,
    count?: number,
    timeoutMs?: number,
  ): Promise<IncomingMessage[]>;
  close(): Promise<void>;
}

export interface ReadTopicOptions {
  /**
   * `end`: only records published after the reader was opened, for topics every test and
   * benchmark shares (status, audit, accepted…), which on a developer's long-lived stack hold
   * hundreds of thousands of old records. Default `beginning`.
   */
  readonly from?: 'beginning' | 'end';
}

/**
 * Reads a topic in a throwaway consumer group, for integration tests that check what a service
 * published. Test code only: services consume through BatchConsumer.
 */
export async function readTopic(
  brokers: readonly string[],
  topic: string,
  options: ReadTopicOptions = {},
): Promise<TopicReader> {
  const kafka: Kafka = createKafka({ brokers, clientId: 'knutepunkt-test-reader' });
  const ends = options.from === 'end' ? await endOffsets(kafka, topic) : new Map<number, string>();
  const consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}` });
  const messages: IncomingMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ partition, message }) => {
      // A fetch may begin before the seeks below take hold.
      if (BigInt(message.offset) < BigInt(ends.get(partition) ?? '0')) return Promise.resolve();
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) {
        if (value !== undefined) headers[name] = String(Array.isArray(value) ? value[0] : value);
      }
      messages.push({
        topic,
        partition,
        offset: message.offset,
        key: message.key ? message.key.toString() : null,
        value: message.value,
        headers,
        timestamp: Number(message.timestamp),
      });
      return Promise.resolve();
    },
  });
  for (const [partition, offset] of ends) consumer.seek({ topic, partition, offset });
  return {
    messages,
    async waitFor(predicate, count = 1, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const matching = messages.filter(predicate);
        if (matching.length >= count) return matching;
        if (Date.now() > deadline) {
          throw new Error(
            `only ${matching.length} of ${count} expected messages on ${topic} within ${timeoutMs} ms`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () => consumer.disconnect(),
  };
}

async function endOffsets(kafka: Kafka, topic: string): Promise<Map<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map(({ partition, high }) => [partition, high]));
  } finally {
    await admin.disconnect();
  }
}
