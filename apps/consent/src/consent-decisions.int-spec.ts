import { randomUUID } from 'node:crypto';
import { issueToken } from '@knutepunkt/auth/testing';
import { CoalescingProducer, createKafka, type IncomingMessage } from '@knutepunkt/kafka';
import { readTopic, type TopicReader } from '@knutepunkt/kafka/testing';
import {
  createSerde,
  normalizedTopicFor,
  registerAll,
  Topics,
  type Identifier,
  type TopicSpec,
  type ValueSchemaName,
  type ValueTypes,
  type WelfareEvent,
} from '@knutepunkt/schemas';
import {
  aClient,
  aDevice,
  aMunicipality,
  aWelfareEvent,
  identifierSystems,
  syntheticFodselsnummer,
  aFreshOrgnr,
} from '@knutepunkt/schemas/testing';
import { patientKeyDeriver, type RunningService } from '@knutepunkt/service';
import { publishRegistryEntries, startServiceForTest } from '@knutepunkt/service/testing';
import { eventually, integrationEnv } from '@knutepunkt/testing';
import { welfareServiceSystem } from './domain/consent-resource';
import { consentService } from './consent.service';

const env = integrationEnv();
const brokers = (env['KAFKA_BROKERS'] ?? '').split(',');
const serde = createSerde({ registryUrl: env['SCHEMA_REGISTRY_URL'] ?? '' });
const suffix = randomUUID().slice(0, 8);
const client = `consent-decisions-${suffix}`;
/** opt-out, set through the API. */
const optOut = aFreshOrgnr();
/** No policy anywhere: the default, opt-in PT24H. */
const optIn = aFreshOrgnr();
/** opt-out with a two-second hold, given at onboarding (the register's policy). */
const shortHold = aFreshOrgnr();
/** opt-out given at onboarding, switched to opt-in through the API in a test. */
const switching = aFreshOrgnr();
const overrides = { CONSENT_SWEEP_INTERVAL_MS: '300' };

let sequence = Math.floor(Math.random() * 300) * 10;
const newPatient = (): Identifier => ({
  system: identifierSystems.fodselsnummer,
  value: syntheticFodselsnummer((sequence += 1)),
});

function finder<N extends ValueSchemaName>(topic: TopicSpec<N>, reader: () => TopicReader) {
  const cache = new Map<string, ValueTypes[N] | null>();
  const find = async (
    predicate: (value: ValueTypes[N], message: IncomingMessage) => boolean,
  ): Promise<ValueTypes[N][]> => {
    const found: ValueTypes[N][] = [];
    for (const message of reader().messages) {
      const id = `${message.partition}:${message.offset}`;
      if (!cache.has(id)) {
        cache.set(
          id,
          message.value === null
            ? null
            : await serde.decode(topic, message.value).catch(() => null),
        );
      }
      const value = cache.get(id);
      if (value != null && predicate(value, message)) found.push(value);
    }
    return found;
  };
  /** Waits for at least `count` matching records. */
  const waitFor = (
    predicate: (value: ValueTypes[N], message: IncomingMessage) => boolean,
    count = 1,
  ) =>
    eventually(async () => {
      const found = await find(predicate);
      return found.length >= count ? found : undefined;
    }, 30_000);
  return { find, waitFor };
}

