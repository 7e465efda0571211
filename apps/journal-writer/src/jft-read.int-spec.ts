import { randomUUID } from 'node:crypto';
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes';
import type { DataSource } from 'typeorm';
import { issueToken } from '@knutepunkt/auth/testing';
import { CoalescingProducer, createKafka } from '@knutepunkt/kafka';
import { createSerde, Topics, type ConsentedEvent } from '@knutepunkt/schemas';
import {
  aClient,
  aConsentedEvent,
  aFreshOrgnr,
  aMunicipality,
  aWelfareEvent,
  identifierSystems,
  syntheticFodselsnummer,
} from '@knutepunkt/schemas/testing';
import { openDatabase, patientKeyDeriver, type RunningService } from '@knutepunkt/service';
import { publishRegistryEntries, startServiceForTest } from '@knutepunkt/service/testing';
import { eventually, integrationEnv, uniqueName } from '@knutepunkt/testing';
import { database } from './database';
import { journalWriterService } from './journal-writer.service';
import { PostgresJournalStore, type NewJournalEntry } from './persistence/journal-store';

const env = integrationEnv();
const brokers = (env['KAFKA_BROKERS'] ?? '').split(',');
const serde = createSerde({ registryUrl: env['SCHEMA_REGISTRY_URL'] ?? '' });
const derive = patientKeyDeriver({ envSource: env });

/**
 * JFT's ReadAPI as an alias (DESIGN.md "Drop-in compatibility"): an EPJ built for JFT reads,
 * pages and acknowledges the same entries by changing only its base URL; the municipality
 * comes from the token's orgnr_parent.
 */
