import { ensureStack, stackStatus, stopStack } from '@knutepunkt/devstack';
import { createKafka } from '@knutepunkt/kafka';
import { readTopic, recordsBehind, recordsOn } from '@knutepunkt/kafka/testing';
import { HubClient, localApps, Platform, type SubmissionStatusBody } from '@knutepunkt/platform';
import { createSerde, epjTopic, type JournalEntry } from '@knutepunkt/schemas';
import { aFreshOrgnr } from '@knutepunkt/schemas/testing';
import { EpjPoller, Simulator, type Accepted, type SimulatedTenant } from '@knutepunkt/simulator';

export type Fault = 'kafka' | 'services' | 'postgres';

export interface ChaosOptions {
  /** The services' environment (Kafka, registry, database). */
  readonly env: Readonly<Record<string, string>>;
  readonly logDir: string;
  /** Simulated events per second, steady through the faults. */
  readonly ratePerSecond: number;
  /** Traffic before the first fault, between faults and after the last. */
  readonly settleMs: number;
  readonly faults: readonly Fault[];
  /** How long accepted submissions get to reach a final state once the traffic stops. */
  readonly drainTimeoutMs: number;
  readonly log?: (line: string) => void;
}

export interface ChaosReport {
  readonly sent: number;
  /** Events refused for good (4xx other than 429). */
  readonly refused: number;
  /** Events still unanswered when the vendors stopped retrying. */
  readonly givenUp: number;
  readonly accepted: number;
  readonly journaled: number;
  readonly withheld: number;
  readonly failed: number;
  /** Accepted, yet neither journaled, withheld nor failed by the end. */
  readonly lost: readonly string[];
  /** How far each lost submission got (`$status`'s last stage reached), counted per stage. */
  readonly lostAt: Readonly<Record<string, number>>;
  /**
   * When something was lost: records the services' consumer groups have not committed past
   * ("group topic: n"), and records on dead-letter topics, to tell which service stopped.
   */
  readonly backlog: readonly string[];
  /** Event ids with two journal entries (two entry ids) on their municipality's topic. */
  readonly duplicated: readonly string[];
  /**
   * Records that repeat an entry already on the topic: the outbox relay is at-least-once, so a
   * journal-writer killed between publishing and deleting its outbox rows sends them again
   * (ADR 0008; EPJ consumers dedupe by entryId, the read API never repeats an entry).
   */
  readonly redelivered: number;
  /** Patients whose routine entries reached the topic out of the order their events were accepted. */
  readonly outOfOrder: readonly string[];
  /** Accepted submissions whose final state is `failed`, with the reasons. */
  readonly failures: readonly { readonly submissionId: string; readonly reason: string | null }[];
  /** Services that exited without being killed by the run. */
  readonly crashed: readonly string[];
  readonly faultsInjected: readonly string[];
  readonly epjReadErrors: number;
}

