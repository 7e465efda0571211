import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { issueToken } from '@knutepunkt/auth/testing';
import { Topics, type AuditRecord } from '@knutepunkt/schemas';
import {
  aClient,
  anAcceptedSubmission,
  anAuditRecord,
  aMunicipality,
  aStatusChange,
  identifierSystems,
  orgnrWithCheckDigit,
  syntheticFodselsnummer,
  aFreshOrgnr,
} from '@knutepunkt/schemas/testing';
import { auditMessage, patientKeyDeriver, type RunningService } from '@knutepunkt/service';
import { publishRegistryEntries, startServiceForTest } from '@knutepunkt/service/testing';
import { eventually, integrationEnv } from '@knutepunkt/testing';
import type { AuditEvent, Bundle, Parameters } from '@medplum/fhirtypes';
import { auditService } from './audit.service';
import { checkpointSecret, loadAuditEnv } from './audit-env';
import { signCheckpoint, type AuditFact, type VerifyReport } from './domain';
import type { AuditLog } from './persistence/audit-log.store';
import { chainLockKey } from './persistence/audit-log.store';
import { AUDIT_LOG } from './tokens';

const root = join(__dirname, '..', '..', '..');
const orgnr = aFreshOrgnr();
const otherOrgnr = orgnrWithCheckDigit('97000000');
const fnr = syntheticFodselsnummer(Math.floor(Math.random() * 6000));
const patient = { system: identifierSystems.fodselsnummer, value: fnr };
const run = randomUUID().slice(0, 8);
const epjClient = `epj-${run}`;
const officerClient = `personvern-${run}`;
const adminClient = `audit-admin-${run}`;

/** `npm run audit:verify` as a separate process: exit code and output. */
function runVerifyCli(): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/audit/src/main.ts', 'verify'],
      { cwd: root, env: { ...process.env, ...integrationEnv() } },
      (error, stdout) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 2) : 0;
        resolve({ code, stdout });
      },
    );
  });
}

