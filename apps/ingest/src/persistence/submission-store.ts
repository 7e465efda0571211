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
   * Registers a submission once per (client, dedupe key). The first caller writes a `pending`
   * row, runs `publish(submissionId)` with no database connection held, then marks the row
   * `registered`; a publish that fails deletes the row, so a retry starts afresh. A concurrent
   * repeat waits for the first to settle and answers with it. A row left `pending` by a
   * process that died is taken over after `abandonAfterMs`, keeping its submission id, so a
   * record the dead process did publish comes out again with the same id (consumers dedupe).
   */
  registerOnce(
    candidate: NewSubmission,
    publish: (submissionId: string) => Promise<void>,
  ): Promise<RegisterOutcome>;
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
  registered_at: Date | null;
  state: 'pending' | 'registered';
}

const toRegistered = (row: SubmissionRow): RegisteredSubmission => ({
  submissionId: row.submission_id,
  clientId: row.client_id,
  orgnr: row.orgnr,
  resourceType: row.resource_type,
  // Only registered rows leave the store, and those have the time.
  registeredAt: row.registered_at ?? new Date(0),
});

export class PostgresSubmissionStore implements SubmissionStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly timing = { pollMs: 10, abandonAfterMs: 60_000 },
  ) {}

  async registerOnce(
    candidate: NewSubmission,
    publish: (submissionId: string) => Promise<void>,
  ): Promise<RegisterOutcome> {
    for (;;) {
      const claimed: { submission_id: string }[] = await this.dataSource.query(
        `INSERT INTO ingest.submissions
           (submission_id, client_id, dedupe_key, orgnr, resource_type, received_at, state)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending')
         ON CONFLICT (client_id, dedupe_key) DO NOTHING
         RETURNING submission_id`,
        [
          candidate.submissionId,
          candidate.clientId,
          candidate.dedupeKey,
          candidate.orgnr,
          candidate.resourceType,
          candidate.receivedAt,
        ],
      );
      if (claimed.length === 1) {
        return {
          kind: 'created',
          submission: await this.publishClaimed(candidate.submissionId, publish),
        };
      }
      const existing = await this.settled(candidate);
      if (existing === 'gone') continue;
      if (existing.state === 'registered')
        return { kind: 'repeat', submission: toRegistered(existing) };
      const takenOver = await this.updateReturning<{ submission_id: string }>(
        `UPDATE ingest.submissions SET received_at = now()
          WHERE submission_id = $1 AND state = 'pending' AND received_at < now() - make_interval(secs => $2)
          RETURNING submission_id`,
        [existing.submission_id, this.timing.abandonAfterMs / 1000],
      );
      if (takenOver.length === 1) {
        return {
          kind: 'created',
          submission: await this.publishClaimed(existing.submission_id, publish),
        };
      }
    }
  }

  private async publishClaimed(
    submissionId: string,
    publish: (submissionId: string) => Promise<void>,
  ): Promise<RegisteredSubmission> {
    try {
      await publish(submissionId);
    } catch (error) {
      await this.dataSource.query(
        `DELETE FROM ingest.submissions WHERE submission_id = $1 AND state = 'pending'`,
        [submissionId],
      );
      throw error;
    }
    const rows = await this.updateReturning<SubmissionRow>(
      `UPDATE ingest.submissions SET state = 'registered', registered_at = now()
        WHERE submission_id = $1
        RETURNING submission_id, client_id, orgnr, resource_type, registered_at, state`,
      [submissionId],
    );
    const row = rows[0];
    if (!row) throw new Error('claimed submission vanished');
    return toRegistered(row);
  }

  /** TypeORM answers an UPDATE … RETURNING with `[rows, affected]`, unlike a SELECT or INSERT. */
  private async updateReturning<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    const [rows] = await this.dataSource.query<[T[], number]>(sql, parameters);
    return rows;
  }

  /** The existing row once it is registered or abandoned; 'gone' when its publish failed. */
  private async settled(candidate: NewSubmission): Promise<SubmissionRow | 'gone'> {
    for (;;) {
      // `extract` gives a numeric, which pg hands over as a string.
      const rows: (SubmissionRow & { pending_ms: string })[] = await this.dataSource.query(
        `SELECT submission_id, client_id, orgnr, resource_type, registered_at, state,
                extract(epoch FROM now() - received_at) * 1000 AS pending_ms
           FROM ingest.submissions WHERE client_id = $1 AND dedupe_key = $2`,
        [candidate.clientId, candidate.dedupeKey],
      );
      const row = rows[0];
      if (!row) return 'gone';
      if (row.state === 'registered' || Number(row.pending_ms) >= this.timing.abandonAfterMs)
        return row;
      await new Promise((resolve) => setTimeout(resolve, this.timing.pollMs));
    }
  }

  async find(submissionId: string) {
    const rows: SubmissionRow[] = await this.dataSource.query(
      `SELECT submission_id, client_id, orgnr, resource_type, registered_at
         FROM ingest.submissions WHERE submission_id = $1 AND state = 'registered'`,
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