/**
 * While simulated vendors send at a steady rate and simulated EPJs read and acknowledge: SIGKILL
 * the Kafka broker and start it again, SIGKILL each service in turn and start it again, restart
 * PostgreSQL. Then wait for every accepted submission to reach a final state and count what was
 * lost and what was duplicated at the sinks (issue 10).
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log =
    options.log ??
    ((line: string) => {
      console.log(line);
    });
  const crashed: string[] = [];
  const platform = await Platform.start({
    env: options.env,
    logDir: options.logDir,
    ports: 'free',
    onUnexpectedExit: (app, how) => {
      crashed.push(`${app} (${how})`);
      log(`!! ${app} exited by itself (${how})`);
    },
  });
  const faultsInjected: string[] = [];
  try {
    const hub = HubClient.of(platform);
    const tenants: SimulatedTenant[] = [aFreshOrgnr(), aFreshOrgnr()].map((orgnr) => ({
      orgnr,
      vendor: `chaos-vendor-${orgnr}`,
      epj: `chaos-epj-${orgnr}`,
    }));
    const simulator = await Simulator.seed(hub, tenants, {
      patients: 15,
      reservedShare: 0.1,
      firstSeed: Math.floor(Math.random() * 20_000),
    });
    const poller = new EpjPoller(hub, tenants);
    poller.start();
    let endTraffic: () => void = () => undefined;
    const trafficEnded = new Promise<void>((resolve) => {
      endTraffic = resolve;
    });
    const traffic = simulator.run({
      ratePerSecond: options.ratePerSecond,
      durationMs: Number.POSITIVE_INFINITY,
      arrivalsEnd: trafficEnded,
    });

    const settle = () => sleep(options.settleMs);
    await settle();
    for (const fault of options.faults) {
      for (const injected of await inject(fault, platform, settle, log)) {
        faultsInjected.push(injected);
      }
    }
    endTraffic();
    await traffic;
    log(
      `traffic stopped: sent ${String(simulator.counts.sent)}, accepted ${String(simulator.counts.accepted)}; waiting for final states`,
    );

    const finals = await finalStates(hub, simulator.accepted, options.drainTimeoutMs);
    const acceptedIds = new Set(simulator.accepted.map((a) => a.submissionId));
    await poller.stop();
    const topics = await journalEntriesOn(options.env, tenants);
    const withheldOrFailed = (s: SubmissionStatusBody) => s.withheld !== null || s.failed !== null;
    const statuses = [...finals.values()];
    const lost = [...acceptedIds].filter((id) => {
      const status = finals.get(id);
      return status === undefined || !isFinal(status);
    });
    const backlog = lost.length > 0 ? await pipelineBacklog(options.env) : [];
    return {
      sent: simulator.counts.sent,
      refused: simulator.counts.refused,
      givenUp: simulator.counts.givenUp,
      accepted: acceptedIds.size,
      journaled: statuses.filter((s) => s.journaled !== null && !withheldOrFailed(s)).length,
      withheld: statuses.filter((s) => s.withheld !== null).length,
      failed: statuses.filter((s) => s.failed !== null).length,
      lost,
      lostAt: countBy(lost.map((id) => furthestStage(finals.get(id)))),
      backlog,
      duplicated: duplicatedEventIds(topics),
      redelivered: topics.length - firstCopies(topics).length,
      outOfOrder: patientsOutOfOrder(simulator.accepted, firstCopies(topics)),
      failures: statuses
        .filter((s) => s.failed !== null)
        .map((s) => ({ submissionId: s.submissionId, reason: s.reason })),
      crashed,
      faultsInjected,
      epjReadErrors: poller.counts.errors,
    };
  } finally {
    await platform.stop();
  }
}

async function inject(
  fault: Fault,
  platform: Platform,
  settle: () => Promise<void>,
  log: (line: string) => void,
): Promise<string[]> {
  switch (fault) {
    case 'kafka': {
      const [kafka] = await stackStatus({ components: ['kafka'] });
      if (kafka?.pid === undefined)
        throw new Error('the Kafka broker is not one the devstack runs');
      log(`SIGKILL the Kafka broker (pid ${String(kafka.pid)})`);
      process.kill(kafka.pid, 'SIGKILL');
      await sleep(3000);
      await ensureStack({ components: ['kafka'] });
      log('Kafka broker started again');
      await settle();
      return ['kafka: SIGKILL and restart'];
    }
    case 'services': {
      const injected: string[] = [];
      for (const { name } of localApps) {
        log(`SIGKILL ${name}`);
        await platform.stopApp(name, 'SIGKILL');
        await platform.startApp(name);
        log(`${name} ready again`);
        injected.push(`${name}: SIGKILL and restart`);
        await settle();
      }
      return injected;
    }
    case 'postgres': {
      log('stop PostgreSQL for 10 s');
      await stopStack({ components: ['postgres'] });
      // Longer than the retries a poison message gets: a consumer must wait, not dead-letter.
      await sleep(10_000);
      await ensureStack({ components: ['postgres'] });
      log('PostgreSQL started again');
      await settle();
      return ['postgres: stopped for 10 s and started'];
    }
  }
}

const stages = ['read', 'delivered', 'consented', 'normalized', 'registered'] as const;

function furthestStage(status: SubmissionStatusBody | undefined): string {
  if (status === undefined) return 'no answer from $status';
  return stages.find((stage) => status[stage] !== null) ?? 'registered';
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function isFinal(status: SubmissionStatusBody): boolean {
  return status.journaled !== null || status.withheld !== null || status.failed !== null;
}

/** The `$status` of every accepted submission, polled until all are final or time is up. */
async function finalStates(
  hub: HubClient,
  accepted: readonly Accepted[],
  timeoutMs: number,
): Promise<Map<string, SubmissionStatusBody>> {
  const latest = new Map<string, SubmissionStatusBody>();
  const unique = new Map(accepted.map((a) => [a.submissionId, a]));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = [...unique.values()].filter((a) => {
      const status = latest.get(a.submissionId);
      return status === undefined || !isFinal(status);
    });
    for (const submission of open) {
      const status = await hub.statusOf(submission.vendor, submission.location).catch(() => null);
      if (status) latest.set(submission.submissionId, status);
    }
    const stillOpen = open.filter((a) => {
      const status = latest.get(a.submissionId);
      return status === undefined || !isFinal(status);
    });
    if (stillOpen.length === 0 || Date.now() > deadline) return latest;
    await sleep(2000);
  }
}

