import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CoalescingProducer,
  createKafka,
  ensureTopics,
  type OutgoingMessage,
} from '@knutepunkt/kafka';
import { aVkpAlarmBundle, aVkpBloodPressureObservation, vkpJson } from '@knutepunkt/fhir/testing';
import { createSerde, registerAll, Topics, type AcceptedSubmission } from '@knutepunkt/schemas';
import {
  aClient,
  aFreshOrgnr,
  aMunicipality,
  anAcceptedSubmission,
} from '@knutepunkt/schemas/testing';
import { consumerGroupOf, runService } from '@knutepunkt/service';
import { publishRegistryEntries } from '@knutepunkt/service/testing';
import { integrationEnv, uniqueName } from '@knutepunkt/testing';
import { deviceEnvelope } from '@knutepunkt/device-templates';
import { loadNormalizerTemplates } from '../device-templates/device-template-files';
import { normalizeAccepted } from '../domain';
import { normalizerService } from '../normalizer.service';

/**
 * `npm run bench:normalizer [-- --records 20000 --mix both|fhir|templates]`: WelfareEvents per
 * second through the real broker — a backlog of AcceptedSubmissions produced on
 * `knutepunkt.accepted.v1` (acks=all) and drained by the normalizer service (decode, map, rules,
 * produce events and statuses), finished when every status is on `knutepunkt.status.v1` — beside
 * the raw ceiling of the same broker: the same records consumed from one scratch topic and
 * produced (acks=all) to another by a bare batch loop with no mapping. Both timings include the
 * backlog's produce, which overlaps the draining.
 *
 * The mix: VKP alarm Bundles and blood-pressure Observations (FHIR), and the three vendor
 * templates' example documents in ingest's envelope (doseguard 3 events, nattro 1, tensio 3).
 * The normalizer joins the consumer group `knutepunkt-normalizer`: a normalizer already running
 * against this broker (e.g. `npm start`) shares the backlog, and the bench says so.
 */
const argument = (name: string, fallback: string): string => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
};

type Kafka = ReturnType<typeof createKafka>;

const root = join(__dirname, '..', '..', '..', '..');
const templateRefs = ['doseguard-event-log.v1', 'nattro-bed-sensor.v1', 'tensio-bp-cuff.v1'];

function envelopeOf(ref: string): string {
  const bytes = readFileSync(
    join(root, 'apps/normalizer/templates/examples', `${ref}.example.json`),
    'utf8',
  );
  return deviceEnvelope(bytes, ref);
}

