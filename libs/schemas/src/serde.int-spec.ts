/**
 * The serde against the real local stack: schemas registered in the schema registry at
 * SCHEMA_REGISTRY_URL, a WelfareEvent through the Kafka broker at KAFKA_BROKERS, decoded by a
 * second serde that has to fetch the writer schema by id. Uses a throwaway topic and subject
 * (`knutepunkt.test-<random>.v1`) and removes both afterwards.
 *
 *   npx jest --config libs/schemas/jest.config.js --testMatch '**\/*.int-spec.ts'
 */
import { randomUUID } from 'node:crypto';
// The contracts library (type:util) cannot depend on @knutepunkt/kafka (type:infra), so this
// one test talks to the broker with kafkajs directly, as the brief for libs/schemas allows.
// eslint-disable-next-line no-restricted-imports
import { type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import { createConfluentSchemaRegistry } from './schema-registry';
import { isSerdeError } from './serde-error';
import { confluentHeaderLength, createSerde } from './serde';
import { aWelfareEvent, aWelfareEventOfKind } from './testing';
import { type TopicSpec, Topics, topicConfigEntries, topicPrefix, valueSubject } from './topics';
import type { WelfareEvent } from './generated';

// Test wiring, not app code: the apps read these through their typed config.
const kafkaBrokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
/** The devstack's registry (Apicurio) serves the Confluent API under /apis/ccompat/v7. */
const registryUrl = process.env['SCHEMA_REGISTRY_URL'] ?? 'http://127.0.0.1:8081/apis/ccompat/v7';

jest.setTimeout(90_000);

const suffix = randomUUID().slice(0, 8);
const stream = `test-${suffix}`;
/** A throwaway twin of `knutepunkt.normalized.v1`, so the test never touches real topics. */
const testTopic: TopicSpec<'WelfareEvent'> = {
  ...Topics.normalized,
  name: `${topicPrefix}.${stream}.v1`,
  stream,
  partitions: 1,
};

const kafka = new Kafka({
  clientId: `schemas-int-${suffix}`,
  brokers: kafkaBrokers,
  logLevel: logLevel.NOTHING,
});

async function deleteSubject(subject: string): Promise<void> {
  // Soft delete, then permanent: Confluent needs both; Apicurio accepts them.
  const url = `${registryUrl}/subjects/${encodeURIComponent(subject)}`;
  await fetch(url, { method: 'DELETE' }).catch(() => undefined);
  await fetch(`${url}?permanent=true`, { method: 'DELETE' }).catch(() => undefined);
}

describe('serde against the local Kafka and schema registry', () => {
  const admin = kafka.admin();
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;

  beforeAll(async () => {
    const registryAnswer = await fetch(`${registryUrl}/subjects`).catch((error: unknown) => error);
    if (!(registryAnswer instanceof Response) || !registryAnswer.ok) {
      throw new Error(
        `No schema registry at ${registryUrl} (set SCHEMA_REGISTRY_URL, or run npm run stack:up)`,
      );
    }
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: testTopic.name,
          numPartitions: testTopic.partitions,
          replicationFactor: 1,
          configEntries: topicConfigEntries(testTopic, { replicationFactor: 1 }),
        },
      ],
    });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await admin.deleteTopics({ topics: [testTopic.name] }).catch(() => undefined);
    await admin.disconnect();
    await deleteSubject(valueSubject(testTopic));
  });

  it('registers the value schema under <topic>-value with BACKWARD compatibility, idempotently', async () => {
    const serde = createSerde({ registryUrl });

    const schemaId = await serde.register(testTopic);
    const again = await createSerde({ registryUrl }).register(testTopic);

    expect(again).toBe(schemaId);
    const latest = (await (
      await fetch(
        `${registryUrl}/subjects/${encodeURIComponent(valueSubject(testTopic))}/versions/latest`,
      )
    ).json()) as { id: number };
    expect(latest.id).toBe(schemaId);
    const config = (await (
      await fetch(`${registryUrl}/config/${encodeURIComponent(valueSubject(testTopic))}`)
    ).json()) as { compatibilityLevel: string };
    expect(config.compatibilityLevel).toBe('BACKWARD');
  });

  it('round-trips a WelfareEvent through the broker, the consumer resolving the schema by id', async () => {
    const producingSerde = createSerde({ registryUrl });
    await producingSerde.register(testTopic);
    const consumingSerde = createSerde({ registryUrl }); // empty cache: must fetch the writer by id
    const events: readonly WelfareEvent[] = [
      aWelfareEvent(),
      aWelfareEventOfKind('Measurement', { patient: null }),
    ];
    const received: WelfareEvent[] = [];
    let done: () => void = () => undefined;
    const allReceived = new Promise<void>((resolve) => {
      done = resolve;
    });

    consumer = kafka.consumer({ groupId: `schemas-int-${suffix}` });
    await consumer.connect();
    await consumer.subscribe({ topic: testTopic.name, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.value !== null) {
          received.push(await consumingSerde.decode(testTopic, message.value));
        }
        if (received.length === events.length) {
          done();
        }
      },
    });
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({
      topic: testTopic.name,
      acks: -1,
      messages: events.map((event) => ({
        key: event.patient?.patientKey ?? event.eventId,
        value: producingSerde.encode(testTopic, event),
      })),
    });
    await allReceived;

    expect(received).toEqual(events);
  });

  it('is refused by the registry when a schema is not BACKWARD compatible', async () => {
    const registry = createConfluentSchemaRegistry({ registryUrl });
    await createSerde({ registry }).register(testTopic);
    const breaking = JSON.stringify({
      type: 'record',
      name: 'WelfareEvent',
      namespace: 'no.knutepunkt.v1',
      fields: [{ name: 'ward', type: 'string' }],
    });

    const error: unknown = await registry.register(valueSubject(testTopic), breaking).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );

    expect(isSerdeError(error, 'SERDE.REGISTRATION_REJECTED')).toBe(true);
  });

  it('reports a schema id the registry does not know', async () => {
    const serde = createSerde({ registryUrl });
    const message = Buffer.alloc(confluentHeaderLength + 1);
    message.writeInt32BE(2_000_000_000, 1);

    const error: unknown = await serde.decode(testTopic, message).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );

    expect(isSerdeError(error, 'SERDE.UNKNOWN_SCHEMA_ID')).toBe(true);
  });
});
