import type { DataSource } from 'typeorm';

export interface NewSubmission {
  readonly submissionId: string;
  readonly clientId: string;
  readonly dedupeKey: string;
  readonly orgnr: string;
  readonly resourceType: string;
  readonly receivedAt: Date;
}

export interface RegisteredSubmission {
  readonly submissionId: string;
  readonly clientId: string;
  readonly orgnr: string;
  readonly resourceType: string;
  readonly registeredAt: Date;
}

export interface StageReport {
  readonly submissionId: string;
  readonly stage: string;
  readonly at: Date;
  readonly reason: string | null;
  readonly operationOutcomeCode: string | null;
}

export type RegisterOutcome =
  | { readonly kind: 'created'; readonly submission: RegisteredSubmission }
  | { readonly kind: 'repeat'; readonly submission: RegisteredSubmission };

/** Ingest's own tables, behind the few operations the handlers need. */
export interface SubmissionStore {
  /**
   * Registers a submission once per (client, dedupe key). `publish` runs only for the first,
   * while a transaction-scoped advisory lock on that pair is held, and the row is written only
   * after `publish` resolved: concurrent repeats wait for the first and then see it; a publish
   * that fails leaves nothing behind, so a retry starts afresh.
   */
  registerOnce(candidate: NewSubmission, publish: () => Promise<void>): Promise<RegisterOutcome>;
  find(
    submissionId: string,
  ): Promise<{ submission: RegisteredSubmission; stages: StageReport[] } | null>;
  /** Idempotent: the first report of a stage wins; redelivered reports change nothing. */
  recordStages(reports: readonly StageReport[]): Promise<void>;
}

interface SubmissionRow {
  submission_id: string;
  client_id: string;
  orgnr: string;
  resource_type: string;
  registered_at: Date;
}

const toRegistered = (row: SubmissionRow): RegisteredSubmission => ({
  submissionId: row.submission_id,
  clientId: row.client_id,
  orgnr: row.orgnr,
  resourceType: row.resource_type,
  registeredAt: row.registered_at,
});

export class PostgresSubmissionStore implements SubmissionStore {
  constructor(private readonly dataSource: DataSource) {}

  async registerOnce(
    candidate: NewSubmission,
    publish: () => Promise<void>,
  ): Promise<RegisterOutcome> {
    return this.dataSource.transaction(async (manager) => {
      // Two 32-bit keys; a hash collision only makes two unrelated submissions wait in turn.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [
        candidate.clientId,
        candidate.dedupeKey,
      ]);
      const existing: SubmissionRow[] = await manager.query(
        `SELECT submission_id, client_id, orgnr, resource_type, registered_at
           FROM ingest.submissions WHERE client_id = $1 AND dedupe_key = $2`,
        [candidate.clientId, candidate.dedupeKey],
      );
      const first = existing[0];
      if (first) return { kind: 'repeat', submission: toRegistered(first) };
      await publish();
      const inserted: SubmissionRow[] = await manager.query(
        `INSERT INTO ingest.submissions
           (submission_id, client_id, dedupe_key, orgnr, resource_type, received_at, registered_at)
         VALUES ($1, $2, $3, $4, $5, $6, now())
         RETURNING submission_id, client_id, orgnr, resource_type, registered_at`,
        [
          candidate.submissionId,
          candidate.clientId,
          candidate.dedupeKey,
          candidate.orgnr,
          candidate.resourceType,
          candidate.receivedAt,
        ],
      );
      const row = inserted[0];
      if (!row) throw new Error('insert returned no row');
      return { kind: 'created', submission: toRegistered(row) };
    });
  }

  async find(submissionId: string) {
    const rows: SubmissionRow[] = await this.dataSource.query(
      `SELECT submission_id, client_id, orgnr, resource_type, registered_at
         FROM ingest.submissions WHERE submission_id = $1`,
      [submissionId],
    );
    const row = rows[0];
    if (!row) return null;
    const stages: {
      submission_id: string;
      stage: string;
      at: Date;
      reason: string | null;
      operation_outcome_code: string | null;
    }[] = await this.dataSource.query(
      `SELECT submission_id, stage, at, reason, operation_outcome_code
         FROM ingest.submission_stages WHERE submission_id = $1 ORDER BY at`,
      [submissionId],
    );
    return {
      submission: toRegistered(row),
      stages: stages.map((s) => ({
        submissionId: s.submission_id,
        stage: s.stage,
        at: s.at,
        reason: s.reason,
        operationOutcomeCode: s.operation_outcome_code,
      })),
    };
  }

  async recordStages(reports: readonly StageReport[]): Promise<void> {
    if (reports.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO ingest.submission_stages (submission_id, stage, at, reason, operation_outcome_code)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[])
       ON CONFLICT (submission_id, stage) DO NOTHING`,
      [
        reports.map((r) => r.submissionId),
        reports.map((r) => r.stage),
        reports.map((r) => r.at.toISOString()),
        reports.map((r) => r.reason),
        reports.map((r) => r.operationOutcomeCode),
      ],
    );
  }
}