describe('consent decisions against the real stack', () => {
  const dataSource = () => {
    const source = service.runtime.dataSource;
    if (!source) throw new Error('consent runs with its database');
    return source;
  };
  let service: RunningService;
  let token: string;
  let producer: CoalescingProducer;
  let consented: TopicReader;
  let consentedUrgent: TopicReader;
  let status: TopicReader;
  const consentedRecords = finder(Topics.consented, () => consented);
  const urgentRecords = finder(Topics.consentedUrgent, () => consentedUrgent);
  const statusRecords = finder(Topics.status, () => status);

  const call = (method: string, path: string, body: unknown) =>
    fetch(`${service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  const register = async (orgnr: string, body: Record<string, unknown>) => {
    const response = await call('PUT', `/consent/${orgnr}/registrations`, {
      services: ['TA', 'MD'],
      validFrom: '2026-01-01',
      ...body,
    });
    expect(response.status).toBe(201);
  };

  const recordConsent = async (
    orgnr: string,
    patient: Identifier,
    provision: 'permit' | 'deny',
    services: string[],
  ) => {
    const response = await call('POST', `/consent/${orgnr}/Consent`, {
      resourceType: 'Consent',
      status: 'active',
      scope: { coding: [{ code: 'patient-privacy' }] },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { identifier: patient },
      provision: {
        type: provision,
        period: { start: '2026-01-01' },
        code: services.map((code) => ({ coding: [{ system: welfareServiceSystem, code }] })),
      },
    });
    expect(response.status).toBe(201);
  };

  const eventFor = (
    orgnr: string,
    patient: Identifier | null,
    extra: Partial<WelfareEvent> = {},
  ): WelfareEvent => {
    const occurredAt = extra.occurredAt ?? Date.now();
    return aWelfareEvent({
      eventId: randomUUID(),
      submissionId: randomUUID(),
      orgnr,
      service: 'TA',
      urgent: false,
      occurredAt,
      receivedAt: occurredAt,
      patient:
        patient === null
          ? null
          : {
              identifier: patient,
              patientKey: patientKeyDeriver(service.runtime)({ orgnr, identifier: patient }),
            },
      ...extra,
    });
  };

  const publish = (...events: WelfareEvent[]) =>
    producer.send(
      events.map((event) => {
        const topic = normalizedTopicFor(event.urgent);
        return {
          topic: topic.name,
          key: event.patient?.patientKey ?? event.submissionId,
          value: serde.encode(topic, event),
        };
      }),
    );

  const consentedFor = (event: WelfareEvent) =>
    consentedRecords.waitFor((record) => record.event.eventId === event.eventId);
  const statusOf = (event: WelfareEvent, stage: string) =>
    statusRecords.waitFor((change) => change.eventId === event.eventId && change.stage === stage);

  beforeAll(async () => {
    await publishRegistryEntries([
      { kind: 'municipality', municipality: aMunicipality({ orgnr: optOut, policy: null }) },
      { kind: 'municipality', municipality: aMunicipality({ orgnr: optIn, policy: null }) },
      {
        kind: 'municipality',
        municipality: aMunicipality({
          orgnr: shortHold,
          policy: { mode: 'opt-out', holdFor: 'PT2S' },
        }),
      },
      {
        kind: 'municipality',
        municipality: aMunicipality({
          orgnr: switching,
          policy: { mode: 'opt-out', holdFor: 'PT24H' },
        }),
      },
      {
        kind: 'client',
        client: aClient({
          clientId: client,
          kind: 'epj',
          municipalities: [optOut, optIn, shortHold, switching],
        }),
      },
    ]);
    token = await issueToken({
      sub: client,
      scope: 'knutepunkt:consent.read knutepunkt:consent.write',
    });
    const kafka = createKafka({ brokers, clientId: 'consent-decisions-test' });
    await registerAll(serde, [Topics.normalized, Topics.normalizedUrgent]);
    producer = new CoalescingProducer(kafka);
    await producer.connect();
    service = await startServiceForTest(consentService, overrides);
    [consented, consentedUrgent, status] = await Promise.all([
      readTopic(brokers, Topics.consented.name, { from: 'end' }),
      readTopic(brokers, Topics.consentedUrgent.name, { from: 'end' }),
      readTopic(brokers, Topics.status.name, { from: 'end' }),
    ]);
    expect((await call('PUT', `/consent/${optOut}/policy`, { mode: 'opt-out' })).status).toBe(200);
  });

  afterAll(async () => {
    await Promise.all([consented.close(), consentedUrgent.close(), status.close()]);
    await producer.disconnect();
    await service.close();
  });

  it('consents an event of a registered recipient under opt-out, with the decision', async () => {
    const patient = newPatient();
    await register(optOut, { identifiers: [patient] });
    const event = eventFor(optOut, patient);
    await publish(event);
    const [record] = await consentedFor(event);
    expect(record?.consent).toMatchObject({
      basis: 'no_reservation',
      policyMode: 'opt-out',
      patient: event.patient,
      heldSince: null,
      consentId: null,
    });
    const [change] = await statusOf(event, 'consented');
    expect(change).toMatchObject({ submissionId: event.submissionId, reportedBy: 'consent' });
  });

  it('sends an urgent event to the urgent consented lane', async () => {
    const patient = newPatient();
    await register(optOut, { identifiers: [patient] });
    const event = eventFor(optOut, patient, { urgent: true });
    await publish(event);
    const [record] = await urgentRecords.waitFor((r) => r.event.eventId === event.eventId);
    expect(record?.event.urgent).toBe(true);
  });

  it('withholds the very next event after a reservation under opt-out (reserved, 1.2)', async () => {
    const patient = newPatient();
    await register(optOut, { identifiers: [patient] });
    await recordConsent(optOut, patient, 'deny', ['TA']);
    // Published right after the API answered: the decision must already see the reservation.
    const event = eventFor(optOut, patient);
    await publish(event);
    const [change] = await statusOf(event, 'withheld');
    expect(change).toMatchObject({ reason: 'reserved', operationOutcomeCode: '1.2' });
    expect(await consentedRecords.find((r) => r.event.eventId === event.eventId)).toEqual([]);
  });

  it('under opt-in withholds without consent, and consents the next event once consent is given', async () => {
    const patient = newPatient();
    await register(optIn, { identifiers: [patient] });
    const before = eventFor(optIn, patient);
    await publish(before);
    const [refused] = await statusOf(before, 'withheld');
    expect(refused).toMatchObject({ reason: 'no consent', operationOutcomeCode: '1.2' });
    await recordConsent(optIn, patient, 'permit', []);
    const after = eventFor(optIn, patient);
    await publish(after);
    const [record] = await consentedFor(after);
    expect(record?.consent).toMatchObject({ basis: 'active_consent', policyMode: 'opt-in' });
    expect(record?.consent.consentId).toEqual(expect.any(String));
  });

  it('switches from the onboarding policy to the one set through the API for the next event', async () => {
    const patient = newPatient();
    await register(switching, { identifiers: [patient] });
    const before = eventFor(switching, patient);
    await publish(before);
    const [record] = await consentedFor(before);
    expect(record?.consent.policyMode).toBe('opt-out');
    expect((await call('PUT', `/consent/${switching}/policy`, { mode: 'opt-in' })).status).toBe(
      200,
    );
    const after = eventFor(switching, patient);
    await publish(after);
    const [change] = await statusOf(after, 'withheld');
    expect(change?.reason).toBe('no consent');
  });

  it('counts a consent recorded under the EPJ number before the registration that ties it in', async () => {
    const patient = newPatient();
    const epj = { system: identifierSystems.epjRunningNumber, value: `epj-${randomUUID()}` };
    await recordConsent(optIn, epj, 'permit', ['TA']);
    await register(optIn, { identifiers: [epj, patient] });
    const event = eventFor(optIn, patient);
    await publish(event);
    const [record] = await consentedFor(event);
    expect(record?.consent).toMatchObject({ basis: 'active_consent', patient: event.patient });
  });

  it('holds an event of a patient not yet registered and releases it, in order, on registration', async () => {
    const patient = newPatient();
    const first = eventFor(optOut, patient, { occurredAt: Date.now() - 2_000 });
    const second = eventFor(optOut, patient, { occurredAt: Date.now() - 1_000 });
    await publish(first, second);
    await eventually(async () => {
      const rows: unknown[] = await dataSource().query(
        'SELECT event_id FROM consent.held_events WHERE event_id = ANY($1::uuid[])',
        [[first.eventId, second.eventId]],
      );
      return rows.length === 2 ? rows : undefined;
    });
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`knutepunkt_consent_held_events\\{[^}]*orgnr="${optOut}"[^}]*\\} [1-9]`),
    );
    await register(optOut, { identifiers: [patient] });
    const released = await consentedRecords.waitFor(
      (r) => r.event.eventId === first.eventId || r.event.eventId === second.eventId,
      2,
    );
    expect(released.map((r) => r.event.eventId)).toEqual([first.eventId, second.eventId]);
    expect(released[0]?.consent.heldSince).toEqual(expect.any(Number));
  });

  it('fails a held event with no registration when its hold runs out (1.3)', async () => {
    const event = eventFor(shortHold, newPatient());
    await publish(event);
    const [change] = await statusOf(event, 'failed');
    expect(change).toMatchObject({ reason: 'no registration', operationOutcomeCode: '1.3' });
  });

  it('attributes an event naming only a device to the patient who had it that day', async () => {
    const patient = newPatient();
    const device = { system: identifierSystems.deviceSerial, value: `SN-${randomUUID()}` };
    await register(optOut, {
      identifiers: [patient],
      devices: [{ identifier: device, from: '2026-01-01' }],
    });
    const event = eventFor(optOut, null, {
      device: aDevice({ identifier: device }),
    });
    await publish(event);
    const [record] = await consentedFor(event);
    expect(record?.consent.attributedViaDevice).toBe(true);
    expect(record?.consent.patient.identifier).toEqual(patient);
  });

  it('judges the last valid day in Oslo time: 23:30 UTC on it is already the next day', async () => {
    const patient = newPatient();
    await register(optOut, { identifiers: [patient], validTo: '2026-01-31' });
    const lateEvening = eventFor(optOut, patient, { occurredAt: Date.UTC(2026, 0, 31, 22, 30) });
    const nextDayInOslo = eventFor(optOut, patient, { occurredAt: Date.UTC(2026, 0, 31, 23, 30) });
    await publish(lateEvening, nextDayInOslo);
    await consentedFor(lateEvening);
    const [change] = await statusOf(nextDayInOslo, 'withheld');
    expect(change).toMatchObject({ reason: 'outside validity', operationOutcomeCode: '1.3' });
  });

  it('does not publish a redelivered event again', async () => {
    const patient = newPatient();
    await register(optOut, { identifiers: [patient] });
    const event = eventFor(optOut, patient);
    const later = eventFor(optOut, patient);
    // Same patient key, same partition: `later` is decided after both copies of `event`.
    await publish(event);
    await publish(event);
    await publish(later);
    await consentedFor(later);
    expect(await consentedRecords.find((r) => r.event.eventId === event.eventId)).toHaveLength(1);
    expect(
      await statusRecords.find((c) => c.eventId === event.eventId && c.stage === 'consented'),
    ).toHaveLength(1);
  });

  it('keeps held events and state across a restart', async () => {
    const registered = newPatient();
    await register(optOut, { identifiers: [registered] });
    const waiting = newPatient();
    const held = eventFor(optOut, waiting);
    await publish(held);
    await eventually(async () => {
      const rows: unknown[] = await dataSource().query(
        'SELECT 1 FROM consent.held_events WHERE event_id = $1',
        [held.eventId],
      );
      return rows.length === 1 ? rows : undefined;
    });
    await service.close();
    service = await startServiceForTest(consentService, overrides);
    // State from the compacted topic: the registration made before the restart still counts.
    const event = eventFor(optOut, registered);
    await publish(event);
    await consentedFor(event);
    await register(optOut, { identifiers: [waiting] });
    const [record] = await consentedFor(held);
    expect(record?.consent.heldSince).toEqual(expect.any(Number));
  });
});