describe("JFT's ReadAPI on journal-writer", () => {
  const orgnr = aFreshOrgnr();
  const pagingOrgnr = aFreshOrgnr();
  const unregisteredOrgnr = aFreshOrgnr();
  const epjClient = uniqueName('jft-epj');
  let service: RunningService;
  let producer: CoalescingProducer;
  let writerDatabase: DataSource;
  let sequence = 0;

  const tokenFor = (
    orgnrParent: string | undefined,
    scope = 'knutepunkt:epj.read knutepunkt:epj.ack',
  ) =>
    issueToken({
      sub: epjClient,
      scope,
      ...(orgnrParent === undefined ? {} : { orgnrParent }),
    });

  function consentedEvent(): ConsentedEvent {
    sequence += 1;
    const identifier = {
      system: identifierSystems.fodselsnummer,
      value: syntheticFodselsnummer(500 + sequence),
    };
    const patient = { identifier, patientKey: derive({ orgnr, identifier }) };
    return aConsentedEvent({
      event: aWelfareEvent({
        eventId: randomUUID(),
        submissionId: randomUUID(),
        orgnr,
        patient,
        occurredAt: Date.now() - 60_000,
        receivedAt: Date.now(),
      }),
      consent: { patient, registeredIdentifiers: [identifier] },
    });
  }

  async function journaled(eventId: string): Promise<string> {
    return eventually(async () => {
      const rows = await writerDatabase.query<{ entry_id: string }[]>(
        'SELECT entry_id FROM journal.entries WHERE event_id = $1',
        [eventId],
      );
      return rows[0]?.entry_id;
    }, 30_000);
  }

  /** GET /v1/{type} with the query, or a `next` URL as it came. */
  const get = (token: string, pathOrUrl: string) =>
    fetch(pathOrUrl.startsWith('http') ? pathOrUrl : `${service.url}${pathOrUrl}`, {
      headers: { authorization: `Bearer ${token}` },
    });

  const post = (token: string, path: string, form?: Record<string, string>) =>
    fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(form === undefined ? {} : { body: new URLSearchParams(form).toString() }),
    });

  const acknowledge = (token: string, entryId: string, type = 'Composition') =>
    post(token, `/v1/${type}/${entryId}/$journaling-acknowledged`);

  const idsOf = (bundle: Bundle) => (bundle.entry ?? []).map((e) => e.resource?.id ?? '');
  const nextUrl = (bundle: Bundle) => bundle.link?.find((l) => l.relation === 'next')?.url ?? '';
  const errorCode = async (response: Response) =>
    ((await response.json()) as OperationOutcome).issue[0]?.details?.text;

  function directEntry(org: string): NewJournalEntry {
    const entryId = randomUUID();
    return {
      entryId,
      eventId: randomUUID(),
      submissionId: randomUUID(),
      orgnr: org,
      patientKey: 'e'.repeat(64),
      patientKeys: ['e'.repeat(64)],
      vendorClientId: 'vendor',
      service: 'TA',
      kind: 'Alert',
      urgent: false,
      createdAt: new Date(),
      lastUpdated: new Date(),
      compositionJson: JSON.stringify({ resourceType: 'Composition', id: entryId }),
    };
  }

  beforeAll(async () => {
    await publishRegistryEntries([
      { kind: 'municipality', municipality: aMunicipality({ orgnr, name: 'JFT A' }) },
      { kind: 'municipality', municipality: aMunicipality({ orgnr: pagingOrgnr, name: 'JFT P' }) },
      {
        kind: 'municipality',
        municipality: aMunicipality({ orgnr: unregisteredOrgnr, name: 'JFT U' }),
      },
      {
        kind: 'client',
        client: aClient({
          clientId: epjClient,
          kind: 'epj',
          municipalities: [orgnr, pagingOrgnr],
          services: [],
        }),
      },
    ]);
    service = await startServiceForTest(journalWriterService, {
      JOURNAL_OUTBOX_SWEEP_INTERVAL_MS: '200',
    });
    producer = new CoalescingProducer(createKafka({ brokers, clientId: 'jft-read-int-test' }));
    await producer.connect();
    await serde.register(Topics.consented);
    writerDatabase = await openDatabase(database, {
      url: env['DATABASE_URL'] ?? '',
      poolMax: 10,
      runMigrations: false,
      applicationName: uniqueName('jft-read-int-test'),
    });
  });

  afterAll(async () => {
    await writerDatabase.query('DELETE FROM journal.entries WHERE orgnr = $1', [pagingOrgnr]);
    await writerDatabase.destroy();
    await producer.disconnect();
    await service.close();
  });

  it("serves consented events from Kafka at GET /v1/Composition for the token's orgnr_parent, and acknowledges them there", async () => {
    const events = [consentedEvent(), consentedEvent()];
    await producer.send(
      events.map((e) => ({
        topic: Topics.consented.name,
        key: e.consent.patient.patientKey,
        value: serde.encode(Topics.consented, e),
      })),
    );
    const [first, second] = await Promise.all(events.map((e) => journaled(e.event.eventId)));
    if (!first || !second) throw new Error('both journaled');
    const token = await tokenFor(orgnr);

    const response = await get(token, '/v1/Composition?_count=10&_tag:not=journaled');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/fhir+json');
    const bundle = (await response.json()) as Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    expect(idsOf(bundle)).toEqual(expect.arrayContaining([first, second]));
    expect(bundle.entry?.[0]?.fullUrl).toMatch(/\/v1\/Composition\/[0-9a-f-]{36}$/);
    expect(nextUrl(bundle)).toMatch(/\/v1\/Composition\?cursor=/);

    expect((await acknowledge(token, first)).status).toBe(202);
    expect((await acknowledge(token, first)).status).toBe(202);
    // Not yet journaled: the acknowledged entry is gone, the other one is still there.
    const waiting = (await (
      await post(token, '/v1/Composition/_search', { '_tag:not': 'journaled', _count: '500' })
    ).json()) as Bundle;
    expect(idsOf(waiting)).toContain(second);
    expect(idsOf(waiting)).not.toContain(first);

    // The same store: Knutepunkt's own API sees the acknowledgement made through JFT's.
    const native = await fetch(`${service.url}/epj/${orgnr}/_search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'journaled' }),
    });
    expect(idsOf((await native.json()) as Bundle)).toEqual([first]);
  });

  it('refuses like the EPJ API: no orgnr_parent 401, an unregistered municipality 403, other types 404', async () => {
    const noParent = await get(await tokenFor(undefined), '/v1/Composition');
    expect(noParent.status).toBe(401);
    expect(noParent.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(await errorCode(noParent)).toBe('EPJ.NO_ORGNR_PARENT');
    expect((await acknowledge(await tokenFor(undefined), randomUUID())).status).toBe(401);

    const foreign = await tokenFor(unregisteredOrgnr);
    const forbidden = await get(foreign, '/v1/Composition');
    expect(forbidden.status).toBe(403);
    expect(await errorCode(forbidden)).toBe('EPJ.NOT_ALLOWED');
    expect((await acknowledge(foreign, randomUUID())).status).toBe(403);

    const token = await tokenFor(orgnr);
    const bundles = await get(token, '/v1/Bundle');
    expect(bundles.status).toBe(404);
    expect(await errorCode(bundles)).toBe('EPJ.UNSUPPORTED_TYPE');
    expect((await acknowledge(token, randomUUID(), 'MedicationDispense')).status).toBe(404);
    expect((await acknowledge(token, randomUUID())).status).toBe(404);

    const readOnly = await tokenFor(orgnr, 'knutepunkt:epj.read');
    expect((await acknowledge(readOnly, randomUUID())).status).toBe(403);
    expect((await fetch(`${service.url}/v1/Composition`)).status).toBe(401);

    const identifierInUrl = await get(token, '/v1/Composition?patient=x%7Cy');
    expect(identifierInUrl.status).toBe(400);
    expect(await errorCode(identifierInUrl)).toBe('EPJ.IDENTIFIER_IN_URL');
  });

  it('pages with the cursor while entries are written: each once; _tag:not then leaves out what was acknowledged', async () => {
    const store = new PostgresJournalStore(writerDatabase, {
      beforeCommit: () => new Promise((resolve) => setTimeout(resolve, Math.random() * 20)),
    });
    const total = 400;
    const written: string[] = [];
    const writing = Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let n = 0; n < total / 4 / 5; n += 1) {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
          const batch = Array.from({ length: 5 }, () => directEntry(pagingOrgnr));
          written.push(...batch.map((e) => e.entryId));
          await store.writeEntries(batch, () => []);
        }
      }),
    );
    const token = await tokenFor(pagingOrgnr);
    const seen: string[] = [];
    const acknowledged = new Set<string>();
    let url = '/v1/Composition?_count=40&_tag:not=journaled&_sort=_lastUpdated';
    const deadline = Date.now() + 60_000;
    while (seen.length < total && Date.now() < deadline) {
      const response = await get(token, url);
      expect(response.status).toBe(200);
      const page = (await response.json()) as Bundle;
      for (const id of idsOf(page)) {
        seen.push(id);
        // Every third entry is filed and acknowledged at once, through the alias.
        if (seen.length % 3 === 0) {
          expect((await acknowledge(token, id)).status).toBe(202);
          acknowledged.add(id);
        }
      }
      url = nextUrl(page);
      if (idsOf(page).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await writing;
    const tail = (await (await get(token, url)).json()) as Bundle;
    seen.push(...idsOf(tail));

    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(written));

    // From the start again: exactly what was not acknowledged, in two pages, once each.
    const waiting: string[] = [];
    let page = (await (
      await get(token, '/v1/Composition?_count=200&_tag:not=journaled')
    ).json()) as Bundle;
    waiting.push(...idsOf(page));
    page = (await (await get(token, nextUrl(page))).json()) as Bundle;
    waiting.push(...idsOf(page));
    expect(waiting).toHaveLength(total - acknowledged.size);
    expect(new Set(waiting)).toEqual(new Set(written.filter((id) => !acknowledged.has(id))));
  });

  it('sorts newest first with _sort=-_lastUpdated and pages backwards without repeats', async () => {
    const token = await tokenFor(pagingOrgnr);
    const ascending = (await (
      await post(token, '/v1/Composition/_search', { _count: '500' })
    ).json()) as Bundle;
    const oldestFirst = idsOf(ascending);
    expect(oldestFirst.length).toBeGreaterThan(100);

    const newestFirst: string[] = [];
    let url = '/v1/Composition?_count=100&_sort=-_lastUpdated';
    for (;;) {
      const page = (await (await get(token, url)).json()) as Bundle;
      if (idsOf(page).length === 0) break;
      newestFirst.push(...idsOf(page));
      url = nextUrl(page);
    }
    expect(newestFirst).toEqual([...oldestFirst].reverse());
  });
});
