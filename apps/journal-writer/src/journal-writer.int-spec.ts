import { randomUUID } from 'node:crypto';
import type { Bundle, Composition, OperationOutcome } from '@medplum/fhirtypes';
import type { DataSource } from 'typeorm';
import { issueToken } from '@knutepunkt/auth/testing';
import { CoalescingProducer, createKafka, ensureTopics } from '@knutepunkt/kafka';
import { readTopic, type TopicReader } from '@knutepunkt/kafka/testing';
import {
  createSerde,
  epjTopic,
  Topics,
  type AuditRecord,
  type ConsentedEvent,
  type Identifier,
  type JournalEntry,
  type StatusChange,
} from '@knutepunkt/schemas';
import {
  aClient,
  aConsentedEvent,
  aMunicipality,
  anEpjIdentifier,
  aWelfareEvent,
  identifierSystems,
  syntheticFodselsnummer,
  aFreshOrgnr,
} from '@knutepunkt/schemas/testing';
import { openDatabase, patientKeyDeriver, type RunningService } from '@knutepunkt/service';
import {
  describeServiceBoot,
  publishRegistryEntries,
  startServiceForTest,
} from '@knutepunkt/service/testing';
import { eventually, integrationEnv, uniqueName } from '@knutepunkt/testing';
import { database } from './database';
import { journalWriterService } from './journal-writer.service';
import { OutboxRelay } from './outbox/outbox-relay';
import { PostgresJournalStore, type NewJournalEntry } from './persistence/journal-store';

describeServiceBoot(journalWriterService);

const env = integrationEnv();
const brokers = (env['KAFKA_BROKERS'] ?? '').split(',');
const serde = createSerde({ registryUrl: env['SCHEMA_REGISTRY_URL'] ?? '' });
const derive = patientKeyDeriver({ envSource: env });

const silentLogger = {
  warn: () => undefined,
  error: () => undefined,
  info: () => undefined,
  debug: () => undefined,
} as unknown as ConstructorParameters<typeof OutboxRelay>[2];

describe('outbox relay: a crash between the broker ack and the delete', () => {
  it('publishes the message again on the next round, and then never more', async () => {
    const dataSource = await openDatabase(database, {
      url: env['DATABASE_URL'] ?? '',
      poolMax: 4,
      runMigrations: true,
      applicationName: 'journal-writer-relay-test',
    });
    const kafka = createKafka({ brokers, clientId: 'journal-writer-relay-test' });
    const producer = new CoalescingProducer(kafka);
    await producer.connect();
    const topic = uniqueName('knutepunkt-test-outbox');
    await ensureTopics(kafka, [{ name: topic, partitions: 1, configEntries: [] }], 1);
    const reader = await readTopic(brokers, topic);
    try {
      const marker = randomUUID();
      await dataSource.query(
        `INSERT INTO journal.outbox (topic, message_key, value, headers) VALUES ($1, $2, $3, '{}')`,
        [topic, marker, Buffer.from(marker)],
      );
      const crashing = new OutboxRelay(dataSource, producer, silentLogger, {
        batchSize: 5_000,
        sweepIntervalMs: 60_000,
        afterPublish: () => Promise.reject(new Error('process killed after the ack')),
      });
      await expect(crashing.relayOnce()).rejects.toThrow('process killed');
      await reader.waitFor((m) => m.key === marker, 1);
      const left: { n: string }[] = await dataSource.query(
        'SELECT count(*) AS n FROM journal.outbox WHERE message_key = $1',
        [marker],
      );
      expect(left[0]?.n).toBe('1');

      const relay = new OutboxRelay(dataSource, producer, silentLogger, {
        batchSize: 5_000,
        sweepIntervalMs: 60_000,
      });
      await relay.kick();
      await reader.waitFor((m) => m.key === marker, 2);
      const after: { n: string }[] = await dataSource.query(
        'SELECT count(*) AS n FROM journal.outbox WHERE message_key = $1',
        [marker],
      );
      expect(after[0]?.n).toBe('0');
      await relay.kick();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(reader.messages.filter((m) => m.key === marker)).toHaveLength(2);
    } finally {
      await reader.close();
      await producer.disconnect();
      await dataSource.destroy();
    }
  });
});