/** Counts the records on `topic` whose key is in `keys`, from the end as it is now. */
async function countFromNow(
  kafka: Kafka,
  topic: string,
  keys: ReadonlySet<string>,
): Promise<{ readonly count: () => number; readonly stop: () => Promise<void> }> {
  const admin = kafka.admin();
  await admin.connect();
  let offsets;
  for (let attempt = 1; ; attempt += 1) {
    try {
      offsets = await admin.fetchTopicOffsets(topic);
      break;
    } catch (error) {
      // A topic made a moment ago may not have its leaders yet.
      if (attempt >= 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  await admin.disconnect();
  const ends = new Map(offsets.map((p) => [p.partition, BigInt(p.high)]));
  let seen = 0;
  const consumer = kafka.consumer({ groupId: `bench-counter-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let caughtUp: () => void = () => undefined;
  const atEnd = new Promise<void>((resolve) => (caughtUp = resolve));
  const reached = new Map<number, bigint>();
  const check = () => {
    if ([...ends].every(([p, end]) => end === 0n || (reached.get(p) ?? 0n) >= end)) caughtUp();
  };
  check();
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const end = ends.get(batch.partition) ?? 0n;
      for (const message of batch.messages) {
        if (BigInt(message.offset) >= end && message.key && keys.has(message.key.toString()))
          seen += 1;
      }
      reached.set(batch.partition, BigInt(batch.lastOffset()) + 1n);
      check();
      await Promise.resolve();
    },
  });
  await atEnd;
  return { count: () => seen, stop: () => consumer.disconnect() };
}

/** A topic made a moment ago may not have its partition leaders yet. */
async function waitForLeaders(kafka: Kafka, topics: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt += 1) {
      const metadata = await admin.fetchTopicMetadata({ topics: [...topics] }).catch(() => null);
      const ready = metadata?.topics.every((topic) =>
        topic.partitions.every((partition) => partition.leader >= 0),
      );
      if (ready === true) return;
      if (attempt >= 60) throw new Error(`no leaders for ${topics.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await admin.disconnect();
  }
}

/** The backlog in requests of 250 records, all queued at once (one send is one produce request). */
function sendAll(
  producer: CoalescingProducer,
  messages: readonly OutgoingMessage[],
): Promise<void> {
  const chunks: OutgoingMessage[][] = [];
  for (let i = 0; i < messages.length; i += 250) chunks.push(messages.slice(i, i + 250));
  return Promise.all(chunks.map((chunk) => producer.send(chunk))).then(() => undefined);
}

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function main(): Promise<void> {
  const records = Number(argument('records', '20000'));
  const mix = argument('mix', 'both');
  if (!Number.isInteger(records) || records < 1) throw new Error('--records: a positive integer');
  if (!['both', 'fhir', 'templates'].includes(mix)) throw new Error('--mix: both|fhir|templates');
  const env = integrationEnv({ LOG_LEVEL: 'warn' });
  const brokers = (env['KAFKA_BROKERS'] ?? '').split(',');
  const serde = createSerde({ registryUrl: env['SCHEMA_REGISTRY_URL'] ?? '' });
  const kafka = createKafka({ brokers, clientId: 'normalizer-bench' });
  const orgnr = aFreshOrgnr();
  const clientId = uniqueName('bench-normalizer-vendor');
  await publishRegistryEntries([
    { kind: 'municipality', municipality: aMunicipality({ orgnr }) },
    {
      kind: 'client',
      client: aClient({
        clientId,
        municipalities: [orgnr],
        services: ['TA', 'GPS', 'MD', 'DT', 'DHO'],
      }),
    },
  ]);

  const bodies: { resourceType: string; fhirJson: string }[] = [
    ...(mix === 'templates'
      ? []
      : [
          { resourceType: 'Bundle', fhirJson: vkpJson(aVkpAlarmBundle()) },
          { resourceType: 'Observation', fhirJson: vkpJson(aVkpBloodPressureObservation()) },
        ]),
    ...(mix === 'fhir'
      ? []
      : templateRefs.map((ref) => ({ resourceType: 'Bundle', fhirJson: envelopeOf(ref) }))),
  ];
  const submissionOf = (body: { resourceType: string; fhirJson: string }): AcceptedSubmission =>
    anAcceptedSubmission({
      ...body,
      submissionId: randomUUID(),
      clientId,
      orgnr,
      receivedAt: Date.now(),
      idempotencyKey: null,
      patientKey: null,
    });
  // The events each kind of record gives (and a check that each maps), as the service computes them.
  const context = {
    templates: loadNormalizerTemplates(),
    environment: 'test' as const,
    patientKey: () => '0'.repeat(64),
  };
  const kinds = bodies.map((body) => {
    const result = normalizeAccepted(submissionOf(body), context);
    if (!result.ok) throw new Error(`bench record does not map: ${result.error.message}`);
    return { body, events: result.value.length };
  });
  const submissions: AcceptedSubmission[] = [];
  let expectedEvents = 0;
  for (let i = 0; i < records; i += 1) {
    const kind = kinds[i % kinds.length];
    if (kind === undefined) throw new Error('no records to send');
    submissions.push(submissionOf(kind.body));
    expectedEvents += kind.events;
  }

  await registerAll(serde, [Topics.accepted]);
  const messages: OutgoingMessage[] = submissions.map((submission) => ({
    topic: Topics.accepted.name,
    key: submission.submissionId,
    value: serde.encode(Topics.accepted, submission),
  }));
  const bytes = messages.reduce((sum, m) => sum + (m.value?.length ?? 0), 0) / messages.length;
  console.log(
    `normalizer benchmark: ${records} accepted records (${mix}: ${bodies.length} kinds, mean ${Math.round(bytes)} bytes) → ${expectedEvents} events, ${process.env['HOSTNAME'] ?? 'this machine'}`,
  );

  const service = await runService(normalizerService, env);
  const producer = new CoalescingProducer(kafka);
  await producer.connect();
  try {
    const admin = kafka.admin();
    await admin.connect();
    const { groups } = await admin.describeGroups([consumerGroupOf('normalizer')]);
    await admin.disconnect();
    const members = groups[0]?.members.length ?? 0;
    if (members > 1) {
      console.log(
        `note: ${members} members in ${consumerGroupOf('normalizer')}: another normalizer shares this backlog`,
      );
    }
    // The normalizer: accepted → map → normalized(+urgent) + one status per event.
    const keys = new Set(submissions.map((s) => s.submissionId));
    const statuses = await countFromNow(kafka, Topics.status.name, keys);
    const started = process.hrtime.bigint();
    await sendAll(producer, messages);
    await until(() => statuses.count() >= expectedEvents, 600_000);
    const normalizeSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    await statuses.stop();
    const eventsPerSecond = expectedEvents / normalizeSeconds;
    const recordsPerSecond = records / normalizeSeconds;
    console.log(
      `normalizer (accepted → map → normalized + status): ${eventsPerSecond.toFixed(0)} events/s, ${recordsPerSecond.toFixed(0)} records/s (${normalizeSeconds.toFixed(2)} s)`,
    );

    // The ceiling: the same records consumed and produced by a bare batch loop.
    const source = uniqueName('knutepunkt.bench-normalizer-source');
    const sink = uniqueName('knutepunkt.bench-normalizer-sink');
    await ensureTopics(
      kafka,
      [source, sink].map((name) => ({
        name,
        partitions: Topics.accepted.partitions,
        configEntries: [{ name: 'max.message.bytes', value: String(4 * 1024 * 1024) }],
      })),
      1,
    );
    await waitForLeaders(kafka, [source, sink]);
    // The producer's metadata learns the new topics before the clock starts.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await producer.send([
          { topic: source, key: 'warm-up', value: Buffer.from('x') },
          { topic: sink, key: 'warm-up', value: Buffer.from('x') },
        ]);
        break;
      } catch (error) {
        if (attempt >= 40) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    const copied = await countFromNow(kafka, sink, keys);
    const relay = kafka.consumer({ groupId: uniqueName('bench-relay') });
    await relay.connect();
    await relay.subscribe({ topic: source, fromBeginning: true });
    await relay.run({
      eachBatch: async ({ batch }) => {
        await producer.send(
          batch.messages.map((m) => ({
            topic: sink,
            key: m.key?.toString() ?? null,
            value: m.value,
          })),
        );
      },
    });
    const ceilingStarted = process.hrtime.bigint();
    await sendAll(
      producer,
      messages.map((m) => ({ ...m, topic: source })),
    );
    await until(() => copied.count() >= records, 600_000);
    const ceilingSeconds = Number(process.hrtime.bigint() - ceilingStarted) / 1e9;
    await copied.stop();
    await relay.disconnect();
    const cleanup = kafka.admin();
    await cleanup.connect();
    await cleanup.deleteTopics({ topics: [source, sink] });
    await cleanup.disconnect();

    const ceilingPerSecond = records / ceilingSeconds;
    console.log(
      `raw consume-and-produce ceiling (same broker, same records, no mapping): ${ceilingPerSecond.toFixed(0)} records/s (${ceilingSeconds.toFixed(2)} s)`,
    );
    console.log(
      `ratio normalizer / ceiling: ${(recordsPerSecond / ceilingPerSecond).toFixed(3)} (records/s); the normalizer writes ${(expectedEvents / records).toFixed(2)} events + as many statuses per record`,
    );
  } finally {
    await producer.disconnect();
    await service.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
