import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureStack, type StackInfo } from '@knutepunkt/devstack';
import { createKafka } from '@knutepunkt/kafka';
import { HubClient, Platform, type SubmissionStatusBody } from '@knutepunkt/platform';
import { Topics } from '@knutepunkt/schemas';
import { aFreshOrgnr } from '@knutepunkt/schemas/testing';
import { Simulator, type Accepted } from '@knutepunkt/simulator';
import { integrationEnv } from '@knutepunkt/testing';
import { percentile } from './percentile';
import { urgentUnderBacklog, type AlarmLatency } from './urgent-under-backlog';

const root = join(__dirname, '..', '..', '..');
const kafkaLibs = join(root, '.local', 'kafka', 'libs');

interface Step {
  readonly offered: number;
  readonly accepted: number;
  readonly delivered: number;
  /** Deliveries per second from the first acceptance to the last delivery. */
  readonly sustained: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Failed or withheld, with a reason: not part of the latency. */
  readonly failed: number;
  /** Accepted but in no final state when the step's deadline passed. */
  readonly behind: number;
}

/**
 * `npm run bench:e2e [-- --rates 5,10,20,40 --seconds 20 --backlog 100000 --alarms 20]`: an open-model load (constant
 * arrival rate, simulated vendors over HTTP) at increasing rates through the five services as
 * processes, until the pipeline stops keeping up; per rate the sustained events/s and the
 * latency from the vendor's (accepted) request to `delivered` as the journal-writer recorded it. In the
 * same run the broker's own ceiling for records of the same size: Kafka's ProducerPerformance
 * and a raw kafkajs consume, and the pipeline/ceiling ratio. Then (unless `--backlog 0`) safety
 * alarms alone and over a backlog of routine measurements (urgent-under-backlog.ts).
 */
export async function benchE2e(
  rates: readonly number[],
  seconds: number,
  backlog: { readonly records: number; readonly alarms: number },
): Promise<void> {
  const stack = await ensureStack();
  const env = integrationEnv({
    KAFKA_BROKERS: stack.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
    DATABASE_URL: stack.testDatabaseUrl,
    LOG_LEVEL: 'warn',
  });
  const platform = await Platform.start({
    env,
    logDir: join(root, '.local', 'logs', 'bench-e2e'),
    ports: 'free',
  });
  const steps: Step[] = [];
  let recordBytes = 0;
  try {
    const hub = HubClient.of(platform);
    const tenants = [aFreshOrgnr(), aFreshOrgnr()].map((orgnr) => ({
      orgnr,
      vendor: `bench-vendor-${orgnr}`,
      epj: `bench-epj-${orgnr}`,
    }));
    const simulator = await Simulator.seed(hub, tenants, {
      patients: 200,
      reservedShare: 0,
      firstSeed: Math.floor(Math.random() * 20_000),
    });
    console.log(
      `end-to-end benchmark: ${String(seconds)} s per rate, 2 municipalities × 200 patients, five services as processes`,
    );
    for (const rate of rates) {
      const before = simulator.accepted.length;
      await simulator.run({ ratePerSecond: rate, durationMs: seconds * 1000 });
      const accepted = simulator.accepted.slice(before);
      recordBytes = Math.max(recordBytes, averageBytes(accepted));
      const step = await measure(hub, rate, accepted, 60_000);
      steps.push(step);
      console.log(line(step));
      if (step.behind > 0 || step.sustained < rate * 0.8) {
        console.log(`  → stops keeping up at ${String(rate)} events/s`);
        break;
      }
    }
    const [tenant] = tenants;
    const [municipality] = simulator.municipalities;
    if (backlog.records > 0 && tenant && municipality) {
      const urgent = await urgentUnderBacklog({
        hub,
        platform,
        env,
        tenant,
        municipality,
        backlog: backlog.records,
        alarms: backlog.alarms,
        log: (text) => {
          console.log(`  ${text}`);
        },
      });
      console.log(`urgent alarms alone:                ${alarmLine(urgent.alone)}`);
      console.log(
        `urgent alarms over a ${String(urgent.backlog)} backlog: ${alarmLine(urgent.underBacklog)}`,
      );
      console.log(
        `  routine events still waiting for consent when the alarms were through: ${String(urgent.backlogLeftAtConsent)}; backlog drained in ${urgent.drainSeconds === null ? 'more than 30 min' : `${urgent.drainSeconds.toFixed(0)} s (${(urgent.backlog / urgent.drainSeconds).toFixed(0)} events/s)`}`,
      );
      console.log(
        `  ratio p99 under backlog / alone: ${(urgent.underBacklog.p99Ms / urgent.alone.p99Ms).toFixed(2)}`,
      );
    }
  } finally {
    await platform.stop();
  }
  const ceiling = await brokerCeiling(stack, Math.max(recordBytes, 1000), 50_000);
  const best = Math.max(...steps.map((s) => s.sustained));
  console.log(
    `broker ceiling, ${String(Math.round(recordBytes))}-byte records: ProducerPerformance ${ceiling.produce.toFixed(0)} records/s (acks=all), raw consume ${ceiling.consume.toFixed(0)} records/s`,
  );
  console.log(
    `ratio pipeline / broker: ${(best / ceiling.produce).toFixed(4)} of the producer ceiling, ${(best / ceiling.consume).toFixed(4)} of the consume ceiling (best sustained ${best.toFixed(1)} events/s)`,
  );
}

