import type { DataSource, EntityManager } from 'typeorm';
import {
  ChainVerifier,
  chainFacts,
  signCheckpoint,
  storableFact,
  type AuditFact,
  type AuditQuery,
  type ChainHead,
  type ChainedEntry,
  type Checkpoint,
  type VerifyReport,
} from '../domain';
import { AuditCheckpointRow, AuditEntryRow, entryOfRow } from './audit-entry.entity';

export interface AppendResult {
  readonly appended: number;
  readonly duplicates: number;
}

/** The audit log behind the few operations the consumer, the API and the CLI need. */
export interface AuditLog {
  /**
   * Appends the facts not yet in the log (by `sourceId`), in the order given, in one
   * transaction that holds the chain lock: concurrent appenders (partitions consumed in
   * parallel, several replicas) queue for it, so the chain never forks.
   */
  append(facts: readonly AuditFact[]): Promise<AppendResult>;
  /** Signs and stores a checkpoint of the current head, unless the last one already names it. */
  checkpoint(): Promise<Checkpoint | null>;
  /** Recomputes the whole chain against its checkpoints, in one consistent snapshot. */
  verify(manager?: EntityManager): Promise<VerifyReport>;
  /** Rows matching the query, in chain order, at most `query.count`. */
  search(query: AuditQuery): Promise<ChainedEntry[]>;
}

/**
 * The chain lock: a transaction-level advisory lock. Not a head row locked FOR UPDATE,
 * because that needs UPDATE on a table and leaves a dead tuple per batch; an advisory lock
 * needs no privilege, so the service's role stays INSERT/SELECT only (docs/adr/0009).
 * The number is arbitrary and fixed; it only has to differ from other advisory locks in the
 * same database.
 */
export const chainLockKey = '7203641908211511';

const pageSize = 5000;

const entryColumns = `seq, source_id, at, recorded_at, actor_kind, actor_client_id, actor_orgnr,
  actor_system, action, entity_type, entity_id, outcome, orgnr, patient_key, purpose, app,
  request_id, details, prev_hash, hash`;

interface EntrySqlRow {
  seq: string;
  source_id: string;
  at: Date;
  recorded_at: Date;
  actor_kind: AuditEntryRow['actorKind'];
  actor_client_id: string | null;
  actor_orgnr: string | null;
  actor_system: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  outcome: AuditEntryRow['outcome'];
  orgnr: string | null;
  patient_key: string | null;
  purpose: string | null;
  app: string;
  request_id: string | null;
  details: Record<string, string>;
  prev_hash: string;
  hash: string;
}

