/*
 * The live dashboard and rules check in CI (issue 8, "Checked live"): the five services started
 * here on free ports, simulated vendors and EPJs of two municipalities at ~3 events/s, and a
 * Prometheus (.local/bin/prometheus) scraping them every 10 s with deploy/prometheus's rules.
 * Every recording rule and every dashboard panel query must return data over what it scraped.
 * Then two induced faults must FIRE their alerts: an undecodable record on the audit topic fires
 * KnutepunktDLQNotEmpty{app="audit"}, and stopping the journal-writer fires
 * KnutepunktServiceDown{app="journal-writer"}.
 *
 * The rules' `for:` holds are minutes, and Prometheus cannot shorten them: this Prometheus loads
 * a copy of the rules with every hold shortened to `alertHoldSeconds` (withAlertHoldsShortened in
 * rules.ts, unit-tested in rules-hold.spec.ts) and evaluates every `evaluationSeconds`. The
 * expressions are the real ones; only the waiting before `firing` is shorter.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { vkpJson, aVkpVitalSignObservation, vkpPatientIdentifier } from '@knutepunkt/fhir/testing';
import { createKafka } from '@knutepunkt/kafka';
import { HubClient, localApps, Platform, type Submitted } from '@knutepunkt/platform';
import { Topics } from '@knutepunkt/schemas';
import { aFreshOrgnr } from '@knutepunkt/schemas/testing';
import { EpjPoller, Simulator, type SimulatedTenant } from '@knutepunkt/simulator';
import { integrationEnv, uniqueName } from '@knutepunkt/testing';
import {
  describeVerdict,
  evaluateLiveChecks,
  type LiveCheckResult,
  type Variables,
} from './live-expressions';
import { assertPrometheusBuilt, LivePrometheus, type AlertState } from './live-prometheus';

/**
 * Metrics whose series appear only with a failure (a counter with labels has no series before
 * its first increment): a healthy run cannot show them, so the panels and rules over them may
 * be empty here with the verdict `no-such-event`. Everything else must have data.
 */
const onlyOnFailure = new Set([
  'knutepunkt_<app>_kafka_messages_failed_total',
  'knutepunkt_<app>_kafka_client_errors_total',
]);

/** How long the traffic may take to fill every panel before the check gives up. */
const dataDeadlineMs = 90_000;
/** Every alert's `for:` in this Prometheus's copy of the rules (the real ones are minutes). */
const alertHoldSeconds = 10;
/** How often it evaluates the rules (it scrapes every 10 s). */
const evaluationSeconds = 5;
/** How long an induced fault may take to fire: a scrape, an evaluation, the hold, an evaluation. */
const firingDeadlineMs = 75_000;
const patientsPerMunicipality = 15;

