import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { INestApplication } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { eventually, uniqueName } from '@knutepunkt/testing';
import { createKafka } from '../connection';
import { NonRetriableError, UndecodableMessageError } from '../errors';
import { DeadLetterHeaders, type IncomingMessage } from '../messages';
import { CoalescingProducer } from '../producer';
import { ensureTopics } from '../topics-admin';
import { connectBatchTransport } from './connect-batch-transport';
import { KafkaBatchTransport, type ConsumedBatch } from './kafka-batch.transport';

const routineTopic = uniqueName('knutepunkt.it-routine');
const urgentTopic = uniqueName('knutepunkt.it-urgent');
const deadLetterTopic = uniqueName('knutepunkt.it-dlq');
const groupId = uniqueName('it-transport');

interface Item {
  readonly n: number;
  readonly poison?: boolean;
  readonly invalid?: boolean;
  /** Fail this many times as a handler does while its database restarts. */
  readonly unavailableFor?: number;
  /** Take this long, as a big batch into a busy database does. */
  readonly slowMs?: number;
}

const received: { topic: string; n: number; partition: number }[] = [];
/** What the handlers did, in order: `urgent start 20`, `urgent end 20`, `routine 21`. */
const timeline: string[] = [];
const routineBatchSizes: number[] = [];
const attempts = new Map<number, number>();
let blockRoutine: Promise<void> = Promise.resolve();

@Controller()
class ItemHandlers {
  @EventPattern(routineTopic)
  async routine(@Payload() batch: ConsumedBatch<Item>): Promise<void> {
    await blockRoutine;
    routineBatchSizes.push(batch.length);
    for (const m of batch) timeline.push(`routine ${String(m.payload.n)}`);
    for (const m of batch) {
      if (m.payload.slowMs) await new Promise((resolve) => setTimeout(resolve, m.payload.slowMs));
      const attempt = (attempts.get(m.payload.n) ?? 0) + 1;
      attempts.set(m.payload.n, attempt);
      if (attempt <= (m.payload.unavailableFor ?? 0))
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
          code: 'ECONNREFUSED',
        });
      if (m.payload.poison) throw new Error(`poison ${m.payload.n}`);
      if (m.payload.invalid) throw new NonRetriableError('TEST.INVALID', `invalid ${m.payload.n}`);
    }
    received.push(
      ...batch.map((m) => ({ topic: m.topic, n: m.payload.n, partition: m.partition })),
    );
  }

  @EventPattern(urgentTopic)
  async urgent(@Payload() batch: ConsumedBatch<Item>): Promise<void> {
    for (const m of batch) {
      timeline.push(`urgent start ${String(m.payload.n)}`);
      if (m.payload.slowMs) await new Promise((resolve) => setTimeout(resolve, m.payload.slowMs));
      timeline.push(`urgent end ${String(m.payload.n)}`);
    }
    received.push(
      ...batch.map((m) => ({ topic: m.topic, n: m.payload.n, partition: m.partition })),
    );
  }
}

@Module({ controllers: [ItemHandlers] })
class ItemModule {}

function decode(message: IncomingMessage): Promise<Item> {
  const text = message.value?.toString() ?? '';
  try {
    return Promise.resolve(JSON.parse(text) as Item);
  } catch (error) {
    return Promise.reject(
      new UndecodableMessageError(`not JSON: ${text.slice(0, 20)}`, { cause: error }),
    );
  }
}