async function measure(
  hub: HubClient,
  offered: number,
  accepted: readonly Accepted[],
  timeoutMs: number,
): Promise<Step> {
  const statuses = new Map<string, SubmissionStatusBody>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = accepted.filter((a) => !isFinal(statuses.get(a.submissionId)));
    await Promise.all(
      open.map(async (a) => {
        const status = await hub.statusOf(a.vendor, a.location).catch(() => undefined);
        if (status) statuses.set(a.submissionId, status);
      }),
    );
    const stillOpen = accepted.filter((a) => !isFinal(statuses.get(a.submissionId)));
    if (stillOpen.length === 0 || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  // From the accepted request's send to `delivered` as the journal-writer recorded it (one clock).
  const deliveries = accepted.flatMap((a) => {
    const delivered = statuses.get(a.submissionId)?.delivered;
    return delivered == null ? [] : [{ accepted: a.sentAt, delivered: Date.parse(delivered) }];
  });
  const latencies = deliveries.map((d) => d.delivered - d.accepted).sort((x, y) => x - y);
  const first = Math.min(...deliveries.map((d) => d.accepted));
  const last = Math.max(...deliveries.map((d) => d.delivered));
  const delivered = deliveries;
  return {
    offered,
    accepted: accepted.length,
    delivered: delivered.length,
    sustained: delivered.length / Math.max((last - first) / 1000, 0.001),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    failed: [...statuses.values()].filter((s) => s.failed !== null || s.withheld !== null).length,
    behind: accepted.filter((a) => !isFinal(statuses.get(a.submissionId))).length,
  };
}

/** Delivered, or stopped short of it with a reason (failed, withheld). */
function isFinal(status: SubmissionStatusBody | undefined): boolean {
  return (
    status !== undefined &&
    (status.delivered !== null || status.failed !== null || status.withheld !== null)
  );
}

/**
 * What the broker does alone with records of this size: Kafka's ProducerPerformance (acks=all,
 * as the services produce) into a fresh topic, then a kafkajs consumer reading them all.
 */
async function brokerCeiling(
  stack: StackInfo,
  recordBytes: number,
  records: number,
): Promise<{ produce: number; consume: number }> {
  if (!readdirSync(kafkaLibs).some((jar) => jar.startsWith('kafka-tools-'))) {
    throw new Error(
      'the Kafka tools jar is missing: restart the stack (npm run stack:down && npm run stack:up) to fetch it',
    );
  }
  const topic = `bench-ceiling-${Date.now().toString(36)}`;
  const kafka = createKafka({ brokers: stack.kafkaBrokers, clientId: 'bench-ceiling' });
  const admin = kafka.admin();
  await admin.connect();
  // As many partitions as the pipeline's topics (the broker creates no topic by itself).
  await admin.createTopics({
    topics: [{ topic, numPartitions: Topics.accepted.partitions, replicationFactor: 1 }],
  });
  const output = await runJava([
    '-cp',
    `${kafkaLibs}/*`,
    'org.apache.kafka.tools.ProducerPerformance',
    '--topic',
    topic,
    '--num-records',
    String(records),
    '--record-size',
    String(Math.round(recordBytes)),
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=${stack.kafkaBrokers.join(',')}`,
    'acks=all',
  ]);
  const summary = /(\d+) records sent, ([\d.]+) records\/sec/.exec(
    output.split('\n').filter(Boolean).at(-1) ?? '',
  );
  if (!summary?.[2]) throw new Error(`ProducerPerformance said:\n${output}`);
  const produce = Number(summary[2]);

  const consumer = kafka.consumer({ groupId: `${topic}-reader` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let read = 0;
  let started = 0;
  const consume = await new Promise<number>((resolve) => {
    void consumer.run({
      eachBatch: ({ batch }) => {
        if (started === 0) started = Date.now();
        read += batch.messages.length;
        if (read >= records) resolve(read / ((Date.now() - started) / 1000));
        return Promise.resolve();
      },
    });
  });
  await consumer.disconnect();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  return { produce, consume };
}

function runJava(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`java exited ${String(code)}:\n${output}`));
    });
  });
}

function averageBytes(accepted: readonly Accepted[]): number {
  if (accepted.length === 0) return 0;
  return accepted.reduce((sum, a) => sum + Buffer.byteLength(a.event.body), 0) / accepted.length;
}

function alarmLine(latency: AlarmLatency): string {
  const stages = latency.stagesP50Ms;
  return `${String(latency.delivered)}/${String(latency.sent)} delivered, submit→delivered p50 ${String(latency.p50Ms)} ms p99 ${String(latency.p99Ms)} ms max ${String(latency.maxMs)} ms (p50 per stage: →normalized ${String(stages.normalized)}, →consented ${String(stages.consented)}, →delivered ${String(stages.delivered)} ms)`;
}

function line(step: Step): string {
  return `offered ${String(step.offered).padStart(4)} events/s: accepted ${String(step.accepted)}, delivered ${String(step.delivered)}, sustained ${step.sustained.toFixed(1)} events/s, submit→delivered p50 ${String(step.p50Ms)} ms p99 ${String(step.p99Ms)} ms${step.failed > 0 ? `, ${String(step.failed)} failed or withheld` : ''}${step.behind > 0 ? `, ${String(step.behind)} not final within 60 s` : ''}`;
}