async function journalEntriesOn(
  env: Readonly<Record<string, string>>,
  tenants: readonly SimulatedTenant[],
): Promise<JournalEntry[]> {
  const serde = createSerde({ registryUrl: env['SCHEMA_REGISTRY_URL'] ?? '' });
  const brokers = (env['KAFKA_BROKERS'] ?? '').split(',');
  const entries: JournalEntry[] = [];
  for (const tenant of tenants) {
    const topic = await readTopic(brokers, epjTopic(tenant.orgnr).name);
    // The topic's end is not known to the reader: give it time to catch up.
    let count = -1;
    while (count !== topic.messages.length) {
      count = topic.messages.length;
      await sleep(3000);
    }
    for (const message of topic.messages) {
      if (message.value) entries.push(await serde.decode(epjTopic(tenant.orgnr), message.value));
    }
    await topic.close();
  }
  return entries;
}

async function pipelineBacklog(env: Readonly<Record<string, string>>): Promise<string[]> {
  const kafka = createKafka({
    brokers: (env['KAFKA_BROKERS'] ?? '').split(','),
    clientId: 'chaos-backlog',
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const lines: string[] = [];
    const { groups } = await admin.listGroups();
    for (const { groupId } of groups.filter((g) => g.groupId.startsWith('knutepunkt-'))) {
      for (const { topic } of await admin.fetchOffsets({ groupId })) {
        const waiting = await recordsBehind(admin, groupId, topic);
        if (waiting > 0) lines.push(`${groupId} ${topic}: ${String(waiting)} not committed`);
      }
    }
    for (const topic of (await admin.listTopics()).filter((t) => t.startsWith('knutepunkt.dlq.'))) {
      const dead = await recordsOn(admin, topic);
      if (dead > 0) lines.push(`${topic}: ${String(dead)} records`);
    }
    return lines;
  } finally {
    await admin.disconnect();
  }
}

function duplicatedEventIds(entries: readonly JournalEntry[]): string[] {
  const entryIds = new Map<string, Set<string>>();
  for (const entry of entries) {
    entryIds.set(entry.eventId, (entryIds.get(entry.eventId) ?? new Set()).add(entry.entryId));
  }
  return [...entryIds].filter(([, ids]) => ids.size > 1).map(([eventId]) => eventId);
}

/** Each entry once, where it first reached the topic (what a consumer deduping by entryId keeps). */
function firstCopies(entries: readonly JournalEntry[]): JournalEntry[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    if (seen.has(entry.entryId)) return false;
    seen.add(entry.entryId);
    return true;
  });
}

/**
 * Each patient's routine (not urgent) entries of FHIR submissions must reach the topic in the
 * order their submissions were accepted; urgent ones overtake by design (DESIGN.md "urgent lane").
 */
function patientsOutOfOrder(
  accepted: readonly Accepted[],
  entries: readonly JournalEntry[],
): string[] {
  // Vendor JSON is keyed by submission id on the accepted topic (ADR 0012: ingest cannot find
  // the patient in it), so it is not ordered against the patient's FHIR events: FHIR only.
  const acceptedOrder = new Map(
    accepted.flatMap((a, index) => (a.event.route === 'fhir' ? [[a.submissionId, index]] : [])),
  );
  const byPatient = new Map<string, number[]>();
  for (const entry of entries) {
    if (entry.urgent) continue;
    const order = acceptedOrder.get(entry.submissionId);
    if (order === undefined) continue;
    const key = `${entry.orgnr}|${entry.patient.identifier.value}`;
    byPatient.set(key, [...(byPatient.get(key) ?? []), order]);
  }
  const outOfOrder: string[] = [];
  for (const [patient, orders] of byPatient) {
    if (orders.some((order, index) => index > 0 && order < (orders[index - 1] ?? 0))) {
      // The number stays out of the report: the municipality and a sequence do.
      outOfOrder.push(`${patient.split('|')[0] ?? ''} patient #${String(outOfOrder.length + 1)}`);
    }
  }
  return outOfOrder;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
