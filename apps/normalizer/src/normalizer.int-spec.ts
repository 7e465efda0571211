import { randomUUID } from 'node:crypto';
import {
  aVkpAlarmBundle,
  aVkpBloodPressureObservation,
  aVkpVitalSignObservation,
  vkpJson,
} from '@knutepunkt/fhir/testing';
import { DeadLetterHeaders } from '@knutepunkt/kafka';
import { readTopic, type TopicReader } from '@knutepunkt/kafka/testing';
import {
  createSerde,
  dlqTopic,
  Topics,
  type StatusChange,
  type WelfareEvent,
} from '@knutepunkt/schemas';
import {
  aClient,
  aMunicipality,
  anAcceptedSubmission,
  testOrgnr,
} from '@knutepunkt/schemas/testing';
import type { RunningService } from '@knutepunkt/service';
import {
  describeServiceBoot,
  publishRegistryEntries,
  startServiceForTest,
} from '@knutepunkt/service/testing';
import { eventually, integrationEnv, uniqueName } from '@knutepunkt/testing';
import { normalizerService } from './normalizer.service';

describeServiceBoot(normalizerService);

describe('normalizer against the real stack', () => {
  const env = integrationEnv();
  const brokers = (env['KAFKA_BROKERS'] ?? '').split(',');
  const serde = createSerde({ registryUrl: env['SCHEMA_REGISTRY_URL'] ?? '' });
  let service: RunningService;
  const readers: Record<string, TopicReader> = {};

  const vendor = uniqueName('normalizer-vendor');
  const alarmOnlyVendor = uniqueName('alarm-only-vendor');

  const submit = async (resourceType: string, fhirJson: string, clientId = vendor) => {
    const submission = anAcceptedSubmission({
      clientId,
      submissionId: randomUUID(),
      resourceType,
      fhirJson,
      idempotencyKey: null,
    });
    await serde.register(Topics.accepted);
    await service.runtime.producer.send([
      {
        topic: Topics.accepted.name,
        key: submission.submissionId,
        value: serde.encode(Topics.accepted, submission),
      },
    ]);
    return submission.submissionId;
  };

  const statusesOf = async (submissionId: string, count: number): Promise<StatusChange[]> => {
    const reader = readers[Topics.status.name];
    if (!reader) throw new Error('no reader');
    const messages = await reader.waitFor((m) => m.key === submissionId, count);
    return Promise.all(
      messages.map((m) => serde.decode(Topics.status, m.value ?? Buffer.alloc(0))),
    );
  };

  const eventsOf = (
    topicName: string,
    submissionId: string,
    count: number,
  ): Promise<WelfareEvent[]> => {
    const topic =
      topicName === Topics.normalizedUrgent.name ? Topics.normalizedUrgent : Topics.normalized;
    return eventually(async () => {
      const decoded = await Promise.all(
        (readers[topicName]?.messages ?? []).map((m) =>
          serde.decode(topic, m.value ?? Buffer.alloc(0)),
        ),
      );
      const mine = decoded.filter((e) => e.submissionId === submissionId);
      return mine.length >= count ? mine : undefined;
    }, 30_000);
  };

  beforeAll(async () => {
    await publishRegistryEntries([
      { kind: 'municipality', municipality: aMunicipality({ orgnr: testOrgnr }) },
      {
        kind: 'client',
        client: aClient({ clientId: vendor, services: ['TA', 'GPS', 'MD', 'DT', 'DHO'] }),
      },
      { kind: 'client', client: aClient({ clientId: alarmOnlyVendor, services: ['TA'] }) },
    ]);
    service = await startServiceForTest(normalizerService);
    for (const topic of [
      Topics.normalized.name,
      Topics.normalizedUrgent.name,
      Topics.status.name,
      dlqTopic('normalizer').name,
    ]) {
      readers[topic] = await readTopic(brokers, topic, { from: 'end' });
    }
  });

  afterAll(async () => {
    await Promise.all(Object.values(readers).map((r) => r.close()));
    await service.close();
  });

  it('turns an alarm Bundle into one urgent alert event keyed by patient key, and reports it normalized', async () => {
    const submissionId = await submit('Bundle', vkpJson(aVkpAlarmBundle()));
    const [event] = await eventsOf(Topics.normalizedUrgent.name, submissionId, 1);
    expect(event).toMatchObject({ submissionId, urgent: true });
    expect(event?.patient?.patientKey).toMatch(/^[0-9a-f]{64}$/);
    const statuses = await statusesOf(submissionId, 1);
    expect(statuses[0]).toMatchObject({
      stage: 'normalized',
      eventId: event?.eventId,
      reportedBy: 'normalizer',
    });
  });

  it('puts a blood-pressure measurement on the routine lane', async () => {
    const submissionId = await submit('Observation', vkpJson(aVkpBloodPressureObservation()));
    const [event] = await eventsOf(Topics.normalized.name, submissionId, 1);
    expect(event).toMatchObject({ submissionId, urgent: false });
  });

  it('fails an implausible measurement with a reason and a VKP code, and dead-letters the record', async () => {
    const submissionId = await submit(
      'Observation',
      vkpJson(aVkpVitalSignObservation('bodyTemperature', { value: 370 })),
    );
    const [status] = await statusesOf(submissionId, 1);
    expect(status).toMatchObject({
      stage: 'failed',
      operationOutcomeCode: expect.stringMatching(/^2/) as unknown,
    });
    expect(status?.reason).toMatch(/370|plausib/i);
    const [letter] = await readers[dlqTopic('normalizer').name]!.waitFor(
      (m) => m.key === submissionId,
    );
    expect(letter?.headers[DeadLetterHeaders.errorCode]).toMatch(/^NORMALIZE\./);
    // Counted as dead-lettered, which is what KnutepunktDLQNotEmpty and the DLQ panels read.
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    const counted = new RegExp(
      `^knutepunkt_normalizer_kafka_messages_failed_total\\{[^}]*topic="${Topics.accepted.name.replace(/\./g, '\\.')}"[^}]*outcome="dead_lettered"[^}]*\\} [1-9]`,
      'm',
    );
    expect(metrics).toMatch(counted);
  });

  it('fails an event of a service the vendor is not registered for (VKP 1.2), and publishes nothing', async () => {
    const submissionId = await submit(
      'Observation',
      vkpJson(aVkpBloodPressureObservation()),
      alarmOnlyVendor,
    );
    const [status] = await statusesOf(submissionId, 1);
    expect(status).toMatchObject({ stage: 'failed', operationOutcomeCode: '1.2' });
    expect(status?.reason).toMatch(/not registered for service/);
    const routine = readers[Topics.normalized.name]?.messages ?? [];
    const decoded = await Promise.all(
      routine.map((m) => serde.decode(Topics.normalized, m.value ?? Buffer.alloc(0))),
    );
    expect(decoded.filter((e) => e.submissionId === submissionId)).toEqual([]);
  });
});