describe('the dashboards and rules against live services (Prometheus on loopback)', () => {
  let platform: Platform | undefined;
  let prometheus: LivePrometheus | undefined;
  let poller: EpjPoller | undefined;
  let traffic: Promise<void> | undefined;
  let stopTraffic: () => void = () => undefined;
  let variables: Variables = {};
  let trafficFrom = 0;
  const began = Date.now();
  const phases: string[] = [];
  const phase = (name: string) =>
    phases.push(`${name} ${String(Math.round((Date.now() - began) / 1000))} s`);

  beforeAll(async () => {
    // Before anything starts: without the server the test cannot run, and says how to build it.
    assertPrometheusBuilt();
    platform = await Platform.start({
      env: integrationEnv({ LOG_LEVEL: 'warn' }),
      logDir: join(__dirname, '..', '..', '..', '.local', 'logs', 'live-check'),
      ports: 'free',
    });
    const started = platform;
    prometheus = await LivePrometheus.start({
      targets: Object.fromEntries(localApps.map(({ name }) => [name, started.url(name)])),
      alertHoldSeconds,
      evaluationSeconds,
    });
    phase('services and Prometheus up');

    const hub = HubClient.of(platform);
    const tenants: SimulatedTenant[] = [aFreshOrgnr(), aFreshOrgnr()].map((orgnr) => ({
      orgnr,
      vendor: `live-vendor-${orgnr}`,
      epj: `live-epj-${orgnr}`,
    }));
    const firstSeed = Math.floor(Math.random() * 20_000);
    const simulator = await Simulator.seed(hub, tenants, {
      patients: patientsPerMunicipality,
      reservedShare: 0.1,
      firstSeed,
    });
    phase('municipalities seeded');
    const [a] = tenants;
    if (!a) throw new Error('no tenant');
    // The municipality and vendor dashboards show the first municipality and its vendor.
    variables = { orgnr: a.orgnr, client: a.vendor };
    trafficFrom = Date.now() / 1000;
    poller = new EpjPoller(hub, tenants);
    poller.start();
    const stopped = new Promise<void>((resolve) => {
      stopTraffic = resolve;
    });
    traffic = simulator.run({
      ratePerSecond: 3,
      durationMs: Number.POSITIVE_INFINITY,
      arrivalsEnd: stopped,
      stop: stopped,
    });

    // What steady simulated traffic never does, and the municipality and vendor views show:
    // an event for a patient not registered yet (consent holds it: the held gauge; the hold
    // is the municipality's PT1H, so it stays held for this run) and a submission the hub
    // refuses (the refusal panels).
    const unregistered = vkpPatientIdentifier(firstSeed + 2 * patientsPerMunicipality + 1);
    const heldBody = vkpJson({
      ...aVkpVitalSignObservation('heartRate', { patient: unregistered }),
      id: uniqueName('held'),
      // The hold runs from the event's own time: the fixture's time is long past.
      effectiveDateTime: new Date().toISOString(),
    });
    const heldKey = { 'idempotency-key': randomUUID() };
    const held = await asAVendorWould(() =>
      hub.submit(a.vendor, a.orgnr, 'Observation', heldBody, heldKey),
    );
    expect([200, 202]).toContain(held.status);
    const refused = await asAVendorWould(() =>
      hub.submit(a.vendor, a.orgnr, 'Observation', 'not FHIR'),
    );
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
  }, 180_000);

  afterAll(async () => {
    stopTraffic();
    await traffic;
    await poller?.stop();
    await prometheus?.stop();
    await platform?.stop();
    phase('stopped');
    console.log(`live check phases: ${phases.join('; ')}`);
  }, 90_000);

  it(
    'every recording rule and dashboard panel query returns data while traffic flows',
    async () => {
      const live = defined(prometheus);
      const deadline = Date.now() + dataDeadlineMs;
      let results: LiveCheckResult[];
      let empty: LiveCheckResult[];
      for (;;) {
        results = await evaluateLiveChecks(live, { variables, from: trafficFrom });
        empty = results.filter((result) => !acceptable(result));
        if (empty.length === 0 || Date.now() > deadline) break;
        phase(`${String(empty.length)} still empty`);
        await sleep(5_000);
      }
      phase('expressions checked');
      const count = (verdict: string) => results.filter((r) => r.verdict === verdict).length;
      console.log(
        `live check: ${String(results.length)} expressions (${String(results.filter((r) => r.kind === 'rule').length)} recording rules, ${String(results.filter((r) => r.kind === 'panel').length)} panel queries): ${String(count('data'))} with data, ${String(count('no-such-event'))} over failure-only metrics without any (${results
          .filter((r) => r.verdict === 'no-such-event')
          .map((r) => r.source)
          .join('; ')})`,
      );

      // The scrape targets' health explains most empty panels (a timed-out scrape, say).
      const targets = empty.length === 0 ? [] : await live.targets();
      expect([
        ...empty.map((result) => `${result.source}: ${describeVerdict(result)}`),
        ...targets
          .filter((target) => target.health !== 'up')
          .map((target) => `target ${target.job} ${target.health}: ${target.lastError}`),
      ]).toEqual([]);
    },
    dataDeadlineMs + 30_000,
  );

  it(
    'an undecodable record on the audit topic fires KnutepunktDLQNotEmpty{app="audit"}',
    async () => {
      const live = defined(prometheus);
      const auditDeadLetters = (alerts: readonly AlertState[]) =>
        alerts.find(
          (alert) =>
            alert.labels['alertname'] === 'KnutepunktDLQNotEmpty' &&
            alert.labels['app'] === 'audit' &&
            alert.labels['topic'] === Topics.audit.name,
        );
      // Nothing from that topic was dead-lettered by audit yet: what fires after the record is its.
      expect(auditDeadLetters(await live.alerts())).toBeUndefined();

      // A record without a value on knutepunkt.audit.v1 (consumed by audit alone): the
      // consumer cannot decode it and dead-letters it at once
      // (knutepunkt_audit_kafka_messages_failed_total{outcome="undecodable"}); the alert has no
      // hold. One every 5 s, each with another key (so on another partition), until it fires:
      // on a shared development broker another audit in the consumer group may own the
      // partition of the first. (A value-less record: other tests reading the topic skip it.)
      const producer = createKafka({
        brokers: (integrationEnv()['KAFKA_BROKERS'] ?? '').split(','),
        clientId: uniqueName('live-check-fault'),
      }).producer();
      await producer.connect();
      const sentAt = Date.now();
      let sent = 0;
      let nextAt = 0;
      try {
        const alert = await firingAlert(
          live,
          auditDeadLetters,
          () => undefined,
          async () => {
            if (Date.now() < nextAt) return;
            nextAt = Date.now() + 5_000;
            sent += 1;
            await producer.send({
              topic: Topics.audit.name,
              messages: [{ key: uniqueName('live-check-undecodable'), value: null }],
            });
          },
        );
        phase(`DLQ alert ${alert?.state ?? 'inactive'}`);
        console.log(
          `KnutepunktDLQNotEmpty{app="audit"}: ${alert?.state ?? 'inactive'} ${String(Math.round((Date.now() - sentAt) / 1000))} s after the first of ${String(sent)} undecodable records (${JSON.stringify(alert?.labels ?? {})})`,
        );
        expect(alert?.state).toBe('firing');
        expect(alert?.labels).toMatchObject({ severity: 'warning', topic: Topics.audit.name });
      } finally {
        await producer.disconnect();
      }
    },
    firingDeadlineMs + 60_000,
  );

  it(
    'stopping the journal-writer fires KnutepunktServiceDown{app="journal-writer"} (pending, then firing after the shortened hold)',
    async () => {
      const live = defined(prometheus);
      const journalWriterDown = (alerts: readonly AlertState[]) =>
        alerts.find(
          (alert) =>
            alert.labels['alertname'] === 'KnutepunktServiceDown' &&
            alert.labels['app'] === 'journal-writer',
        );
      // Up and scraped, its alert inactive: what becomes active after the stop is the stop's.
      const upBy = Date.now() + 40_000;
      while (journalWriterDown(await live.alerts()) && Date.now() < upBy) await sleep(1_000);
      expect(journalWriterDown(await live.alerts())).toBeUndefined();

      const stoppedAt = Date.now();
      await defined(platform).stopApp('journal-writer', 'SIGTERM');
      const states: string[] = [];
      const alert = await firingAlert(live, journalWriterDown, (seen) => {
        const state = seen?.state ?? 'inactive';
        if (states.at(-1) !== state) {
          states.push(state);
          phase(`journal-writer down alert ${state}`);
        }
      });
      console.log(
        `KnutepunktServiceDown{app="journal-writer"}: ${states.join(' → ')}; ${alert?.state ?? 'inactive'} ${String(Math.round((Date.now() - stoppedAt) / 1000))} s after the stop (hold shortened to ${String(alertHoldSeconds)} s), active since ${alert?.activeAt ?? '-'}`,
      );
      expect(alert?.state).toBe('firing');
      expect(alert?.labels).toMatchObject({ job: 'journal-writer', severity: 'critical' });
      expect(Date.parse(alert?.activeAt ?? '')).toBeGreaterThanOrEqual(stoppedAt - 1_000);
      // It waited out its (shortened) hold as `pending` first, polled every second.
      expect(states.filter((state) => state !== 'inactive')).toEqual(['pending', 'firing']);

      // Every alert firing at the end, and what fired it, for the record.
      const firing = (await live.alerts()).filter((a) => a.state === 'firing');
      console.log(
        `firing at the end: ${firing.map((a) => `${a.labels['alertname'] ?? '?'}{app="${a.labels['app'] ?? ''}"}`).join(', ')}`,
      );
    },
    firingDeadlineMs + 60_000,
  );
});

