/*
 * The Kafka broker dies under ingest (SIGKILL): a submission is answered 503 with Retry-After,
 * not 202, and nothing of it is half-written; the vendor's retry with the same Idempotency-Key
 * once the broker is back is accepted exactly once (DESIGN.md: 202 only after acks=all).
 */
import { join } from 'node:path';
import { ensureStack, stackStatus } from '@knutepunkt/devstack';
import { aVkpVitalSignObservation, vkpJson, vkpPatientIdentifier } from '@knutepunkt/fhir/testing';
import { readTopic } from '@knutepunkt/kafka/testing';
import { HubClient, Platform } from '@knutepunkt/platform';
import { createSerde, Topics } from '@knutepunkt/schemas';
import { aFreshOrgnr } from '@knutepunkt/schemas/testing';
import { eventually, integrationEnv, uniqueName } from '@knutepunkt/testing';

const env = integrationEnv({ LOG_LEVEL: 'warn' });

describe('ingest while the Kafka broker is down', () => {
  const orgnr = aFreshOrgnr();
  const vendor = uniqueName('outage-vendor');
  const cleanups: (() => Promise<void>)[] = [];
  let hub: HubClient;

  beforeAll(async () => {
    const platform = await Platform.start({
      env,
      logDir: join(__dirname, '..', '..', '..', '.local', 'logs', 'e2e'),
      ports: 'free',
      only: ['ingest'],
    });
    cleanups.push(() => platform.stop());
    hub = new HubClient({ ingest: platform.url('ingest') });
    await hub.onboardMunicipality(orgnr, { name: 'Avbrudd kommune' });
    await hub.onboardVendor(vendor, orgnr, { name: 'Outage vendor', services: ['DHO'] });
  }, 180_000);

  afterAll(async () => {
    // The broker is started again whatever happened, for the suites after this one.
    await ensureStack({ components: ['kafka'] });
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('answers 503 with Retry-After, then accepts the retry exactly once', async () => {
    const body = vkpJson(
      aVkpVitalSignObservation('heartRate', { patient: vkpPatientIdentifier(7001) }),
    );
    const headers = { 'idempotency-key': uniqueName('outage') };
    const [kafka] = await stackStatus({ components: ['kafka'] });
    if (kafka?.pid === undefined) throw new Error('the devstack runs no Kafka broker here');
    process.kill(kafka.pid, 'SIGKILL');

    const during = await hub.submit(vendor, orgnr, 'Observation', body, headers);
    expect(during.status).toBe(503);
    expect(during.retryAfterSeconds).toBeGreaterThan(0);
    expect(during.location).toBeUndefined();
    expect(JSON.stringify(during.body)).toContain('OperationOutcome');

    await ensureStack({ components: ['kafka'] });
    const after = await eventually(async () => {
      const answer = await hub.submit(vendor, orgnr, 'Observation', body, headers);
      return answer.status === 503 ? undefined : answer;
    }, 90_000);
    expect(after.status).toBe(202);
    const submissionId = after.location?.split('/').at(-2) ?? '';

    const serde = createSerde({ registryUrl: env['SCHEMA_REGISTRY_URL'] ?? '' });
    const accepted = await readTopic((env['KAFKA_BROKERS'] ?? '').split(','), Topics.accepted.name);
    cleanups.push(() => accepted.close());
    const published = async () => {
      const ours: string[] = [];
      for (const message of accepted.messages) {
        if (!message.value?.includes(vendor)) continue;
        const record = await serde.decode(Topics.accepted, message.value);
        if (record.clientId === vendor) ours.push(record.submissionId);
      }
      return ours;
    };
    await eventually(async () => ((await published()).length > 0 ? true : undefined), 60_000);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await published()).toEqual([submissionId]);
  });
});
