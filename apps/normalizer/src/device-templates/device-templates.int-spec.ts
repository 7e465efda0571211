import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueToken } from '@knutepunkt/auth/testing';
import { readTopic, type TopicReader } from '@knutepunkt/kafka/testing';
import {
  createSerde,
  tagWelfareEventBody,
  Topics,
  type StatusChange,
  type WelfareEvent,
} from '@knutepunkt/schemas';
import { aClient, aFreshOrgnr, aMunicipality } from '@knutepunkt/schemas/testing';
import type { RunningService } from '@knutepunkt/service';
import { publishRegistryEntries, startServiceForTest } from '@knutepunkt/service/testing';
import { aFreePort, eventually, integrationEnv, uniqueName } from '@knutepunkt/testing';
import { normalizerService } from '../normalizer.service';

/**
 * Vendor JSON end to end: real HTTP into ingest (its own process, as deployed: apps do not
 * import each other), the real broker, the normalizer in this process mapping it by its template,
 * the status back in ingest's `$status`.
 */
const root = join(__dirname, '..', '..', '..', '..');
const example = (ref: string): Record<string, unknown> =>
  JSON.parse(
    readFileSync(join(root, 'apps/normalizer/templates/examples', `${ref}.example.json`), 'utf8'),
  ) as Record<string, unknown>;

async function startIngest(
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await aFreePort();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/ingest/src/main.ts'], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`ingest exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/health/ready`).catch(() => undefined);
    return ready?.status === 200 ? true : undefined;
  }, 90_000);
  return { url, child };
}

