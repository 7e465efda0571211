import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig, patientKeyEnv, patientKeySecret, runtimeEnv } from '@knutepunkt/config';
import { createPatientKeyDeriver } from '@knutepunkt/fhir';
import { aVkpAlarmBundle } from '@knutepunkt/fhir/testing';
import { CoalescingProducer, createKafka } from '@knutepunkt/kafka';
import {
  recordsBehind,
  recordsCommitted,
  recordsOn,
  type KafkaAdmin,
} from '@knutepunkt/kafka/testing';
import type { HubClient, Platform, SubmissionStatusBody } from '@knutepunkt/platform';
import { createSerde, Topics, type WelfareEvent } from '@knutepunkt/schemas';
import { aWelfareEventOfKind } from '@knutepunkt/schemas/testing';
import { retimed, type SimulatedMunicipality, type SimulatedTenant } from '@knutepunkt/simulator';
import { percentile } from './percentile';

export interface AlarmLatency {
  readonly sent: number;
  readonly delivered: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Median time in each stage, from `$status`: send→normalized, →consented, →delivered. */
  readonly stagesP50Ms: {
    readonly normalized: number;
    readonly consented: number;
    readonly delivered: number;
  };
}

export interface UrgentUnderBacklog {
  readonly alone: AlarmLatency;
  readonly underBacklog: AlarmLatency;
  readonly backlog: number;
  /** Routine events not yet decided by consent when the last alarm was delivered. */
  readonly backlogLeftAtConsent: number;
  /** From the consent service's restart to the backlog decided and journaled, in seconds. */
  readonly drainSeconds: number | null;
}

/**
 * Issue 10's urgent lane under load: safety alarms through the HTTP API, first alone and then
 * while `backlog` routine measurements (real patients, consented, to be journaled) wait on
 * `knutepunkt.normalized.v1`, the first topic with an urgent twin (DESIGN.md "urgent lane"). The
 * backlog is produced there directly while the consent service is stopped, as after an outage
 * of it, so all of it is waiting when the consent service starts again and the alarms go out.
 * Reports each alarm's latency from the vendor's request to `delivered`, and how much of the
 * backlog was still waiting when the alarms were through.
 */
export async function urgentUnderBacklog(options: {
  readonly hub: HubClient;
  readonly platform: Platform;
  readonly env: Readonly<Record<string, string>>;
  readonly tenant: SimulatedTenant;
  readonly municipality: SimulatedMunicipality;
  readonly backlog: number;
  readonly alarms: number;
  readonly log: (line: string) => void;
}): Promise<UrgentUnderBacklog> {
  const { hub, env, tenant, municipality, log } = options;
  const patients = municipality.patients.filter((p) => !p.reserved);
  const alarmPatients = patients.filter((p) => p.services.includes('TA'));
  const measured = patients.filter((p) => p.services.includes('DHO'));
  if (alarmPatients.length === 0 || measured.length === 0) {
    throw new Error('the simulated municipality has no patient with TA or DHO');
  }
  const sendAlarms = async (): Promise<AlarmLatency> => {
    const accepted: { location: string; at: number }[] = [];
    for (let n = 0; n < options.alarms; n += 1) {
      const patient = alarmPatients[n % alarmPatients.length];
      if (patient === undefined) continue;
      const body = JSON.stringify(
        retimed(aVkpAlarmBundle({ patient: patient.identifier }), Date.now()),
      );
      const sentAt = Date.now();
      const answer = await hub.submit(tenant.vendor, tenant.orgnr, 'Bundle', body, {
        'idempotency-key': randomUUID(),
      });
      if (answer.status === 202 && answer.location) {
        accepted.push({ location: answer.location, at: sentAt });
      }
      await sleep(1000);
    }
    return alarmLatency(hub, tenant.vendor, accepted);
  };

  log(`urgent lane: ${String(options.alarms)} safety alarms, one a second, with no backlog`);
  const alone = await sendAlarms();

  const kafka = createKafka({
    brokers: (env['KAFKA_BROKERS'] ?? '').split(','),
    clientId: 'bench-backlog',
  });
  const admin = kafka.admin();
  await admin.connect();
  const before = await recordsOn(admin, Topics.normalized.name);
  await options.platform.stopApp('consent', 'SIGTERM');
  log(
    `consent stopped; producing ${String(options.backlog)} routine measurements onto ${Topics.normalized.name}`,
  );
  const producing = Date.now();
  await produceBacklog(env, tenant, municipality.orgnr, measured, options.backlog);
  log(`backlog produced in ${((Date.now() - producing) / 1000).toFixed(1)} s; consent started`);
  await options.platform.startApp('consent');
  const startedAt = Date.now();
  log('alarms again, with the backlog waiting');

  const underBacklog = await sendAlarms();
  const backlogLeftAtConsent = await recordsBehind(
    admin,
    'knutepunkt-consent',
    Topics.normalized.name,
  );
  log(`${String(backlogLeftAtConsent)} routine events still waiting for consent; draining`);
  const drainSeconds = await waitUntilDrained(admin, before + options.backlog, startedAt);
  await admin.disconnect();
  return {
    alone,
    underBacklog,
    backlog: options.backlog,
    backlogLeftAtConsent,
    drainSeconds,
  };
}