describe('audit log against the real stack', () => {
  let service: RunningService;
  let db: DataSource;
  let log: AuditLog;
  let adminToken: string;
  let officerToken: string;
  let patientKey: string;
  const submissionId = randomUUID();
  const reads: AuditRecord[] = [];

  const api = (
    path: string,
    body?: unknown,
    token = adminToken,
    contentType = 'application/json',
  ) =>
    fetch(`${service.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': contentType }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });

  const rowsOf = (sourceIds: readonly string[]) =>
    db.query<{ seq: string; source_id: string; action: string }[]>(
      'SELECT seq, source_id, action FROM audit.entries WHERE source_id = ANY($1) ORDER BY seq',
      [sourceIds],
    );

  /** As the owner: the trigger off, one statement, the trigger on, in one transaction. */
  const tamper = (sql: string, params: unknown[]) =>
    db.transaction(async (manager) => {
      await manager.query('ALTER TABLE audit.entries DISABLE TRIGGER entries_append_only');
      await manager.query(sql, params);
      await manager.query('ALTER TABLE audit.entries ENABLE TRIGGER entries_append_only');
    });

  /** Runs `change` and verifies inside one transaction that is rolled back: nobody else sees it. */
  const verifyTampered = async (
    change: (query: (sql: string, params?: unknown[]) => Promise<unknown>) => Promise<void>,
  ): Promise<VerifyReport> => {
    const runner = db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      // Hold the chain lock: the running service appends nothing meanwhile.
      await runner.query('SELECT pg_advisory_xact_lock($1::bigint)', [chainLockKey]);
      // Not ALTER TABLE … DISABLE TRIGGER: its exclusive table lock waits behind the service's own
      // verification (a long read-only snapshot), while this transaction holds the chain lock and
      // so stalls every append — on a large local chain for minutes.
      await runner.query("SET LOCAL session_replication_role = 'replica'");
      await change((sql, params) => runner.query(sql, params));
      return await log.verify(runner.manager);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  };

  beforeAll(async () => {
    await publishRegistryEntries([
      { kind: 'municipality', municipality: aMunicipality({ orgnr, name: `Revisjon ${run}` }) },
      {
        kind: 'client',
        client: aClient({ clientId: officerClient, kind: 'epj', municipalities: [orgnr] }),
      },
    ]);
    adminToken = await issueToken({
      sub: adminClient,
      scope: 'knutepunkt:audit.read knutepunkt:admin',
    });
    officerToken = await issueToken({ sub: officerClient, scope: 'knutepunkt:audit.read' });
    service = await startServiceForTest(auditService, { AUDIT_CHECKPOINT_INTERVAL_MS: '500' });
    const { dataSource } = service.runtime;
    if (!dataSource) throw new Error('no database');
    db = dataSource;
    log = service.app.get<AuditLog>(AUDIT_LOG);
    patientKey = patientKeyDeriver(service.runtime)({ orgnr, identifier: patient });
  });

  afterAll(async () => {
    await service.close();
  });

  it('appends every AuditRecord and lifecycle fact once, whoever redelivers it', async () => {
    const { producer, serde } = service.runtime;
    const base = Date.UTC(2026, 10, 28, 8, 0, 0);
    for (let i = 0; i < 3; i += 1)
      reads.push(
        anAuditRecord({
          auditId: randomUUID(),
          at: base + i * 60_000,
          actor: { kind: 'epj', clientId: epjClient, orgnr, system: 'Testjournal EPJ' },
          action: 'journal-entry.read',
          entity: { type: 'Composition', id: randomUUID() },
          orgnr,
          patientKey,
          app: 'journal-writer',
          requestId: `req-${run}-${i}`,
          details: {},
        }),
      );
    const accepted = anAcceptedSubmission({
      submissionId,
      orgnr,
      patientKey,
      receivedAt: base - 1,
    });
    const delivered = aStatusChange({ submissionId, orgnr, stage: 'delivered', at: base - 1 });
    const messages = reads.map((r) => auditMessage(serde, r));
    // Each record twice: the second is a redelivery.
    await producer.send([...messages, ...messages]);
    await producer.send([
      {
        topic: Topics.accepted.name,
        key: patientKey,
        value: serde.encode(Topics.accepted, accepted),
      },
      {
        topic: Topics.status.name,
        key: submissionId,
        value: serde.encode(Topics.status, delivered),
      },
    ]);

    const ids = reads.map((r) => r.auditId);
    const rows = await eventually(async () => {
      const found = await rowsOf(ids);
      return found.length === ids.length ? found : undefined;
    }, 200_000);
    expect(rows.map((r) => r.action)).toEqual([
      'journal-entry.read',
      'journal-entry.read',
      'journal-entry.read',
    ]);
    // Other services on the shared stack may also act on the accepted submission (a normalizer
    // failing it): wait for the two facts this test published, tolerate more.
    const lifecycle = await eventually(async () => {
      const found = await db.query<{ action: string; source_id: string }[]>(
        `SELECT action, source_id FROM audit.entries
         WHERE entity_type = 'Submission' AND entity_id = $1 ORDER BY action`,
        [submissionId],
      );
      const actions = new Set(found.map((r) => r.action));
      return actions.has('submission.create') && actions.has('submission.delivered')
        ? found
        : undefined;
    }, 200_000);
    expect(lifecycle.filter((r) => r.action === 'submission.create')).toHaveLength(1);
    expect(lifecycle.find((r) => r.action === 'submission.create')?.source_id).toMatch(
      /^knutepunkt\.accepted\.v1:\d+:\d+$/,
    );

    // The same facts again (a batch redelivered after a crash before the commit): nothing new.
    const again = await log.append(reads.map((r): AuditFact => ({ ...r, sourceId: r.auditId })));
    expect(again).toEqual({ appended: 0, duplicates: 3 });
    expect(await rowsOf(ids)).toHaveLength(3);
  }, 300_000);

  it('keeps one chain when appenders race, and measures appends per second', async () => {
    const fact = (writer: number, i: number): AuditFact => ({
      sourceId: `it-${run}-${writer}-${i}`,
      at: Date.now(),
      actor: { kind: 'service', clientId: null, orgnr: null, system: 'audit-int-test' },
      action: 'test.append',
      entity: { type: 'Test', id: `${writer}-${i}` },
      outcome: 'success',
      orgnr: otherOrgnr,
      patientKey: null,
      purpose: null,
      app: 'audit',
      requestId: null,
      details: { writer: String(writer) },
    });
    const writers = 6;
    const batches = 5;
    const perBatch = 100;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let b = 0; b < batches; b += 1)
          await log.append(Array.from({ length: perBatch }, (_, i) => fact(w, b * perBatch + i)));
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const total = writers * batches * perBatch;
    console.log(
      `audit appends: ${total} rows in ${writers} concurrent writers × ${batches} batches of ${perBatch}: ${Math.round(total / seconds)} rows/s (${seconds.toFixed(2)} s)`,
    );
    const [counted] = await db.query<{ n: string; distinct_prev: string }[]>(
      `SELECT count(*) AS n, count(DISTINCT prev_hash) AS distinct_prev FROM audit.entries
       WHERE source_id LIKE $1`,
      [`it-${run}-%`],
    );
    expect(Number(counted?.n)).toBe(total);
    const report = await log.verify();
    expect(report).toMatchObject({ valid: true, firstBrokenAt: null });
  });

  it('refuses UPDATE, DELETE and TRUNCATE, even for the owner; a writer role may only read and append', async () => {
    const [row] = await rowsOf([reads[0]?.auditId ?? '']);
    await expect(
      db.query("UPDATE audit.entries SET purpose = 'other' WHERE seq = $1", [row?.seq]),
    ).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(db.query('DELETE FROM audit.entries WHERE seq = $1', [row?.seq])).rejects.toThrow(
      /append-only: DELETE refused/,
    );
    await expect(db.query('TRUNCATE audit.entries')).rejects.toThrow(/append-only/);

    const role = `it_audit_writer_${run.replace(/-/g, '')}`;
    await db.query(`CREATE ROLE ${role} NOLOGIN`);
    try {
      await db.query('SELECT audit.grant_append_only($1)', [role]);
      const [privileges] = await db.query<Record<string, boolean>[]>(
        `SELECT has_table_privilege($1, 'audit.entries', 'SELECT') AS "select",
                has_table_privilege($1, 'audit.entries', 'INSERT') AS "insert",
                has_table_privilege($1, 'audit.entries', 'UPDATE') AS "update",
                has_table_privilege($1, 'audit.entries', 'DELETE') AS "delete",
                has_table_privilege($1, 'audit.entries', 'TRUNCATE') AS "truncate",
                has_table_privilege($1, 'audit.checkpoints', 'INSERT') AS "checkpoint"`,
        [role],
      );
      expect(privileges).toEqual({
        select: true,
        insert: true,
        update: false,
        delete: false,
        truncate: false,
        checkpoint: true,
      });
    } finally {
      await db.query(`DROP OWNED BY ${role}`);
      await db.query(`DROP ROLE ${role}`);
    }
  });

  it('searches by patient (through the patient key), actor, action and time, as BALP-shaped AuditEvents', async () => {
    const response = await api(
      '/audit/_search',
      { patient, orgnr },
      adminToken,
      'application/fhir+json',
    );
    expect(response.status).toBe(200);
    const bundle = (await response.json()) as Bundle<AuditEvent>;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    // Lifecycle and audit topics are consumed in parallel: their rows may interleave either way.
    const actions = (bundle.entry ?? []).map((e) => e.resource?.subtype?.[1]?.code);
    expect(actions.filter((a) => a === 'journal-entry.read')).toHaveLength(3);
    expect(actions).toEqual(expect.arrayContaining(['submission.create', 'submission.delivered']));
    const read = bundle.entry?.find(
      (e) => e.resource?.subtype?.[1]?.code === 'journal-entry.read',
    )?.resource;
    expect(read).toMatchObject({
      resourceType: 'AuditEvent',
      type: { code: 'rest' },
      action: 'R',
      outcome: '0',
      recorded: new Date(reads[0]?.at ?? 0).toISOString(),
      agent: [
        {
          requestor: true,
          who: { identifier: { value: epjClient }, display: 'Testjournal EPJ' },
        },
        { who: { identifier: { system: 'urn:oid:2.16.578.1.12.4.1.4.101', value: orgnr } } },
        { requestor: false },
      ],
    });
    expect(read?.entity?.[0]).toMatchObject({
      what: { identifier: { value: patientKey } },
      role: { code: '1', display: 'Patient' },
    });

    const byActor = await api('/audit/_search', {
      actor: epjClient,
      action: 'journal-entry.read',
      from: new Date(reads[1]?.at ?? 0).toISOString(),
      _count: 1,
    });
    const page = (await byActor.json()) as Bundle<AuditEvent>;
    expect(page.entry).toHaveLength(1);
    expect(page.entry?.[0]?.resource?.recorded).toBe(new Date(reads[1]?.at ?? 0).toISOString());
    const next = page.link?.find((l) => l.relation === 'next')?.url;
    expect(next).toMatch(/^\/audit\/_search\?_cursor=\d+$/);
    const second = (await (
      await api(next ?? '', { actor: epjClient, action: 'journal-entry.read', _count: 5 })
    ).json()) as Bundle<AuditEvent>;
    expect(second.entry?.map((e) => e.resource?.recorded)).toEqual([
      new Date(reads[2]?.at ?? 0).toISOString(),
    ]);
  });

  it('limits a privacy officer to their own municipalities and answers bad requests with OperationOutcome', async () => {
    const own = await api('/audit/_search', { patient }, officerToken);
    expect(own.status).toBe(200);
    // The patient's rows, besides the audit log's own uses recorded since.
    const ownActions = (((await own.json()) as Bundle<AuditEvent>).entry ?? []).map(
      (e) => e.resource?.subtype?.[1]?.code,
    );
    expect(ownActions.filter((a) => a === 'journal-entry.read')).toHaveLength(3);
    expect(ownActions).toEqual(
      expect.arrayContaining(['submission.create', 'submission.delivered']),
    );
    const other = await api('/audit/_search', { orgnr: otherOrgnr }, officerToken);
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ code: 'forbidden', details: { text: 'AUDIT.MUNICIPALITY_NOT_ALLOWED' } }],
    });
    const badNumber = await api('/audit/innsyn', {
      patient: { system: patient.system, value: '12345678901' },
    });
    expect(badNumber.status).toBe(422);
    const noToken = await fetch(`${service.url}/audit/verify`);
    expect(noToken.status).toBe(401);
    const wrongScope = await api(
      '/audit/verify',
      undefined,
      await issueToken({ sub: officerClient, scope: 'knutepunkt:epj.read' }),
    );
    expect(wrongScope.status).toBe(403);
  });

  it('gives innsyn: every read of the patient’s journal entries with who and when, in a Bundle and in Norwegian, and audits the innsyn itself', async () => {
    const response = await api('/audit/innsyn', { patient });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as Parameters;
    const bundle = answer.parameter?.find((p) => p.name === 'bundle')
      ?.resource as Bundle<AuditEvent>;
    const text = answer.parameter?.find((p) => p.name === 'text')?.valueString ?? '';
    const readsFound = (bundle.entry ?? []).filter(
      (e) => e.resource?.subtype?.[1]?.code === 'journal-entry.read',
    );
    expect(readsFound).toHaveLength(3);
    expect(text).toContain('Innsyn i logg');
    expect(text).toContain(
      `Journalsystem (EPJ) Testjournal EPJ (klient ${epjClient}), org.nr. ${orgnr} leste et journalnotat.`,
    );
    expect(text).toContain('28.11.2026 kl. 09:00');
    expect(text).not.toContain(fnr);

    const plain = await api('/audit/innsyn?format=text', { patient });
    expect(plain.headers.get('content-type')).toContain('text/plain');
    expect(await plain.text()).toContain('leste et journalnotat');

    // The innsyn is itself in the log, under the patient's key, by the admin client.
    const audited = await eventually(async () => {
      const rows = await db.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM audit.entries
         WHERE action = 'audit.innsyn' AND patient_key = $1 AND actor_client_id = $2`,
        [patientKey, adminClient],
      );
      return Number(rows[0]?.n) >= 2 ? Number(rows[0]?.n) : undefined;
    }, 60_000);
    expect(audited).toBeGreaterThanOrEqual(2);
    // No row holds the national identity number.
    const [leaks] = await db.query<{ n: string }[]>(
      'SELECT count(*) AS n FROM audit.entries e WHERE to_jsonb(e)::text LIKE $1',
      [`%${fnr}%`],
    );
    expect(Number(leaks?.n)).toBe(0);
  });

  it('verifies the chain over HTTP, with signed checkpoints', async () => {
    await eventually(async () => {
      const [row] = await db.query<{ n: string }[]>('SELECT count(*) AS n FROM audit.checkpoints');
      return Number(row?.n) > 0 ? true : undefined;
    });
    const response = await api('/audit/verify');
    expect(response.status).toBe(200);
    const report = (await response.json()) as VerifyReport;
    expect(report).toMatchObject({ valid: true, firstBrokenAt: null });
    expect(report.entries).toBeGreaterThanOrEqual(3000);
    expect(report.checkpoints).toBeGreaterThan(0);
    expect(report.head).toMatch(/^[0-9a-f]{64}$/);
    expect(await (await fetch(`${service.url}/metrics`)).text()).toMatch(
      /^knutepunkt_audit_chain_valid(\{[^}]*\})? 1$/m,
    );
  });

  it('names a changed row, over HTTP and in `npm run audit:verify`, which exits non-zero', async () => {
    const [row] = await rowsOf([reads[1]?.auditId ?? '']);
    const seq = Number(row?.seq);
    await tamper("UPDATE audit.entries SET purpose = 'nysgjerrighet' WHERE seq = $1", [seq]);
    try {
      const report = (await (await api('/audit/verify')).json()) as VerifyReport;
      expect(report).toMatchObject({ valid: false, firstBrokenAt: seq, problem: 'altered' });
      // What KnutepunktAuditChainBroken watches.
      expect(await (await fetch(`${service.url}/metrics`)).text()).toMatch(
        /^knutepunkt_audit_chain_valid(\{[^}]*\})? 0$/m,
      );
      const cli = await runVerifyCli();
      expect(cli.code).toBe(1);
      expect(cli.stdout).toContain(`audit chain BROKEN at row ${seq} (altered)`);
    } finally {
      await tamper('UPDATE audit.entries SET purpose = $2 WHERE seq = $1', [seq, 'journaling']);
    }
    const restored = await runVerifyCli();
    expect(restored.stdout).toContain('audit chain valid');
    expect(restored.code).toBe(0);
  });

  it('names a deleted row, reordered rows and a truncated tail', async () => {
    const [row] = await rowsOf([reads[2]?.auditId ?? '']);
    const seq = Number(row?.seq);
    expect(
      await verifyTampered((q) => q('DELETE FROM audit.entries WHERE seq = $1', [seq]).then()),
    ).toMatchObject({ valid: false, firstBrokenAt: seq, problem: 'missing-row' });

    const shift = 1_000_000_000_000;
    expect(
      await verifyTampered(async (q) => {
        await q('UPDATE audit.entries SET seq = seq + $2 WHERE seq = $1', [seq - 1, shift]);
        await q('UPDATE audit.entries SET seq = $1 WHERE seq = $2', [seq - 1, seq]);
        await q('UPDATE audit.entries SET seq = $1 WHERE seq = $2', [seq, seq - 1 + shift]);
      }),
    ).toMatchObject({ valid: false, firstBrokenAt: seq - 1 });

    const secret = checkpointSecret(loadAuditEnv(integrationEnv()));
    const truncated = await verifyTampered(async (q) => {
      const [head] = (await q('SELECT seq, hash FROM audit.entries ORDER BY seq DESC LIMIT 1')) as {
        seq: string;
        hash: string;
      }[];
      const headSeq = Number(head?.seq);
      const checkpoint = signCheckpoint(secret, {
        headSeq,
        headHash: head?.hash ?? '',
        entries: headSeq,
        createdAt: Date.now(),
      });
      await q(
        `INSERT INTO audit.checkpoints (head_seq, head_hash, entries, created_at, key_id, signature)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          headSeq,
          checkpoint.headHash,
          headSeq,
          new Date(checkpoint.createdAt),
          checkpoint.keyId,
          checkpoint.signature,
        ],
      );
      await q('DELETE FROM audit.entries WHERE seq > $1', [headSeq - 2]);
    });
    expect(truncated).toMatchObject({ valid: false, problem: 'truncated' });
    expect(truncated.firstBrokenAt).toBe(truncated.entries + 1);
  });
});
