/**
 * Smoke test of the devstack's schema registry with the serde the services use:
 *
 *   node -r @swc-node/register tools/devstack/schema-registry/verify.ts [--restart]
 *
 * Starts the registry through its Component when it does not answer, registers an Avro schema
 * with @kafkajs/confluent-schema-registry, round-trips a record through Kafka (when Kafka answers
 * on 127.0.0.1:9092), checks that an incompatible change is refused with 409 and a compatible one
 * accepted; with --restart, stops and starts the registry and checks the schemas are still there.
 * Ends with "N passed, N failed"; exit code 1 when something failed.
 */
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaAnswers } from '../src/components/kafka';
import {
  registryAnswers,
  schemaRegistry,
  schemaRegistryUrl,
} from '../src/components/schema-registry';
import { kafkaBrokers, loadConfig } from '../src/config';
import { stackPaths } from '../src/paths';

const SUBJECT = 'devstack.verify-value';
const TOPIC = 'devstack.verify';

const v1 = {
  type: 'record',
  name: 'Verify',
  namespace: 'no.knutepunkt.devstack',
  fields: [
    { name: 'runId', type: 'string' },
    { name: 'count', type: 'int' },
  ],
};
/** BACKWARD-compatible: a new optional field with a default. */
const v2 = {
  ...v1,
  fields: [...v1.fields, { name: 'note', type: ['null', 'string'], default: null }],
};
/** Not BACKWARD-compatible: a new field without a default cannot be read from v1 data. */
const incompatible = { ...v1, fields: [...v1.fields, { name: 'required', type: 'long' }] };

let passed = 0;
let failed = 0;

async function check(name: string, fn: () => Promise<string>): Promise<void> {
  const started = Date.now();
  try {
    const detail = await fn();
    passed += 1;
    console.log(`ok    ${name} (${Date.now() - started} ms)${detail === '' ? '' : `: ${detail}`}`);
  } catch (error: unknown) {
    failed += 1;
    console.log(`FAIL  ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function assert(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

async function startRegistry(): Promise<string> {
  const paths = stackPaths();
  const started = Date.now();
  await schemaRegistry.start(paths);
  return `answered after ${((Date.now() - started) / 1000).toFixed(1)} s`;
}

async function main(): Promise<void> {
  const restart = process.argv.includes('--restart');
  const config = loadConfig();
  const registry = new SchemaRegistry({ host: schemaRegistryUrl });
  const runId = `run-${Date.now()}`;
  console.log(`registry: ${schemaRegistryUrl}`);

  if (!(await registryAnswers(config)))
    await check('start the registry through its Component', startRegistry);

  let v1Id = 0;
  await check('register v1 (Avro)', async () => {
    v1Id = (
      await registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(v1) },
        { subject: SUBJECT },
      )
    ).id;
    const again = (
      await registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(v1) },
        { subject: SUBJECT },
      )
    ).id;
    assert(again === v1Id, `registering the same schema again gave id ${again}, not ${v1Id}`);
    return `id ${v1Id}, same id when registered again`;
  });

  await check('global compatibility is BACKWARD', async () => {
    const response = await fetch(`${schemaRegistryUrl}/config`);
    const body = (await response.json()) as { compatibilityLevel?: string };
    assert(body.compatibilityLevel === 'BACKWARD', `GET /config said ${JSON.stringify(body)}`);
    return JSON.stringify(body);
  });

  await check('encode and decode a record', async () => {
    const encoded = await registry.encode(v1Id, { runId, count: 1 });
    assert(
      encoded[0] === 0 && encoded.readInt32BE(1) === v1Id,
      'no Confluent wire header with the schema id',
    );
    const decoded = (await registry.decode(encoded)) as { runId: string; count: number };
    assert(decoded.runId === runId && decoded.count === 1, `decoded ${JSON.stringify(decoded)}`);
    return `${encoded.length} bytes, decoded ${JSON.stringify(decoded)}`;
  });

  if (await kafkaAnswers(config)) {
    await check(`through Kafka topic ${TOPIC}`, () =>
      roundTripThroughKafka(registry, v1Id, runId, kafkaBrokers(config)),
    );
  } else {
    console.log(`skip  through Kafka: nothing answers on ${kafkaBrokers(config).join(',')}`);
  }

  await check('an incompatible change is refused with 409', async () => {
    try {
      await registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(incompatible) },
        { subject: SUBJECT },
      );
    } catch (error: unknown) {
      const status = (error as { status?: number }).status;
      assert(status === 409, `expected HTTP 409, got ${status}: ${(error as Error).message}`);
      return `409: ${(error as Error).message}`;
    }
    throw new Error('the incompatible schema was registered');
  });

  let v2Id = 0;
  await check('a compatible change (optional field with default) is accepted', async () => {
    v2Id = (
      await registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(v2) },
        { subject: SUBJECT },
      )
    ).id;
    const latest = await registry.getLatestSchemaId(SUBJECT);
    assert(latest === v2Id, `latest is ${latest}, not ${v2Id}`);
    return `id ${v2Id}`;
  });

  if (restart) {
    const paths = stackPaths();
    await check('stop the registry through its Component', async () => {
      await schemaRegistry.stop(paths);
      assert(!(await registryAnswers(config)), 'it still answers');
      return '';
    });
    await check('start it again', startRegistry);
    await check('the schemas survived the restart', async () => {
      const fresh = new SchemaRegistry({ host: schemaRegistryUrl });
      const latest = await fresh.getLatestSchemaId(SUBJECT);
      const byLookup = await fresh.getRegistryIdBySchema(SUBJECT, {
        type: SchemaType.AVRO,
        schema: JSON.stringify(v1),
      });
      const decoded = (await fresh.decode(await registry.encode(v1Id, { runId, count: 2 }))) as {
        count: number;
      };
      assert(
        latest === v2Id && byLookup === v1Id && decoded.count === 2,
        `latest ${latest}, v1 ${byLookup}`,
      );
      return `latest id ${latest}, v1 still id ${byLookup}`;
    });
  }

  console.log(`\n${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

async function roundTripThroughKafka(
  registry: SchemaRegistry,
  schemaId: number,
  runId: string,
  brokers: string[],
): Promise<string> {
  const kafka = new Kafka({ clientId: 'devstack-verify', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [{ topic: TOPIC, numPartitions: 1 }],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({
      topic: TOPIC,
      messages: [{ key: runId, value: await registry.encode(schemaId, { runId, count: 42 }) }],
    });
  } finally {
    await producer.disconnect();
  }
  const consumer = kafka.consumer({ groupId: `devstack-verify-${runId}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    const found = await new Promise<{ count: number }>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error('no message of this run within 30 s'));
      }, 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (message.key?.toString() !== runId || message.value === null) return;
          clearTimeout(timer);
          resolve((await registry.decode(message.value)) as { count: number });
        },
      });
    });
    assert(found.count === 42, `decoded ${JSON.stringify(found)}`);
    return `produced and consumed, decoded ${JSON.stringify(found)}`;
  } finally {
    await consumer.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
