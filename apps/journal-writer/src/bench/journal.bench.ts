import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { issueToken } from '@knutepunkt/auth/testing';
import { CoalescingProducer, createKafka } from '@knutepunkt/kafka';
import {
  createSerde,
  epjTopic,
  Topics,
  welfareEventKinds,
  type ConsentedEvent,
} from '@knutepunkt/schemas';
import {
  aClient,
  aConsentedEvent,
  aFreshOrgnr,
  aMunicipality,
  aWelfareEventOfKind,
  identifierSystems,
  syntheticFodselsnummer,
} from '@knutepunkt/schemas/testing';
import { patientKeyDeriver, runService, type RunningService } from '@knutepunkt/service';
import { publishRegistryEntries } from '@knutepunkt/service/testing';
import { integrationEnv, uniqueName } from '@knutepunkt/testing';
import { encodeCursor } from '../domain';
import { journalWriterService } from '../journal-writer.service';
import { OutboxRelay } from '../outbox/outbox-relay';

/**
 * `npm run bench:journal -- [--backlog 20000] [--entries 1000000] [--searches 100]`, on the
 * local stack's broker and test database:
 *
 * 1. Journal entries written per second from a backlog: `--backlog` ConsentedEvents for a fresh
 *    municipality are produced on `knutepunkt.consented.v1` first, then journal-writer starts
 *    in-process and works them off (entry + outbox in one transaction, the relay publishing the
 *    JournalEntry, `delivered` and the AuditRecord). Timed from the first batch's start (the
 *    smallest `created_at`) until every entry is stored and no JournalEntry of the municipality
 *    waits in the outbox.
 * 2. The database's ceiling: the same entry rows inserted with plain multi-row INSERTs of 500
 *    through pg into a copy of `journal.entries` (same indexes, constraints and identity).
 * 3. EPJ search latency, page of 100, with `--entries` entries stored for one municipality
 *    (filled with INSERT … SELECT generate_series in chunks, compositions copied from part 1):
 *    p50/p99 over `--searches` sequential requests through the real HTTP API, for the polls an
 *    EPJ makes: a `next` link at a random position, `status=unread`, and `_lastUpdated=gt<t>`
 *    both as a poll (a few hundred newer entries) and catching up (t among the newest 10 %).
 *    Each search marks its entries read and writes their audit records, as in production.
 *
 * Everything the bench inserted is deleted at the end (and the backlog municipality's EPJ
 * topic); events of other runs waiting for journal-writer's consumer group are processed too
 * and slow part 1 down. What it published on the shared `knutepunkt.status.v1` and
 * `knutepunkt.audit.v1` stays (a search audits every entry it returns: about
 * 2 × backlog + 5 × (searches + 5) × 100 records, printed at the end); tests that read those
 * topics from their start read them too.
 */
