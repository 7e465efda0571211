import { randomUUID } from 'node:crypto';
import { CoalescingProducer, createKafka, ensureTopics } from '@knutepunkt/kafka';
import {
  createSerde,
  registerAll,
  Topics,
  type ConsentState,
  type WelfareEvent,
} from '@knutepunkt/schemas';
import { aMunicipality, aWelfareEvent, aFreshOrgnr } from '@knutepunkt/schemas/testing';
import { runService } from '@knutepunkt/service';
import { publishRegistryEntries } from '@knutepunkt/service/testing';
import { integrationEnv, uniqueName } from '@knutepunkt/testing';
import { consentService } from '../consent.service';
import { DecisionState } from '../decide/decision-state';

/**
 * `node -r @swc-node/register apps/consent/src/bench/consent-decisions.bench.ts
 * [--patients 100000] [--events 20000]`: consent decisions per second through the real broker —
 * events produced on `knutepunkt.normalized.v1`, decided by the consent service against
 * `--patients` registered patients held in memory, ConsentedEvents counted on
 * `knutepunkt.consented.v1` — beside the raw ceiling of the same broker: the same records
 * consumed from one scratch topic and produced (acks=all) to another by a bare batch loop.
 *
 * The patients are put straight into the service's in-memory state (what every decision
 * reads), not published on the compacted `knutepunkt.consent.changes.v1`, so the bench does
 * not leave 100,000 states on a topic every consent replica reads at start. Events of other
 * runs waiting on the consent consumer group are decided too and slow the figure down.
 */
const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer`);
  return value;
};

type Kafka = ReturnType<typeof createKafka>;

const benchSystem = 'https://epj.knutepunkt.test/fhir/sid/bench';

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
  const ends = new Map(offsets.map((p) => [p.partition, BigInt(p.high)]));
  await admin.disconnect();
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

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function main(): Promise<void> {
  const patients = argument('patients', 100_000);
  const events = argument('events', 20_000);
  const env = integrationEnv({ LOG_LEVEL: 'warn' });
  const brokers = (env['KAFKA_BROKERS'] ?? '').split(',');
  const serde = createSerde({ registryUrl: env['SCHEMA_REGISTRY_URL'] ?? '' });
  const kafka = createKafka({ brokers, clientId: 'consent-bench' });
  const orgnr = aFreshOrgnr();
  await publishRegistryEntries([
    {
      kind: 'municipality',
      municipality: aMunicipality({ orgnr, policy: { mode: 'opt-out', holdFor: 'PT24H' } }),
    },
  ]);
  const service = await runService(consentService, env);
  const producer = new CoalescingProducer(kafka);
  await producer.connect();
  try {
    const keys = Array.from({ length: patients }, (_, i) => i.toString(16).padStart(64, '0'));
    const state = service.app.get(DecisionState);
    keys.forEach((patientKey, i) => {
      const record: ConsentState = {
        orgnr,
        patientKey,
        registration: {
          registrationId: randomUUID(),
          identifiers: [{ system: benchSystem, value: String(i) }],
          services: ['TA', 'MD', 'DT'],
          validFrom: '2020-01-01',
          validTo: null,
          devices: [],
        },
        consents: [],
        policy: null,
        version: 1,
        changedAt: Date.now(),
      };
      state.apply(`${orgnr}:${patientKey}`, record);
    });
    const now = Date.now();
    const welfareEvents: WelfareEvent[] = Array.from({ length: events }, (_, i) => {
      const index = Math.floor(Math.random() * patients);
      return aWelfareEvent({
        eventId: randomUUID(),
        submissionId: randomUUID(),
        orgnr,
        urgent: false,
        occurredAt: now - i,
        receivedAt: now,
        patient: {
          identifier: { system: benchSystem, value: String(index) },
          patientKey: keys[index] ?? '',
        },
      });
    });
    await registerAll(serde, [Topics.normalized]);
    const messages = welfareEvents.map((event) => ({
      topic: Topics.normalized.name,
      key: event.patient?.patientKey ?? null,
      value: serde.encode(Topics.normalized, event),
    }));
    const bytes = messages.reduce((sum, m) => sum + m.value.length, 0) / messages.length;
    console.log(
      `consent benchmark: ${patients} registered patients in memory, ${events} events of ${Math.round(bytes)} bytes`,
    );

    // The consent service: normalized → decision → consented.
    const keySet = new Set(keys);
    const decided = await countFromNow(kafka, Topics.consented.name, keySet);
    const started = process.hrtime.bigint();
    await producer.send(messages);
    await until(() => decided.count() >= events, 600_000);
    const decisionSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    await decided.stop();
    const decisionsPerSecond = events / decisionSeconds;
    console.log(
      `consent decisions (normalized → decide → consented + status): ${decisionsPerSecond.toFixed(0)} events/s (${decisionSeconds.toFixed(2)} s)`,
    );

    // The ceiling: the same records consumed and produced by a bare batch loop.
    const source = uniqueName('knutepunkt.bench-consent-source');
    const sink = uniqueName('knutepunkt.bench-consent-sink');
    await ensureTopics(
      kafka,
      [source, sink].map((name) => ({
        name,
        partitions: Topics.normalized.partitions,
        configEntries: [{ name: 'max.message.bytes', value: String(4 * 1024 * 1024) }],
      })),
      1,
    );
    const copied = await countFromNow(kafka, sink, keySet);
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
    await producer.send(messages.map((m) => ({ ...m, topic: source })));
    await until(() => copied.count() >= events, 600_000);
    const ceilingSeconds = Number(process.hrtime.bigint() - ceilingStarted) / 1e9;
    await copied.stop();
    await relay.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [source, sink] });
    await admin.disconnect();

    const ceilingPerSecond = events / ceilingSeconds;
    console.log(
      `raw consume-and-produce ceiling (same broker, same records):  ${ceilingPerSecond.toFixed(0)} events/s (${ceilingSeconds.toFixed(2)} s)`,
    );
    console.log(
      `ratio: ${((decisionsPerSecond / ceilingPerSecond) * 100).toFixed(0)} % of the ceiling`,
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