/**
 * Polls the alerts every second until `pick` finds one firing or the deadline passes; `induce`
 * runs before each poll (to keep a fault going).
 */
async function firingAlert(
  live: LivePrometheus,
  pick: (alerts: readonly AlertState[]) => AlertState | undefined,
  seen: (alert: AlertState | undefined) => void = () => undefined,
  induce: () => Promise<void> = () => Promise.resolve(),
): Promise<AlertState | undefined> {
  const deadline = Date.now() + firingDeadlineMs;
  for (;;) {
    await induce();
    const alert = pick(await live.alerts());
    seen(alert);
    if (alert?.state === 'firing' || Date.now() > deadline) return alert;
    await sleep(1_000);
  }
}

/** Sends again (with the same Idempotency-Key) while the hub answers 429 or 5xx, as vendors do. */
async function asAVendorWould(send: () => Promise<Submitted>): Promise<Submitted> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await send().catch(() => undefined);
    if (answer && answer.status !== 429 && answer.status < 500) return answer;
    if (Date.now() > deadline) {
      throw new Error(`the hub kept answering ${String(answer?.status ?? 'nothing')} for a minute`);
    }
    await sleep(1_000);
  }
}

/** Data, or empty only because every metric it lacks appears with a failure alone. */
function acceptable(result: LiveCheckResult): boolean {
  return (
    result.verdict === 'data' ||
    (result.verdict === 'no-such-event' && result.absent.every((name) => onlyOnFailure.has(name)))
  );
}

function defined<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('beforeAll did not finish');
  return value;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