function entryOfSql(row: EntrySqlRow): ChainedEntry {
  return {
    seq: Number(row.seq),
    sourceId: row.source_id,
    at: row.at.getTime(),
    recordedAt: row.recorded_at.getTime(),
    actor: {
      kind: row.actor_kind,
      clientId: row.actor_client_id,
      orgnr: row.actor_orgnr,
      system: row.actor_system,
    },
    action: row.action,
    entity: { type: row.entity_type, id: row.entity_id },
    outcome: row.outcome,
    orgnr: row.orgnr,
    patientKey: row.patient_key,
    purpose: row.purpose,
    app: row.app,
    requestId: row.request_id,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

interface CheckpointSqlRow {
  head_seq: string;
  head_hash: string;
  entries: string;
  created_at: Date;
  key_id: string;
  signature: string;
}

function checkpointOfSql(row: CheckpointSqlRow): Checkpoint {
  return {
    headSeq: Number(row.head_seq),
    headHash: row.head_hash,
    entries: Number(row.entries),
    createdAt: row.created_at.getTime(),
    keyId: row.key_id,
    signature: row.signature,
  };
}

export class PostgresAuditLog implements AuditLog {
  constructor(
    private readonly dataSource: DataSource,
    private readonly checkpointSecret: string,
    private readonly clock: () => number = Date.now,
  ) {}

  async append(facts: readonly AuditFact[]): Promise<AppendResult> {
    const unique = [...new Map(facts.map((f) => [f.sourceId, storableFact(f)])).values()];
    if (unique.length === 0) return { appended: 0, duplicates: facts.length };
    return this.dataSource.transaction(async (manager) => {
      await lockChain(manager);
      const current = await head(manager);
      // Redeliveries are rare: insert optimistically and look for duplicates only when the
      // unique source id says there are some (one index probe per row instead of two).
      await manager.query('SAVEPOINT optimistic_append');
      try {
        await insertEntries(manager, chainFacts(current, unique, this.clock()));
        await manager.query('RELEASE SAVEPOINT optimistic_append');
        return { appended: unique.length, duplicates: facts.length - unique.length };
      } catch (error) {
        if (!isDuplicateSource(error)) throw error;
        await manager.query('ROLLBACK TO SAVEPOINT optimistic_append');
      }
      const seen = await manager.query<{ source_id: string }[]>(
        'SELECT source_id FROM audit.entries WHERE source_id = ANY($1::text[])',
        [unique.map((f) => f.sourceId)],
      );
      const known = new Set(seen.map((r) => r.source_id));
      const fresh = unique.filter((f) => !known.has(f.sourceId));
      if (fresh.length > 0) await insertEntries(manager, chainFacts(current, fresh, this.clock()));
      return { appended: fresh.length, duplicates: facts.length - fresh.length };
    });
  }

  async checkpoint(): Promise<Checkpoint | null> {
    return this.dataSource.transaction(async (manager) => {
      await lockChain(manager);
      const current = await head(manager);
      if (current === null) return null;
      const [last] = await manager.query<{ head_seq: string | null }[]>(
        'SELECT max(head_seq) AS head_seq FROM audit.checkpoints',
      );
      if (last?.head_seq != null && Number(last.head_seq) >= current.seq) return null;
      const checkpoint = signCheckpoint(this.checkpointSecret, {
        headSeq: current.seq,
        headHash: current.hash,
        entries: current.seq,
        createdAt: this.clock(),
      });
      await manager.getRepository(AuditCheckpointRow).insert({
        headSeq: checkpoint.headSeq,
        headHash: checkpoint.headHash,
        entries: checkpoint.entries,
        createdAt: new Date(checkpoint.createdAt),
        keyId: checkpoint.keyId,
        signature: checkpoint.signature,
      });
      return checkpoint;
    });
  }

  async verify(manager?: EntityManager): Promise<VerifyReport> {
    if (manager) return verifyWith(manager, this.checkpointSecret);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // One snapshot: rows appended while verifying do not race the checkpoints read.
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const report = await verifyWith(runner.manager, this.checkpointSecret);
      await runner.query('COMMIT');
      return report;
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  async search(query: AuditQuery): Promise<ChainedEntry[]> {
    if (query.orgnrs !== 'all' && query.orgnrs.length === 0) return [];
    if (query.patientKeys !== null && query.patientKeys.length === 0) return [];
    const builder = this.dataSource
      .getRepository(AuditEntryRow)
      .createQueryBuilder('e')
      .where('e.seq > :after', { after: query.afterSeq });
    if (query.orgnrs !== 'all')
      builder.andWhere('e.orgnr IN (:...orgnrs)', { orgnrs: query.orgnrs });
    if (query.patientKeys !== null)
      // Lifecycle rows (status) carry no patient key: they are the patient's through the
      // submission whose `submission.create` does.
      builder.andWhere(
        `(e.patient_key IN (:...keys) OR (e.entity_type = 'Submission' AND e.entity_id IN (
          SELECT s.entity_id FROM audit.entries s
          WHERE s.patient_key IN (:...keys) AND s.entity_type = 'Submission')))`,
        { keys: query.patientKeys.map((k) => k.key) },
      );
    if (query.actor !== null)
      builder.andWhere('e.actor_client_id = :actor', { actor: query.actor });
    if (query.action !== null) builder.andWhere('e.action = :action', { action: query.action });
    if (query.from !== null) builder.andWhere('e.at >= :from', { from: new Date(query.from) });
    if (query.to !== null) builder.andWhere('e.at < :to', { to: new Date(query.to) });
    const rows = await builder.orderBy('e.seq', 'ASC').take(query.count).getMany();
    return rows.map(entryOfRow);
  }
}

/** The unique violation of `entries_source_id`: some of the facts are already in the log. */
function isDuplicateSource(error: unknown): boolean {
  const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  return code === '23505' && constraint === 'entries_source_id';
}

async function lockChain(manager: EntityManager): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock($1::bigint)', [chainLockKey]);
}

async function head(manager: EntityManager): Promise<ChainHead | null> {
  const [row] = await manager.query<{ seq: string; hash: string }[]>(
    'SELECT seq, hash FROM audit.entries ORDER BY seq DESC LIMIT 1',
  );
  return row ? { seq: Number(row.seq), hash: row.hash } : null;
}

/**
 * One INSERT per batch whatever its size: columns as arrays, unnested. `table` is for the
 * benchmark's chain-less copy only.
 */
export async function insertEntries(
  manager: EntityManager,
  rows: readonly ChainedEntry[],
  table: 'audit.entries' | 'audit.plain' = 'audit.entries',
): Promise<void> {
  const column = <T>(pick: (row: ChainedEntry) => T): T[] => rows.map(pick);
  await manager.query(
    `INSERT INTO ${table} (${entryColumns})
     SELECT * FROM unnest(
       $1::bigint[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[],
       $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
       $14::text[], $15::text[], $16::text[], $17::text[], $18::jsonb[], $19::text[], $20::text[])`,
    [
      column((r) => r.seq),
      column((r) => r.sourceId),
      column((r) => new Date(r.at).toISOString()),
      column((r) => new Date(r.recordedAt).toISOString()),
      column((r) => r.actor.kind),
      column((r) => r.actor.clientId),
      column((r) => r.actor.orgnr),
      column((r) => r.actor.system),
      column((r) => r.action),
      column((r) => r.entity.type),
      column((r) => r.entity.id),
      column((r) => r.outcome),
      column((r) => r.orgnr),
      column((r) => r.patientKey),
      column((r) => r.purpose),
      column((r) => r.app),
      column((r) => r.requestId),
      column((r) => JSON.stringify(r.details)),
      column((r) => r.prevHash),
      column((r) => r.hash),
    ],
  );
}

async function verifyWith(manager: EntityManager, secret: string): Promise<VerifyReport> {
  const verifier = new ChainVerifier(secret);
  let after = 0;
  for (;;) {
    const rows = (
      await manager.query<EntrySqlRow[]>(
        `SELECT ${entryColumns} FROM audit.entries WHERE seq > $1 ORDER BY seq LIMIT $2`,
        [after, pageSize],
      )
    ).map(entryOfSql);
    const last = rows.at(-1);
    // The checkpoints this page can match; after the last page, those beyond the last row.
    const checkpoints = await manager.query<CheckpointSqlRow[]>(
      `SELECT head_seq, head_hash, entries, created_at, key_id, signature FROM audit.checkpoints
       WHERE head_seq > $1 AND ($2::bigint IS NULL OR head_seq <= $2) ORDER BY head_seq, id`,
      [after, last?.seq ?? null],
    );
    verifier.addCheckpoints(checkpoints.map(checkpointOfSql));
    for (const row of rows) verifier.push(row);
    if (!last || rows.length < pageSize) {
      if (last) {
        const beyond = await manager.query<CheckpointSqlRow[]>(
          `SELECT head_seq, head_hash, entries, created_at, key_id, signature
           FROM audit.checkpoints WHERE head_seq > $1 ORDER BY head_seq, id`,
          [last.seq],
        );
        verifier.addCheckpoints(beyond.map(checkpointOfSql));
      }
      return verifier.report();
    }
    after = last.seq;
  }
}