async function produceBacklog(
  env: Readonly<Record<string, string>>,
  tenant: SimulatedTenant,
  orgnr: string,
  patients: readonly SimulatedMunicipality['patients'][number][],
  count: number,
): Promise<void> {
  const derived = createPatientKeyDeriver(
    patientKeySecret(loadConfig(runtimeEnv.merge(patientKeyEnv), env)),
  );
  if (!derived.ok) throw new Error(derived.error.message);
  const patientKey = derived.value;
  const serde = createSerde({ registryUrl: env['SCHEMA_REGISTRY_URL'] ?? '' });
  await serde.register(Topics.normalized);
  const kafka = createKafka({
    brokers: (env['KAFKA_BROKERS'] ?? '').split(','),
    clientId: 'bench-backlog-producer',
  });
  const producer = new CoalescingProducer(kafka);
  await producer.connect();
  try {
    for (let first = 0; first < count; first += 2000) {
      const now = Date.now();
      const batch = Array.from({ length: Math.min(2000, count - first) }, (_, index) => {
        const patient = patients[(first + index) % patients.length];
        if (patient === undefined) throw new Error('no patient');
        const key = patientKey({ orgnr, identifier: patient.identifier });
        const event: WelfareEvent = aWelfareEventOfKind('Measurement', {
          eventId: randomUUID(),
          submissionId: randomUUID(),
          orgnr,
          occurredAt: now - 60_000,
          receivedAt: now,
          patient: { identifier: patient.identifier, patientKey: key },
          clientId: tenant.vendor,
        });
        return {
          topic: Topics.normalized.name,
          key,
          value: serde.encode(Topics.normalized, event),
        };
      });
      await producer.send(batch);
    }
  } finally {
    await producer.disconnect();
  }
}

async function alarmLatency(
  hub: HubClient,
  vendor: string,
  accepted: readonly { location: string; at: number }[],
): Promise<AlarmLatency> {
  const statuses = new Map<string, SubmissionStatusBody>();
  const deadline = Date.now() + 300_000;
  while (statuses.size < accepted.length && Date.now() < deadline) {
    for (const alarm of accepted) {
      if (statuses.has(alarm.location)) continue;
      const status = await hub.statusOf(vendor, alarm.location).catch(() => undefined);
      if (status?.delivered != null) statuses.set(alarm.location, status);
    }
    await sleep(500);
  }
  const done = accepted.flatMap((a) => {
    const status = statuses.get(a.location);
    return status === undefined ? [] : [{ sentAt: a.at, status }];
  });
  const median = (values: number[]) =>
    percentile(
      [...values].sort((x, y) => x - y),
      0.5,
    );
  const at = (time: string | null) => (time === null ? Number.NaN : Date.parse(time));
  const latencies = done.map((d) => at(d.status.delivered) - d.sentAt).sort((x, y) => x - y);
  return {
    stagesP50Ms: {
      normalized: median(done.map((d) => at(d.status.normalized) - d.sentAt)),
      consented: median(done.map((d) => at(d.status.consented) - at(d.status.normalized))),
      delivered: median(done.map((d) => at(d.status.delivered) - at(d.status.consented))),
    },
    sent: accepted.length,
    delivered: latencies.length,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? Number.NaN,
  };
}

/**
 * Waits (up to 30 minutes) until consent has decided past `end` on the routine topic and the
 * journal-writer has caught up with what consent passed on, so the backlog does not stay
 * behind in the shared consumer groups for the next run.
 */
async function waitUntilDrained(
  admin: KafkaAdmin,
  end: number,
  since: number,
): Promise<number | null> {
  const deadline = Date.now() + 30 * 60_000;
  while (Date.now() < deadline) {
    const consentDone =
      (await recordsCommitted(admin, 'knutepunkt-consent', Topics.normalized.name)) >= end;
    const journalLag = await recordsBehind(
      admin,
      'knutepunkt-journal-writer',
      Topics.consented.name,
    );
    if (consentDone && journalLag === 0) return (Date.now() - since) / 1000;
    await sleep(2000);
  }
  return null;
}