describe('KafkaBatchTransport against a real broker', () => {
  let kafka: Kafka;
  let producer: CoalescingProducer;
  let service: INestApplication | undefined;

  // A hybrid app, HTTP and the transport, as every service runs (libs/service bootstrap).
  const startService = async () => {
    const app = await NestFactory.create(ItemModule, new FastifyAdapter(), { logger: false });
    connectBatchTransport(
      app,
      new KafkaBatchTransport({
        kafka,
        producer,
        groupId,
        deadLetterTopic,
        policy: { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 50 },
        // The broker's least (group.min.session.timeout.ms), so a slow handler outlasts it.
        sessionTimeoutMs: 6_000,
        isUrgent: (topic) => topic === urgentTopic,
        decode,
      }),
    );
    await app.startAllMicroservices();
    await app.init();
    return app;
  };

  const send = (topic: string, key: string, value: string) =>
    producer.send([{ topic, key, value: Buffer.from(value) }]);

  const readDeadLetters = async (count: number) => {
    const consumer = kafka.consumer({ groupId: uniqueName('it-dlq-reader') });
    const letters: { value: string; headers: Record<string, string> }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: deadLetterTopic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        letters.push({ value: message.value?.toString() ?? '', headers });
      },
    });
    await eventually(async () => (letters.length >= count ? true : undefined), 30_000);
    await consumer.disconnect();
    return letters;
  };

  beforeAll(async () => {
    kafka = createKafka({
      brokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','),
      clientId: 'it-transport',
    });
    const config = [{ name: 'cleanup.policy', value: 'delete' }];
    await ensureTopics(
      kafka,
      [
        { name: routineTopic, partitions: 1, configEntries: config },
        { name: urgentTopic, partitions: 1, configEntries: config },
        { name: deadLetterTopic, partitions: 1, configEntries: config },
      ],
      1,
    );
    producer = new CoalescingProducer(kafka);
    await producer.connect();
  });

  afterAll(async () => {
    await service?.close();
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin
      .deleteTopics({ topics: [routineTopic, urgentTopic, deadLetterTopic] })
      .catch(() => undefined);
    await admin.disconnect();
  });

  it('handles in order, dead-letters poison and garbage with their reasons, and commits what it processed', async () => {
    for (const [i, value] of [
      JSON.stringify({ n: 1 }),
      JSON.stringify({ n: 2, poison: true }),
      'garbage{',
      JSON.stringify({ n: 4 }),
      JSON.stringify({ n: 5, invalid: true }),
      JSON.stringify({ n: 6 }),
    ].entries()) {
      await send(routineTopic, `patient-${i % 2}`, value);
    }
    service = await startService();

    await eventually(
      async () => (received.filter((r) => r.topic === routineTopic).length >= 3 ? true : undefined),
      60_000,
    );
    expect(received.filter((r) => r.topic === routineTopic).map((r) => r.n)).toEqual([1, 4, 6]);

    const letters = await readDeadLetters(3);
    const byOffset = new Map(letters.map((l) => [l.headers[DeadLetterHeaders.sourceOffset], l]));
    expect(byOffset.get('1')?.headers).toMatchObject({
      [DeadLetterHeaders.errorClass]: 'Error',
      [DeadLetterHeaders.errorMessage]: 'poison 2',
      [DeadLetterHeaders.attempts]: '3',
      [DeadLetterHeaders.sourceTopic]: routineTopic,
      [DeadLetterHeaders.consumerGroup]: groupId,
    });
    expect(byOffset.get('2')).toMatchObject({
      value: 'garbage{',
      headers: {
        [DeadLetterHeaders.errorClass]: 'UndecodableMessageError',
        [DeadLetterHeaders.attempts]: '1',
      },
    });
    expect(byOffset.get('4')?.headers).toMatchObject({
      [DeadLetterHeaders.errorCode]: 'TEST.INVALID',
      [DeadLetterHeaders.attempts]: '1',
    });

    const admin = kafka.admin();
    await admin.connect();
    const committed = await eventually(async () => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [routineTopic] });
      const offset = offsets?.partitions[0]?.offset;
      return offset === '6' ? offset : undefined;
    });
    await admin.disconnect();
    expect(committed).toBe('6');
  });

  it('delivers nothing twice after a restart, and resumes where it committed', async () => {
    await service?.close();
    received.length = 0;
    service = await startService();
    await send(routineTopic, 'patient-0', JSON.stringify({ n: 7 }));
    await eventually(async () => (received.length >= 1 ? true : undefined), 60_000);
    expect(received.map((r) => r.n)).toEqual([7]);
  });

  it('waits out a dependency that is down, past the attempts a poison message gets', async () => {
    received.length = 0;
    await send(routineTopic, 'patient-1', JSON.stringify({ n: 10, unavailableFor: 6 }));
    await eventually(async () => (received.some((r) => r.n === 10) ? true : undefined), 60_000);
    // Dead-lettered after its third attempt, it would never have been received.
    expect(attempts.get(10)).toBe(7);
  });

  it('keeps its partitions through a handler slower than the session timeout', async () => {
    received.length = 0;
    await send(routineTopic, 'patient-1', JSON.stringify({ n: 11, slowMs: 10_000 }));
    await send(routineTopic, 'patient-1', JSON.stringify({ n: 12 }));
    await eventually(async () => (received.some((r) => r.n === 12) ? true : undefined), 60_000);
    // Evicted mid-handler, the member would have had the message redelivered (or stopped).
    expect(attempts.get(11)).toBe(1);
    expect(received.map((r) => r.n)).toEqual([11, 12]);
  }, 90_000);

  it('keeps the urgent lane moving while the routine lane is stuck', async () => {
    received.length = 0;
    let release: () => void = () => undefined;
    blockRoutine = new Promise<void>((resolve) => (release = resolve));
    await send(routineTopic, 'patient-0', JSON.stringify({ n: 8 }));
    await send(urgentTopic, 'patient-0', JSON.stringify({ n: 9 }));
    await eventually(
      async () => (received.some((r) => r.topic === urgentTopic) ? true : undefined),
      60_000,
    );
    expect(received.map((r) => r.n)).toEqual([9]);
    release();
    await eventually(async () => (received.some((r) => r.n === 8) ? true : undefined), 60_000);
  });

  it('starts no routine work while an urgent batch is being handled', async () => {
    timeline.length = 0;
    await send(urgentTopic, 'patient-0', JSON.stringify({ n: 20, slowMs: 5_000 }));
    await eventually(async () => (timeline.includes('urgent start 20') ? true : undefined), 60_000);
    await send(routineTopic, 'patient-0', JSON.stringify({ n: 21 }));
    await eventually(async () => (timeline.includes('routine 21') ? true : undefined), 60_000);
    // Without the lanes' priority the routine message is handled during the urgent one's 5 s.
    expect(timeline).toEqual(['urgent start 20', 'urgent end 20', 'routine 21']);
  }, 90_000);

  it('handles a routine batch in chunks of at most 100, committing each', async () => {
    routineBatchSizes.length = 0;
    received.length = 0;
    await producer.send(
      Array.from({ length: 250 }, (_, i) => ({
        topic: routineTopic,
        key: 'patient-0',
        value: Buffer.from(JSON.stringify({ n: 1000 + i })),
      })),
    );
    await eventually(async () => (received.length >= 250 ? true : undefined), 60_000);
    expect(received.map((r) => r.n)).toEqual(Array.from({ length: 250 }, (_, i) => 1000 + i));
    expect(Math.max(...routineBatchSizes)).toBeLessThanOrEqual(100);
  }, 90_000);
});
