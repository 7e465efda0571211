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

/**
 * Reads a topic from its beginning in a throwaway consumer group, for integration tests that
 * check what a service published. Test code only: services consume through BatchConsumer.
 */
export async function readTopic(brokers: readonly string[], topic: string): Promise<TopicReader> {
  const kafka: Kafka = createKafka({ brokers, clientId: 'knutepunkt-test-reader' });
  const consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}` });
  const messages: IncomingMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ partition, message }) => {
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