describe('vendor templates: ingest HTTP → accepted → normalizer (real stack)', () => {
  const env = integrationEnv();
  const brokers = (env['KAFKA_BROKERS'] ?? '').split(',');
  const serde = createSerde({ registryUrl: env['SCHEMA_REGISTRY_URL'] ?? '' });
  const orgnr = aFreshOrgnr();
  const vendor = uniqueName('template-vendor');
  let normalizer: RunningService;
  let ingest: { url: string; child: ChildProcess };
  let token: string;
  const readers: Record<string, TopicReader> = {};

  const post = (template: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${ingest.url}/devices/${orgnr}/${template}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...headers,
      },
      body,
    });

  /** Posts a document, expects 202, and returns the submission id from `Location`. */
  const submit = async (template: string, document: unknown): Promise<string> => {
    const response = await post(template, JSON.stringify(document));
    expect(response.status).toBe(202);
    const location = response.headers.get('location') ?? '';
    expect(location).toMatch(new RegExp(`^/fhir/${orgnr}/Bundle/[0-9a-f-]{36}/\\$status$`));
    return location.split('/')[4] ?? '';
  };

  const eventsOf = (submissionId: string, count: number): Promise<WelfareEvent[]> =>
    eventually(async () => {
      const decoded = await Promise.all([
        ...(readers[Topics.normalized.name]?.messages ?? []).map((m) =>
          serde.decode(Topics.normalized, m.value ?? Buffer.alloc(0)),
        ),
        ...(readers[Topics.normalizedUrgent.name]?.messages ?? []).map((m) =>
          serde.decode(Topics.normalizedUrgent, m.value ?? Buffer.alloc(0)),
        ),
      ]);
      const mine = decoded.filter((event) => event.submissionId === submissionId);
      return mine.length >= count ? mine : undefined;
    }, 90_000);

  const statusesOf = async (submissionId: string, count: number): Promise<StatusChange[]> => {
    // Generous: the reader starts at the topic's beginning, which may hold many records.
    const messages = await readers[Topics.status.name]!.waitFor(
      (m) => m.key === submissionId,
      count,
      90_000,
    );
    return Promise.all(
      messages.map((m) => serde.decode(Topics.status, m.value ?? Buffer.alloc(0))),
    );
  };

  /** Ingest's `$status` once `stage` is reached (the projection consumes `status`). */
  const statusBody = (submissionId: string, stage: string) =>
    eventually(async () => {
      const response = await fetch(`${ingest.url}/fhir/${orgnr}/Bundle/${submissionId}/$status`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await response.json()) as Record<string, unknown>;
      return body[stage] === null || body[stage] === undefined ? undefined : body;
    }, 90_000);

  beforeAll(async () => {
    await publishRegistryEntries([
      { kind: 'municipality', municipality: aMunicipality({ orgnr }) },
      {
        kind: 'client',
        client: aClient({
          clientId: vendor,
          municipalities: [orgnr],
          services: ['TA', 'MD', 'DT', 'DHO'],
          ratePerSecond: 10_000,
        }),
      },
    ]);
    token = await issueToken({ sub: vendor, scope: 'knutepunkt:ingest.write' });
    for (const topic of [
      Topics.accepted,
      Topics.normalized,
      Topics.normalizedUrgent,
      Topics.status,
    ]) {
      readers[topic.name] = await readTopic(brokers, topic.name, { from: 'end' });
    }
    normalizer = await startServiceForTest(normalizerService);
    ingest = await startIngest(env);
  });

  afterAll(async () => {
    ingest.child.kill('SIGTERM');
    await new Promise((resolve) => ingest.child.once('exit', resolve));
    await Promise.all(Object.values(readers).map((reader) => reader.close()));
    await normalizer.close();
  });

  it('maps a dispenser event log into one MedicationDispensing per entry, each reported normalized', async () => {
    const submissionId = await submit('doseguard-event-log', example('doseguard-event-log.v1'));
    const events = await eventsOf(submissionId, 3);
    expect(events.map((event) => event.service)).toEqual(['MD', 'MD', 'MD']);
    expect(events.map((event) => tagWelfareEventBody(event.body).kind)).toEqual([
      'MedicationDispensing',
      'MedicationDispensing',
      'MedicationDispensing',
    ]);
    expect(events[0]?.patient?.patientKey).toMatch(/^[0-9a-f]{64}$/);
    const statuses = await statusesOf(submissionId, 3);
    expect(statuses.every((status) => status.stage === 'normalized')).toBe(true);
    expect(await statusBody(submissionId, 'normalized')).toMatchObject({ submissionId });
  });

  /** The key ingest gave the submission's record on `accepted`. */
  const acceptedKeyOf = async (submissionId: string): Promise<string | null> => {
    const [record] = await eventually(async () => {
      const decoded = await Promise.all(
        (readers[Topics.accepted.name]?.messages ?? []).map(async (m) => ({
          key: m.key,
          submission: await serde.decode(Topics.accepted, m.value ?? Buffer.alloc(0)),
        })),
      );
      const mine = decoded.filter((d) => d.submission.submissionId === submissionId);
      return mine.length > 0 ? mine : undefined;
    }, 90_000);
    return record?.key ?? null;
  };

  /** The key the normalizer gave the submission's (first) event on `normalized` or its twin. */
  const normalizedKeyOf = async (submissionId: string): Promise<string | null> => {
    const [record] = await eventually(async () => {
      const decoded = await Promise.all(
        [Topics.normalized, Topics.normalizedUrgent].flatMap((topic) =>
          (readers[topic.name]?.messages ?? []).map(async (m) => ({
            key: m.key,
            event: await serde.decode(topic, m.value ?? Buffer.alloc(0)),
          })),
        ),
      );
      const mine = decoded.filter((d) => d.event.submissionId === submissionId);
      return mine.length > 0 ? mine : undefined;
    }, 90_000);
    return record?.key ?? null;
  };

  it('keys vendor JSON by the patient its template finds (else its device) on accepted, as the normalizer keys the events', async () => {
    // One patient's documents share a partition from the first topic on, so they stay in order.
    // A field no template reads makes each document new (the same bytes again are a repeat).
    const fresh = (ref: string): Record<string, unknown> => ({
      ...example(ref),
      uploadId: uniqueName('upload'),
    });
    const first = await submit('tensio-bp-cuff', fresh('tensio-bp-cuff.v1'));
    const second = await submit('doseguard-event-log', fresh('doseguard-event-log.v1'));
    const [firstEvent] = await eventsOf(first, 1);
    const [secondEvent] = await eventsOf(second, 1);
    const patientKey = firstEvent?.patient?.patientKey;
    expect(patientKey).toMatch(/^[0-9a-f]{64}$/);
    expect(secondEvent?.patient?.patientKey).toBe(patientKey);
    expect(await acceptedKeyOf(first)).toBe(patientKey);
    expect(await acceptedKeyOf(second)).toBe(patientKey);
    // A sensor not yet linked to a resident names no patient: keyed by the sensor (ADR 0015),
    // so its alarms stay in order until the consent service finds the resident by the loan.
    const unlinked = () => {
      const document = fresh('nattro-bed-sensor.v1');
      delete document['resident'];
      return document;
    };
    const third = await submit('nattro-bed-sensor', unlinked());
    const fourth = await submit('nattro-bed-sensor', unlinked());
    const sensorKey = await acceptedKeyOf(third);
    expect(sensorKey).not.toBe(third);
    expect(sensorKey).not.toBe(patientKey);
    expect(sensorKey).not.toContain('NS-88213');
    expect(await acceptedKeyOf(fourth)).toBe(sensorKey);
    expect(await normalizedKeyOf(third)).toBe(sensorKey);
  });

  it('maps a bed sensor’s detected fall into an urgent alert on the urgent lane', async () => {
    const submissionId = await submit('nattro-bed-sensor', example('nattro-bed-sensor.v1'));
    const [event] = await eventsOf(submissionId, 1);
    expect(event).toMatchObject({ urgent: true, service: 'TA' });
    const messages = readers[Topics.normalizedUrgent.name]!.messages;
    expect(messages.some((m) => m.key === event?.patient?.patientKey)).toBe(true);
  });

  it('maps a blood-pressure cuff’s readings (kPa converted to mmHg) into measurements', async () => {
    const submissionId = await submit('tensio-bp-cuff.v1', example('tensio-bp-cuff.v1'));
    const events = await eventsOf(submissionId, 3);
    const units = events.flatMap((event) => {
      const body = tagWelfareEventBody(event.body);
      return body.kind === 'Measurement'
        ? body.value.components.map((component) => component.value?.code)
        : [];
    });
    expect(units).toEqual(['mm[Hg]', 'mm[Hg]', 'mm[Hg]', 'mm[Hg]']);
  });

  it('fails an implausible value with a reason naming the JSONPath, in $status too', async () => {
    const document = example('tensio-bp-cuff.v1');
    (document['readings'] as Record<string, unknown>[])[0]!['sys'] = 400;
    const submissionId = await submit('tensio-bp-cuff', document);
    const [status] = await statusesOf(submissionId, 1);
    expect(status).toMatchObject({ stage: 'failed', operationOutcomeCode: '2' });
    expect(status?.reason).toContain('$.readings[0].sys');
    const body = await statusBody(submissionId, 'failed');
    expect(String(body['reason'])).toContain('$.readings[0].sys');
  });

  it('answers an unknown template 404 and a body that is not JSON 400, as OperationOutcomes', async () => {
    const unknown = await post('acme-toaster', '{}');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/fhir+json');
    expect(await unknown.json()).toMatchObject({ resourceType: 'OperationOutcome' });
    const malformed = await post('tensio-bp-cuff', '{"readings": [');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ code: 'structure' }],
    });
  });

  it('authorizes like the FHIR API: no token 401, another municipality 404/403, a resend 200', async () => {
    const noToken = await fetch(`${ingest.url}/devices/${orgnr}/tensio-bp-cuff`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noToken.status).toBe(401);
    const otherOrgnr = await fetch(`${ingest.url}/devices/921234562/tensio-bp-cuff`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect([403, 404]).toContain(otherOrgnr.status);
    const key = uniqueName('upload');
    const body = JSON.stringify(example('nattro-bed-sensor.v1'));
    const first = await post('nattro-bed-sensor', body, { 'idempotency-key': key });
    const again = await post('nattro-bed-sensor', body, { 'idempotency-key': key });
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
  });
});