const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer`);
  return value;
};

const entryColumns = [
  'entry_id',
  'event_id',
  'submission_id',
  'orgnr',
  'patient_key',
  'patient_keys',
  'vendor_client_id',
  'service',
  'kind',
  'urgent',
  'created_at',
  'last_updated',
  'composition_json',
] as const;

const seconds = (from: number) => (performance.now() - from) / 1000;

async function until(done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function main(): Promise<void> {
  const backlog = argument('backlog', 20_000);
  const entries = argument('entries', 1_000_000);
  const searches = argument('searches', 100);
  const env = integrationEnv({ LOG_LEVEL: 'warn', JOURNAL_OUTBOX_SWEEP_INTERVAL_MS: '200' });
  const brokers = (env['KAFKA_BROKERS'] ?? '').split(',');
  const serde = createSerde({ registryUrl: env['SCHEMA_REGISTRY_URL'] ?? '' });
  const derive = patientKeyDeriver({ envSource: env });
  const kafka = createKafka({ brokers, clientId: 'journal-bench' });
  const backlogOrgnr = aFreshOrgnr();
  const searchOrgnr = aFreshOrgnr();
  const epjClient = uniqueName('bench-epj');
  const plainTable = `journal.bench_plain_${Date.now().toString(36)}`;
  await publishRegistryEntries([
    { kind: 'municipality', municipality: aMunicipality({ orgnr: backlogOrgnr }) },
    { kind: 'municipality', municipality: aMunicipality({ orgnr: searchOrgnr }) },
    {
      kind: 'client',
      client: aClient({
        clientId: epjClient,
        kind: 'epj',
        municipalities: [backlogOrgnr, searchOrgnr],
        services: [],
      }),
    },
  ]);
  const db = new Client({ connectionString: env['DATABASE_URL'] });
  await db.connect();
  const producer = new CoalescingProducer(kafka);
  await producer.connect();
  let service: RunningService | undefined;
  const sharedTopics = [Topics.status.name, Topics.audit.name];
  const records = async (): Promise<number> => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const offsets = await Promise.all(sharedTopics.map((t) => admin.fetchTopicOffsets(t)));
      return offsets.flat().reduce((sum, p) => sum + Number(p.high), 0);
    } finally {
      await admin.disconnect();
    }
  };
  const recordsBefore = await records();
  try {
    // 1. The backlog, produced before journal-writer runs.
    await serde.register(Topics.consented);
    const now = Date.now();
    const events: ConsentedEvent[] = Array.from({ length: backlog }, (_, i) => {
      const identifier = {
        system: identifierSystems.fodselsnummer,
        value: syntheticFodselsnummer(i % 5_000),
      };
      const patient = { identifier, patientKey: derive({ orgnr: backlogOrgnr, identifier }) };
      const kind = welfareEventKinds[i % welfareEventKinds.length] ?? 'Alert';
      return aConsentedEvent({
        event: aWelfareEventOfKind(kind, {
          eventId: randomUUID(),
          submissionId: randomUUID(),
          orgnr: backlogOrgnr,
          patient,
          urgent: false,
          occurredAt: now - 60_000 + i,
          receivedAt: now,
        }),
        consent: { patient, registeredIdentifiers: [identifier] },
      });
    });
    await producer.send(
      events.map((e) => ({
        topic: Topics.consented.name,
        key: e.consent.patient.patientKey,
        value: serde.encode(Topics.consented, e),
      })),
    );
    console.log(
      `journal benchmark: backlog of ${backlog} ConsentedEvents (kinds ${welfareEventKinds.join(', ')}) for ${backlogOrgnr}; ${entries} entries for the search; ${searches} searches per kind`,
    );

    const booting = performance.now();
    service = await runService(journalWriterService, env);
    const topic = epjTopic(backlogOrgnr).name;
    await until(async () => {
      const [row] = (
        await db.query<{ stored: string; waiting: boolean }>(
          `SELECT (SELECT count(*) FROM journal.entries WHERE orgnr = $1) AS stored,
                  EXISTS (SELECT 1 FROM journal.outbox WHERE topic = $2) AS waiting`,
          [backlogOrgnr, topic],
        )
      ).rows;
      return Number(row?.stored) >= backlog && row?.waiting === false;
    }, 1_800_000);
    const doneAt = Date.now();
    const wall = seconds(booting);
    const [first] = (
      await db.query<{ started: Date }>(
        'SELECT min(created_at) AS started FROM journal.entries WHERE orgnr = $1',
        [backlogOrgnr],
      )
    ).rows;
    const writeSeconds = (doneAt - (first?.started.getTime() ?? doneAt)) / 1000;
    const admin = kafka.admin();
    await admin.connect();
    const published = (await admin.fetchTopicOffsets(topic)).reduce(
      (sum, p) => sum + Number(p.high),
      0,
    );
    const writtenPerSecond = backlog / writeSeconds;
    console.log(
      `journal entries written and published (consented → entry + outbox → ${topic}): ${writtenPerSecond.toFixed(0)} entries/s (${writeSeconds.toFixed(2)} s from the first batch; ${wall.toFixed(2)} s including boot; ${published} JournalEntry records on the topic)`,
    );

    // 2. The ceiling: the same rows, plain multi-row INSERTs into a copy of the table.
    await db.query(`CREATE TABLE ${plainTable} (LIKE journal.entries INCLUDING ALL)`);
    const rows = (
      await db.query<Record<(typeof entryColumns)[number], unknown>>(
        `SELECT ${entryColumns.join(', ')} FROM journal.entries WHERE orgnr = $1 ORDER BY seq`,
        [backlogOrgnr],
      )
    ).rows;
    const batch = 500;
    const ceilingStarted = performance.now();
    for (let offset = 0; offset < rows.length; offset += batch) {
      const chunk = rows.slice(offset, offset + batch);
      const values: unknown[] = [];
      const tuples = chunk.map((row) => {
        const placeholders = entryColumns.map((column) => {
          values.push(row[column]);
          return `$${values.length}`;
        });
        return `(${placeholders.join(', ')})`;
      });
      await db.query(
        `INSERT INTO ${plainTable} (${entryColumns.join(', ')}) VALUES ${tuples.join(', ')}`,
        values,
      );
    }
    const ceilingSeconds = seconds(ceilingStarted);
    const ceilingPerSecond = rows.length / ceilingSeconds;
    console.log(
      `raw multi-row INSERT of the same ${rows.length} rows (${batch} a statement, same indexes): ${ceilingPerSecond.toFixed(0)} rows/s (${ceilingSeconds.toFixed(2)} s)`,
    );
    console.log(
      `ratio: journal-writer at ${((writtenPerSecond / ceilingPerSecond) * 100).toFixed(1)} % of the database's insert ceiling`,
    );
    await db.query(`DROP TABLE ${plainTable}`);

    // 3. Fill one municipality with `entries` entries, compositions copied from part 1.
    const templates = (
      await db.query<{ entry_id: string; composition_json: string }>(
        `SELECT entry_id::text, composition_json FROM journal.entries
          WHERE orgnr = $1 ORDER BY seq LIMIT $2`,
        [backlogOrgnr, welfareEventKinds.length],
      )
    ).rows;
    const fillStarted = performance.now();
    const chunk = 50_000;
    const base = Date.now() - entries;
    for (let from = 0; from < entries; from += chunk) {
      const to = Math.min(entries, from + chunk) - 1;
      const template = templates[(from / chunk) % templates.length];
      if (!template) throw new Error('part 1 left no entries to copy');
      await db.query(
        `INSERT INTO journal.entries (${entryColumns.join(', ')})
         SELECT id, gen_random_uuid(), gen_random_uuid(), $1, key, ARRAY[key], 'bench-vendor',
                'TA', 'Alert', false, at, at, replace($2, $3, id::text)
           FROM (SELECT gen_random_uuid() AS id,
                        lpad(to_hex(i % 20000), 64, '0') AS key,
                        to_timestamp(($4::bigint + i) / 1000.0) AS at
                   FROM generate_series($5::int, $6::int) AS i) AS generated`,
        [searchOrgnr, template.composition_json, template.entry_id, base, from, to],
      );
      process.stdout.write(`\rfilling: ${to + 1} / ${entries}`);
    }
    await db.query('ANALYZE journal.entries');
    const fillSeconds = seconds(fillStarted);
    console.log(
      `\rfilled ${entries} entries for ${searchOrgnr} in ${fillSeconds.toFixed(1)} s (${(entries / fillSeconds).toFixed(0)} rows/s, INSERT … SELECT generate_series, 50,000 a statement), then ANALYZE`,
    );

    const [range] = (
      await db.query<{ low: string; high: string }>(
        'SELECT min(seq)::text AS low, max(seq)::text AS high FROM journal.entries WHERE orgnr = $1',
        [searchOrgnr],
      )
    ).rows;
    const low = Number(range?.low);
    const high = Number(range?.high);
    const token = await issueToken({ sub: epjClient, scope: 'knutepunkt:epj.read' });
    const searchUrl = `${service.url}/epj/${searchOrgnr}/_search`;
    const search = async (url: string, body: Record<string, unknown>): Promise<number> => {
      const started = performance.now();
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const bundle = (await response.json()) as { entry?: unknown[] };
      const elapsed = performance.now() - started;
      if (response.status !== 200 || (bundle.entry ?? []).length !== 100)
        throw new Error(`search answered ${response.status} with ${bundle.entry?.length} entries`);
      return elapsed;
    };
    const randomSeq = () => String(low + Math.floor(Math.random() * (high - low - 200)));
    // The instant of the entry `back` entries before the newest (entry i was stored at base + i).
    const instantBack = (back: number) => new Date(base + entries - 1 - back).toISOString();
    const between = (low: number, high: number) => low + Math.floor(Math.random() * (high - low));
    const kinds: readonly [string, () => Promise<number>][] = [
      [
        'next link at a random position',
        () =>
          search(
            `${searchUrl}?cursor=${encodeCursor({
              orgnr: searchOrgnr,
              filters: {
                lastUpdatedAfter: null,
                status: null,
                patientKey: null,
                notJournaled: false,
              },
              afterSeq: randomSeq(),
              count: 100,
              order: 'ascending',
            })}`,
            {},
          ),
      ],
      ['status=unread', () => search(searchUrl, { status: 'unread', _count: 100 })],
      [
        '_lastUpdated=gt<t>, a poll (100–300 newer)',
        () =>
          search(searchUrl, { _lastUpdated: `gt${instantBack(between(100, 300))}`, _count: 100 }),
      ],
      [
        '_lastUpdated=gt<t>, catching up (t among the newest 10 %)',
        () =>
          search(searchUrl, {
            _lastUpdated: `gt${instantBack(between(150, Math.max(151, entries / 10)))}`,
            _count: 100,
          }),
      ],
    ];
    for (const [name, run] of kinds) {
      for (let i = 0; i < 5; i += 1) await run();
      const latencies: number[] = [];
      for (let i = 0; i < searches; i += 1) latencies.push(await run());
      latencies.sort((a, b) => a - b);
      console.log(
        `EPJ search, page of 100 of ${entries} stored, ${name}: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${(latencies[latencies.length - 1] ?? 0).toFixed(1)} ms (${searches} requests)`,
      );
    }
    // The searches' read statuses and audit records go out before the service stops.
    await service.app.get(OutboxRelay).kick();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    console.log(
      `published on ${sharedTopics.join(' and ')} (which stay): ${(await records()) - recordsBefore} records`,
    );
  } finally {
    await service?.close();
    await producer.disconnect();
    const cleaning = performance.now();
    await db.query(`DROP TABLE IF EXISTS ${plainTable}`);
    const deleted = await db.query('DELETE FROM journal.entries WHERE orgnr = ANY($1::text[])', [
      [backlogOrgnr, searchOrgnr],
    ]);
    console.log(
      `cleaned up: ${deleted.rowCount} entries deleted in ${seconds(cleaning).toFixed(1)} s`,
    );
    await db.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
