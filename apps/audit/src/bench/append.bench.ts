import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { openDatabase } from '@knutepunkt/service';
import { checkpointSecret, loadAuditEnv } from '../audit-env';
import { database } from '../database';
import { chainFacts, type AuditFact, type ChainHead } from '../domain';
import { insertEntries, PostgresAuditLog } from '../persistence/audit-log.store';

/**
 * `node -r @swc-node/register apps/audit/src/bench/append.bench.ts [--rows 50000] [--batch 500]
 * [--verify-rows 1000000]`: audit rows appended per second with the chain (lock, dedupe, hash,
 * insert, one transaction per batch) beside plain batched inserts of the same rows into a copy of
 * the table without the chain (the ceiling), the ratio, and the time to verify a chain of
 * `--verify-rows` rows. Runs in a throwaway database on the local stack's server
 * (BENCH_ADMIN_DATABASE_URL, default the test database's URL), dropped afterwards.
 */
const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer`);
  return value;
};

function fact(i: number): AuditFact {
  return {
    sourceId: randomUUID(),
    at: Date.now(),
    actor: { kind: 'epj', clientId: 'bench-epj', orgnr: '921234562', system: 'Bench EPJ' },
    action: 'journal-entry.read',
    entity: { type: 'Composition', id: randomUUID() },
    outcome: 'success',
    orgnr: '921234562',
    patientKey: (i % 5000).toString(16).padStart(64, '0'),
    purpose: 'journaling',
    app: 'journal-writer',
    requestId: randomUUID(),
    details: { status: 'unread' },
  };
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function main(): Promise<void> {
  const rows = argument('rows', 50_000);
  const batch = argument('batch', 500);
  const verifyRows = argument('verify-rows', 1_000_000);
  const adminUrl =
    process.env['BENCH_ADMIN_DATABASE_URL'] ??
    'postgres://knutepunkt:knutepunkt@127.0.0.1:5432/knutepunkt_test';
  const name = `knutepunkt_audit_bench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dataSource: DataSource | undefined;
  try {
    dataSource = await openDatabase(database, {
      url: url.toString(),
      poolMax: 4,
      runMigrations: true,
      applicationName: 'knutepunkt-audit-bench',
    });
    const db = dataSource;
    const log = new PostgresAuditLog(db, checkpointSecret(loadAuditEnv({})));
    console.log(
      `audit append benchmark: ${rows} rows in batches of ${batch}, database ${name}, ${process.env['HOSTNAME'] ?? 'this machine'}`,
    );

    // The ceiling: the same rows (hashes computed beforehand) into a copy of the table with the
    // same indexes and constraints but no trigger, no lock, no dedupe, no hashing.
    await db.query(
      'CREATE TABLE audit.plain (LIKE audit.entries INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)',
    );
    const plainRows = chainFacts(
      null,
      Array.from({ length: rows }, (_, i) => fact(i)),
      Date.now(),
    );
    const plainSeconds = await timed(async () => {
      for (let i = 0; i < plainRows.length; i += batch)
        await db.transaction((m) => insertEntries(m, plainRows.slice(i, i + batch), 'audit.plain'));
    });

    const facts = Array.from({ length: rows }, (_, i) => fact(i));
    const chainSeconds = await timed(async () => {
      for (let i = 0; i < facts.length; i += batch) await log.append(facts.slice(i, i + batch));
    });
    const plainRate = rows / plainSeconds;
    const chainRate = rows / chainSeconds;
    console.log(
      `plain batched inserts (ceiling): ${Math.round(plainRate)} rows/s (${plainSeconds.toFixed(1)} s)`,
    );
    console.log(
      `hash-chained appends:            ${Math.round(chainRate)} rows/s (${chainSeconds.toFixed(1)} s)`,
    );
    console.log(`ratio chain / plain:             ${(chainRate / plainRate).toFixed(2)}`);

    // Fill the chain up to verifyRows quickly (precomputed, large batches), then verify it all.
    const [top] = await db.query<{ seq: string; hash: string }[]>(
      'SELECT seq, hash FROM audit.entries ORDER BY seq DESC LIMIT 1',
    );
    let head: ChainHead | null = top ? { seq: Number(top.seq), hash: top.hash } : null;
    const fillSeconds = await timed(async () => {
      while ((head?.seq ?? 0) < verifyRows) {
        const count = Math.min(10_000, verifyRows - (head?.seq ?? 0));
        const chained = chainFacts(
          head,
          Array.from({ length: count }, (_, i) => fact(i)),
          Date.now(),
        );
        await db.transaction((m) => insertEntries(m, chained));
        const last = chained.at(-1);
        head = last ? { seq: last.seq, hash: last.hash } : head;
      }
    });
    await log.checkpoint();
    let report;
    const verifySeconds = await timed(async () => {
      report = await log.verify();
    });
    console.log(`(filled the chain to ${verifyRows} rows in ${fillSeconds.toFixed(1)} s)`);
    console.log(
      `verify ${verifyRows} rows: ${verifySeconds.toFixed(1)} s (${Math.round(verifyRows / verifySeconds)} rows/s) ${JSON.stringify(report)}`,
    );
  } finally {
    await dataSource?.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