describe('outbox relay: alarms first', () => {
  it("stores an alarm's messages as urgent and publishes them in the next round, ahead of a routine backlog written before them", async () => {
    const dataSource = await openDatabase(database, {
      url: env['DATABASE_URL'] ?? '',
      poolMax: 4,
      runMigrations: true,
      applicationName: 'journal-writer-relay-priority-test',
    });
    const kafka = createKafka({ brokers, clientId: 'journal-writer-relay-priority-test' });
    const producer = new CoalescingProducer(kafka);
    await producer.connect();
    const topic = uniqueName('knutepunkt-test-outbox-priority');
    await ensureTopics(kafka, [{ name: topic, partitions: 1, configEntries: [] }], 1);
    const reader = await readTopic(brokers, topic);
    try {
      const run = randomUUID();
      const routine = 120;
      // A routine backlog first, then one alarm: in id order the alarm would be the last out.
      await dataSource.query(
        `INSERT INTO journal.outbox (topic, message_key, value, headers)
         SELECT $1, $2 || ':routine:' || i, convert_to('routine', 'UTF8'), '{}'
           FROM generate_series(1, $3::int) AS i`,
        [topic, run, routine],
      );
      // Then the writer stores a batch with a routine entry and an alarm, in that order.
      const orgnr = aFreshOrgnr();
      const entry = (urgent: boolean): NewJournalEntry => {
        const entryId = randomUUID();
        return {
          entryId,
          eventId: randomUUID(),
          submissionId: randomUUID(),
          orgnr,
          patientKey: 'd'.repeat(64),
          patientKeys: ['d'.repeat(64)],
          vendorClientId: 'vendor',
          service: 'TA',
          kind: 'Alert',
          urgent,
          createdAt: new Date(),
          lastUpdated: new Date(),
          compositionJson: JSON.stringify({ resourceType: 'Composition', id: entryId }),
        };
      };
      await new PostgresJournalStore(dataSource).writeEntries([entry(false), entry(true)], (e) => [
        {
          topic,
          key: `${run}:${e.urgent ? 'urgent' : 'routine:last'}`,
          value: Buffer.from(e.entryId),
        },
      ]);
      await dataSource.query('DELETE FROM journal.entries WHERE orgnr = $1', [orgnr]);
      const relay = new OutboxRelay(dataSource, producer, silentLogger, {
        batchSize: 50,
        sweepIntervalMs: 60_000,
      });
      const round = async (): Promise<number> => {
        for (;;) {
          const published = await relay.relayOnce();
          if (published !== 'busy') return published;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      await round();
      // After one round of 50: the alarm is out, most of the backlog still waits.
      const [left] = await dataSource.query<{ urgent: string; routine: string }[]>(
        `SELECT count(*) FILTER (WHERE urgent) AS urgent, count(*) FILTER (WHERE NOT urgent) AS routine
           FROM journal.outbox WHERE topic = $1`,
        [topic],
      );
      expect(left?.urgent).toBe('0');
      expect(Number(left?.routine)).toBeGreaterThan(0);
      while ((await round()) > 0);

      const ours = await reader.waitFor((m) => m.key?.startsWith(run) === true, routine + 2);
      expect(ours[0]?.key).toBe(`${run}:urgent`);
      // Within the routine lane, still in the order written.
      expect(ours.slice(1).map((m) => m.key)).toEqual([
        ...Array.from({ length: routine }, (_, i) => `${run}:routine:${i + 1}`),
        `${run}:routine:last`,
      ]);
    } finally {
      await reader.close();
      await producer.disconnect();
      await dataSource.destroy();
    }
  });
});

describe('journal-writer against the real stack', () => {
  const orgnr = aFreshOrgnr();
  const otherOrgnr = aFreshOrgnr();
  const pagingOrgnr = aFreshOrgnr();
  const orderOrgnr = aFreshOrgnr();
  const textOrderOrgnr = aFreshOrgnr();
  const epjClient = uniqueName('epj-a');
  const otherEpjClient = uniqueName('epj-b');
  let service: RunningService;
  let producer: CoalescingProducer;
  let statuses: TopicReader;
  let audits: TopicReader;
  let readToken: string;
  let otherToken: string;
  let sequence = 0;
  let writerDatabase: DataSource;
  const writerApplicationName = uniqueName('journal-writer-int-test-writer');

  const patientOf = (identifier: Identifier) => ({
    identifier,
    patientKey: derive({ orgnr, identifier }),
  });

  /** A consented event for a new patient of `orgnr`, with a fødselsnummer and an EPJ number. */
  function consentedEvent(overrides: { orgnr?: string; urgent?: boolean } = {}): ConsentedEvent {
    sequence += 1;
    const fnr = {
      system: identifierSystems.fodselsnummer,
      value: syntheticFodselsnummer(sequence),
    };
    const epjNumber = anEpjIdentifier(String(100_000 + sequence));
    const patient = patientOf(fnr);
    return aConsentedEvent({
      event: aWelfareEvent({
        eventId: randomUUID(),
        submissionId: randomUUID(),
        orgnr: overrides.orgnr ?? orgnr,
        patient,
        urgent: overrides.urgent ?? false,
        occurredAt: Date.now() - 60_000,
        receivedAt: Date.now(),
      }),
      consent: { patient, registeredIdentifiers: [fnr, epjNumber] },
    });
  }

  async function produce(events: readonly ConsentedEvent[], urgent = false): Promise<void> {
    const topic = urgent ? Topics.consentedUrgent : Topics.consented;
    await producer.send(
      events.map((e) => ({
        topic: topic.name,
        key: e.consent.patient.patientKey,
        value: serde.encode(topic, e),
      })),
    );
  }

  async function entryRows(eventId: string): Promise<{ entry_id: string }[]> {
    return (await service.runtime.dataSource?.query(
      'SELECT entry_id FROM journal.entries WHERE event_id = $1',
      [eventId],
    )) as { entry_id: string }[];
  }

  const journaled = (eventId: string) =>
    eventually(async () => {
      const rows = await entryRows(eventId);
      return rows[0]?.entry_id;
    }, 30_000);

  function search(
    body: string | Record<string, unknown>,
    options: { token?: string; orgnr?: string; url?: string; contentType?: string } = {},
  ): Promise<Response> {
    const form = typeof body === 'string';
    return fetch(options.url ?? `${service.url}/epj/${options.orgnr ?? orgnr}/_search`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.token ?? readToken}`,
        'content-type':
          options.contentType ?? (form ? 'application/x-www-form-urlencoded' : 'application/json'),
      },
      body: form ? body : JSON.stringify(body),
    });
  }

  const acknowledge = (entryId: string, token = readToken, org = orgnr) =>
    fetch(`${service.url}/epj/${org}/Composition/${entryId}/$journaling-acknowledged`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });

  const nextUrl = (bundle: Bundle) => bundle.link?.find((l) => l.relation === 'next')?.url ?? '';

  /**
   * The StatusChanges of one submission read so far (the topic's key), decoded: the shared
   * status topic holds hundreds of thousands of records from every run, so only the
   * submission's own are decoded.
   */
  async function statusChanges(
    submissionId: string,
    predicate: (s: StatusChange) => boolean,
  ): Promise<StatusChange[]> {
    const values = await Promise.all(
      statuses.messages
        .filter((m) => m.key === submissionId && m.value)
        .map((m) => serde.decode(Topics.status, m.value ?? Buffer.alloc(0)).catch(() => null)),
    );
    return values.filter((v): v is StatusChange => v !== null && predicate(v));
  }

  /** The AuditRecords about one patient (the topic's key) read so far, decoded. */
  async function auditRecords(
    patientKey: string,
    predicate: (a: AuditRecord) => boolean,
  ): Promise<AuditRecord[]> {
    const values = await Promise.all(
      audits.messages
        .filter((m) => m.key === patientKey && m.value)
        .map((m) => serde.decode(Topics.audit, m.value ?? Buffer.alloc(0)).catch(() => null)),
    );
    return values.filter((v): v is AuditRecord => v !== null && predicate(v));
  }

  beforeAll(async () => {
    await publishRegistryEntries([
      { kind: 'municipality', municipality: aMunicipality({ orgnr, name: 'Kommune A' }) },
      {
        kind: 'municipality',
        municipality: aMunicipality({ orgnr: otherOrgnr, name: 'Kommune B' }),
      },
      { kind: 'municipality', municipality: aMunicipality({ orgnr: pagingOrgnr, name: 'C' }) },
      { kind: 'municipality', municipality: aMunicipality({ orgnr: orderOrgnr, name: 'D' }) },
      { kind: 'municipality', municipality: aMunicipality({ orgnr: textOrderOrgnr, name: 'E' }) },
      {
        kind: 'client',
        client: aClient({
          clientId: epjClient,
          kind: 'epj',
          municipalities: [orgnr, pagingOrgnr, orderOrgnr, textOrderOrgnr],
          services: [],
        }),
      },
      {
        kind: 'client',
        client: aClient({
          clientId: otherEpjClient,
          kind: 'epj',
          municipalities: [otherOrgnr],
          services: [],
        }),
      },
    ]);
    readToken = await issueToken({
      sub: epjClient,
      scope: 'knutepunkt:epj.read knutepunkt:epj.ack',
    });
    otherToken = await issueToken({
      sub: otherEpjClient,
      scope: 'knutepunkt:epj.read knutepunkt:epj.ack',
    });
    service = await startServiceForTest(journalWriterService, {
      JOURNAL_OUTBOX_SWEEP_INTERVAL_MS: '200',
      // The oldest-entry gauges come from a cache refreshed on this timer (default 15 s).
      JOURNAL_METRICS_REFRESH_INTERVAL_MS: '200',
    });
    const kafka = createKafka({ brokers, clientId: 'journal-writer-int-test' });
    producer = new CoalescingProducer(kafka);
    await producer.connect();
    await serde.register(Topics.consented);
    await serde.register(Topics.consentedUrgent);
    statuses = await readTopic(brokers, Topics.status.name, { from: 'end' });
    audits = await readTopic(brokers, Topics.audit.name, { from: 'end' });
    // Tests that write entries directly have a pool of their own, so the service's
    // connections stay free for the reader.
    writerDatabase = await openDatabase(database, {
      url: env['DATABASE_URL'] ?? '',
      poolMax: 12,
      runMigrations: false,
      applicationName: writerApplicationName,
    });
  });

  afterAll(async () => {
    await writerDatabase.destroy();
    await statuses.close();
    await audits.close();
    await producer.disconnect();
    await service.close();
  });

  it('journals a consented event: entry in the database, JournalEntry on the EPJ topic, delivered', async () => {
    const consented = consentedEvent();
    await produce([consented]);
    const entryId = await journaled(consented.event.eventId);

    const epj = await readTopic(brokers, epjTopic(orgnr).name);
    try {
      const [message] = await epj.waitFor((m) => m.headers['event-id'] === consented.event.eventId);
      expect(message?.key).toBe(consented.consent.patient.patientKey);
      const entry: JournalEntry = await serde.decode(
        epjTopic(orgnr),
        message?.value ?? Buffer.alloc(0),
      );
      expect(entry).toMatchObject({
        entryId,
        eventId: consented.event.eventId,
        submissionId: consented.event.submissionId,
        orgnr,
        kind: 'Alert',
      });
      const composition = JSON.parse(entry.compositionJson) as Composition;
      expect(composition).toMatchObject({ resourceType: 'Composition', id: entryId });
      expect(composition.subject?.identifier).toEqual(consented.consent.patient.identifier);
    } finally {
      await epj.close();
    }
    // The first test also waits for the status reader to read the shared topic from its start.
    const delivered = await eventually(async () => {
      const found = await statusChanges(
        consented.event.submissionId,
        (s) => s.submissionId === consented.event.submissionId && s.stage === 'delivered',
      );
      return found.length > 0 ? found : undefined;
    }, 90_000);
    expect(delivered[0]).toMatchObject({ journalEntryId: entryId, reportedBy: 'journal-writer' });
  });

  it('journals an event delivered twice once: one entry, one JournalEntry', async () => {
    const consented = consentedEvent();
    // The same patient, so all three land on one partition, in this order.
    const marker = aConsentedEvent({
      event: { ...consented.event, eventId: randomUUID() },
      consent: consented.consent,
    });
    await produce([consented]);
    await produce([consented, marker]);
    await journaled(marker.event.eventId);
    expect(await entryRows(consented.event.eventId)).toHaveLength(1);

    const epj = await readTopic(brokers, epjTopic(orgnr).name);
    try {
      await epj.waitFor((m) => m.headers['event-id'] === marker.event.eventId);
      expect(
        epj.messages.filter((m) => m.headers['event-id'] === consented.event.eventId),
      ).toHaveLength(1);
    } finally {
      await epj.close();
    }
  });

  it('journals urgent events from the urgent twin', async () => {
    const consented = consentedEvent({ urgent: true });
    await produce([consented], true);
    await journaled(consented.event.eventId);
  });

  it("refuses without a token (401), another municipality's EPJ client (403), a missing scope (403)", async () => {
    const anonymous = await fetch(`${service.url}/epj/${orgnr}/_search`, { method: 'POST' });
    expect(anonymous.status).toBe(401);

    const foreign = await search({}, { token: otherToken });
    expect(foreign.status).toBe(403);
    const outcome = (await foreign.json()) as OperationOutcome;
    expect(outcome.issue[0]?.details?.text).toBe('EPJ.NOT_ALLOWED');
    expect(foreign.headers.get('content-type')).toContain('application/fhir+json');

    const readOnly = await issueToken({ sub: epjClient, scope: 'knutepunkt:epj.read' });
    const anyEntry = randomUUID();
    expect((await acknowledge(anyEntry, readOnly)).status).toBe(403);
    expect((await acknowledge(anyEntry, otherToken)).status).toBe(403);
  });

  it('keeps identifiers out of the URL and answers bad parameters with EPJ codes', async () => {
    const inUrl = await search({}, { url: `${service.url}/epj/${orgnr}/_search?patient=x|y` });
    expect(inUrl.status).toBe(400);
    expect(((await inUrl.json()) as OperationOutcome).issue[0]?.details?.text).toBe(
      'EPJ.IDENTIFIER_IN_URL',
    );
    const badDate = await search({ _lastUpdated: '2026-11-28' });
    expect(badDate.status).toBe(400);
    expect(((await badDate.json()) as OperationOutcome).issue[0]?.details?.text).toBe(
      'EPJ.INVALID_PARAMETER',
    );
    const malformed = await search('{', { contentType: 'application/json' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as OperationOutcome).issue[0]?.details?.text).toBe(
      'EPJ.MALFORMED_BODY',
    );
  });

  it('finds a patient by any registered identifier from a form body, and records the first read', async () => {
    const consented = consentedEvent();
    await produce([consented]);
    const entryId = await journaled(consented.event.eventId);
    const epjNumber = consented.consent.registeredIdentifiers[1];
    if (!epjNumber) throw new Error('fixture has an EPJ number');

    const form = new URLSearchParams({
      patient: `${epjNumber.system}|${epjNumber.value}`,
      status: 'unread',
      _count: '10',
    }).toString();
    const first = await search(form);
    expect(first.status).toBe(200);
    const bundle = (await first.json()) as Bundle<Composition>;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    expect(bundle.entry?.map((e) => e.resource?.id)).toEqual([entryId]);
    expect(bundle.entry?.[0]?.resource?.meta?.tag?.[0]?.code).toBe('read');
    expect(nextUrl(bundle)).toContain('cursor=');
    expect(nextUrl(bundle)).not.toContain(epjNumber.value);

    // Read now: an unread search no longer finds it, a read one does.
    const again = (await (await search(form)).json()) as Bundle;
    expect(again.entry ?? []).toHaveLength(0);
    const read = (await (
      await search({ patient: `${epjNumber.system}|${epjNumber.value}`, status: 'read' })
    ).json()) as Bundle;
    expect(read.entry?.map((e) => e.resource?.id)).toEqual([entryId]);

    const readStatuses = await eventually(async () => {
      const found = await statusChanges(
        consented.event.submissionId,
        (s) => s.journalEntryId === entryId && s.stage === 'read',
      );
      return found.length > 0 ? found : undefined;
    });
    expect(readStatuses).toHaveLength(1);
    const readAudits = await eventually(async () => {
      const found = await auditRecords(
        consented.consent.patient.patientKey,
        (a) => a.entity.id === entryId && a.action === 'journal-entry.read',
      );
      return found.length >= 2 ? found : undefined;
    });
    expect(readAudits[0]).toMatchObject({
      actor: { kind: 'epj', clientId: epjClient },
      patientKey: consented.consent.patient.patientKey,
      orgnr,
    });
  });

  it('acknowledges once however often it is told (202 each time, journaled once)', async () => {
    const consented = consentedEvent();
    await produce([consented]);
    const entryId = await journaled(consented.event.eventId);

    const first = await acknowledge(entryId);
    expect(first.status).toBe(202);
    const second = await acknowledge(entryId);
    expect(second.status).toBe(202);
    expect((await acknowledge(randomUUID())).status).toBe(404);

    await eventually(async () => {
      const found = await auditRecords(
        consented.consent.patient.patientKey,
        (a) => a.entity.id === entryId && a.action === 'journal-entry.acknowledge',
      );
      return found.length >= 2 ? found : undefined;
    });
    const journaledStatuses = await statusChanges(
      consented.event.submissionId,
      (s) => s.journalEntryId === entryId && s.stage === 'journaled',
    );
    expect(journaledStatuses).toHaveLength(1);
    const journaledSearch = (await (
      await search({ status: 'journaled', _count: 500 })
    ).json()) as Bundle;
    expect(journaledSearch.entry?.map((e) => e.resource?.id)).toContain(entryId);
  });

  it('counts entries, reads and acknowledgements, times deliveries, and shows the oldest waiting entries', async () => {
    const p = 'knutepunkt_journal_writer_';
    const oldest = new RegExp(
      `${p}oldest_unacknowledged_entry_age_seconds\\{[^}]*orgnr="${orgnr}"`,
    );
    // The oldest-entry gauges show what the last refresh (every 200 ms here) found.
    const text = await eventually(async () => {
      const scraped = await (await fetch(`${service.url}/metrics`)).text();
      return oldest.test(scraped) ? scraped : undefined;
    });
    expect(text).toMatch(
      new RegExp(`${p}entries_written_total\\{[^}]*orgnr="${orgnr}",outcome="created"`),
    );
    expect(text).toMatch(
      new RegExp(`${p}entries_written_total\\{[^}]*orgnr="${orgnr}",outcome="duplicate"`),
    );
    expect(text).toMatch(
      new RegExp(`${p}epj_entries_read_total\\{[^}]*orgnr="${orgnr}",outcome="first_read"`),
    );
    expect(text).toMatch(
      new RegExp(`${p}epj_acknowledgements_total\\{[^}]*orgnr="${orgnr}",outcome="repeat"`),
    );
    expect(text).toMatch(oldest);
    // From the submission's receipt to the entry committed, per lane: what the delivery SLOs read.
    expect(text).toMatch(
      new RegExp(
        `${p}delivery_latency_seconds_count\\{[^}]*orgnr="${orgnr}",lane="(routine|urgent)"`,
      ),
    );
    expect(text).toContain(`# TYPE ${p}oldest_unread_entry_age_seconds gauge`);
  });

  /** An entry to write straight into the store (the paging tests need many, fast). */
  function directEntry(org: string): NewJournalEntry {
    const entryId = randomUUID();
    return {
      entryId,
      eventId: randomUUID(),
      submissionId: randomUUID(),
      orgnr: org,
      patientKey: 'f'.repeat(64),
      patientKeys: ['f'.repeat(64)],
      vendorClientId: 'vendor',
      service: 'TA',
      kind: 'Alert',
      urgent: false,
      createdAt: new Date(),
      lastUpdated: new Date(),
      compositionJson: JSON.stringify({ resourceType: 'Composition', id: entryId }),
    };
  }

  it('finds, per municipality, its oldest unacknowledged and oldest unread entry (what the gauges show)', async () => {
    const store = new PostgresJournalStore(writerDatabase);
    const waiting = aFreshOrgnr();
    const allRead = aFreshOrgnr();
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    const [acknowledged, read, unread] = [30, 20, 10].map((minutes) => ({
      ...directEntry(waiting),
      createdAt: at(minutes),
    }));
    const readElsewhere = { ...directEntry(allRead), createdAt: at(5) };
    if (!acknowledged || !read || !unread) throw new Error('no entries');
    await store.writeEntries([acknowledged, read, unread, readElsewhere], () => []);
    await writerDatabase.query(
      `UPDATE journal.entries SET read_at = now(), journaled_at = now() WHERE entry_id = $1`,
      [acknowledged.entryId],
    );
    await writerDatabase.query(
      `UPDATE journal.entries SET read_at = now() WHERE entry_id = ANY($1)`,
      [[read.entryId, readElsewhere.entryId]],
    );

    const found = await store.oldestWaiting();
    expect(found.find((row) => row.orgnr === waiting)).toEqual({
      orgnr: waiting,
      oldestUnacknowledgedAt: read.createdAt,
      oldestUnreadAt: unread.createdAt,
    });
    expect(found.find((row) => row.orgnr === allRead)).toEqual({
      orgnr: allRead,
      oldestUnacknowledgedAt: readElsewhere.createdAt,
      oldestUnreadAt: null,
    });

    await writerDatabase.query(
      `UPDATE journal.entries SET journaled_at = now() WHERE orgnr = ANY($1)`,
      [[waiting, allRead]],
    );
    const after = await store.oldestWaiting();
    expect(after.filter((row) => row.orgnr === waiting || row.orgnr === allRead)).toEqual([]);
  });

  it('never lets the cursor pass an entry that commits after a later one', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = (): void => undefined;
    const isHolding = new Promise<void>((resolve) => (holding = resolve));
    const slow = new PostgresJournalStore(writerDatabase, {
      beforeCommit: () => {
        holding();
        return held;
      },
    });
    const fast = new PostgresJournalStore(writerDatabase);
    const first = directEntry(orderOrgnr);
    const second = directEntry(orderOrgnr);
    // `first` takes its sequence number and stays uncommitted; `second` comes after it.
    const writingFirst = slow.writeEntries([first], () => []);
    await isHolding;
    let secondCommitted = false;
    const writingSecond = fast
      .writeEntries([second], () => [])
      .then(() => (secondCommitted = true));
    // Until `second` has either committed or is waiting for a lock: no sleeping on a guess.
    await eventually(async () => {
      if (secondCommitted) return true;
      const waiting: unknown[] = await writerDatabase.query(
        `SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
        [writerApplicationName],
      );
      return waiting.length > 0 ? true : undefined;
    });
    const during = (await (await search({}, { orgnr: orderOrgnr })).json()) as Bundle;
    // Had `second` been visible now, the cursor would already be past `first`.
    expect(during.entry ?? []).toHaveLength(0);
    release();
    await Promise.all([writingFirst, writingSecond]);
    const after = (await (
      await search({}, { orgnr: orderOrgnr, url: nextUrl(during) })
    ).json()) as Bundle;
    expect(after.entry?.map((e) => e.resource?.id)).toEqual([first.entryId, second.entryId]);
  });

  it('orders by sequence number, not by its text, across 9999999999999 → 10000000000000', async () => {
    const seqs = ['9999999999998', '9999999999999', '10000000000000', '10000000000001'];
    const entries = seqs.map(() => directEntry(textOrderOrgnr));
    try {
      for (const [index, e] of entries.entries()) {
        await writerDatabase.query(
          `INSERT INTO journal.entries (entry_id, seq, event_id, submission_id, orgnr, patient_key,
             patient_keys, vendor_client_id, service, kind, urgent, created_at, last_updated,
             composition_json)
           OVERRIDING SYSTEM VALUE
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          [
            e.entryId,
            seqs[index],
            e.eventId,
            e.submissionId,
            e.orgnr,
            e.patientKey,
            e.patientKeys,
            e.vendorClientId,
            e.service,
            e.kind,
            e.urgent,
            e.createdAt,
            e.lastUpdated,
            e.compositionJson,
          ],
        );
      }
      const first = (await (
        await search({ _count: 2 }, { orgnr: textOrderOrgnr })
      ).json()) as Bundle;
      const second = (await (
        await search({}, { orgnr: textOrderOrgnr, url: nextUrl(first) })
      ).json()) as Bundle;
      expect([...(first.entry ?? []), ...(second.entry ?? [])].map((e) => e.resource?.id)).toEqual(
        entries.map((e) => e.entryId),
      );
    } finally {
      await writerDatabase.query('DELETE FROM journal.entries WHERE orgnr = $1', [textOrderOrgnr]);
    }
  });

  it('pages with the cursor through entries written concurrently: each entry exactly once', async () => {
    // Each writer holds its sequence numbers uncommitted for a while: without the store's
    // per-municipality ordering, a later number would commit first and the cursor pass it.
    const store = new PostgresJournalStore(writerDatabase, {
      beforeCommit: () => new Promise((resolve) => setTimeout(resolve, Math.random() * 20)),
    });
    const total = 1_000;
    const writers = 8;
    const perTransaction = 5;
    const written: string[] = [];
    const entry = (): NewJournalEntry => {
      const made = directEntry(pagingOrgnr);
      written.push(made.entryId);
      return made;
    };
    // Eight writers at once, each committing small transactions at random moments, while
    // the reader pages.
    const writing = Promise.all(
      Array.from({ length: writers }, async () => {
        for (let n = 0; n < total / writers / perTransaction; n += 1) {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
          await store.writeEntries(Array.from({ length: perTransaction }, entry), () => []);
        }
      }),
    );
    const seen: string[] = [];
    let url = `${service.url}/epj/${pagingOrgnr}/_search`;
    let body: Record<string, unknown> = { _count: 50 };
    const deadline = Date.now() + 60_000;
    while (seen.length < total && Date.now() < deadline) {
      const response = await search(body, { orgnr: pagingOrgnr, url });
      expect(response.status).toBe(200);
      const page = (await response.json()) as Bundle;
      for (const e of page.entry ?? []) seen.push(e.resource?.id ?? '');
      url = nextUrl(page);
      body = {};
      if ((page.entry ?? []).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await writing;
    // Past the end now: the next link stays put and returns nothing new.
    const tail = (await (await search({}, { orgnr: pagingOrgnr, url })).json()) as Bundle;
    for (const e of tail.entry ?? []) seen.push(e.resource?.id ?? '');

    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(total);
    expect(new Set(seen)).toEqual(new Set(written));
  });
});
