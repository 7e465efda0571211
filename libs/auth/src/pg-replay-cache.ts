import type { Pool } from 'pg';
import type { ReplayCache } from './replay-cache';

export interface PgReplayCacheOptions {
  /** The table, optionally schema-qualified (`ingest.dpop_replay`). Default `auth_dpop_replay`. */
  readonly table?: string;
  /** Expired rows are deleted at most this often, during a `seen` call. Default 60 s. */
  readonly purgeEveryMs?: number;
  readonly now?: () => number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}(\.[a-z_][a-z0-9_]{0,62})?$/;

/**
 * The DDL of the replay table, for the owning service's migration (services own their
 * schemas; this library creates nothing on its own). The key is the fixed-size hash from
 * `replayKey`, so no client-chosen string of any length reaches the database.
 */
export function pgReplayCacheDdl(table = 'auth_dpop_replay'): string {
  assertIdentifier(table);
  const index = `${table.replace(/^.*\./, '')}_expires_at_idx`;
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (key text PRIMARY KEY, expires_at timestamptz NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS ${index} ON ${table} (expires_at)`,
  ].join(';\n');
}

/**
 * A replay cache every replica shares (RFC 9449 §11.1): one INSERT … ON CONFLICT per proof,
 * atomic in PostgreSQL, so of any number of concurrent uses of one proof on any replicas
 * exactly one is new. A row that has expired is taken over as new. Expiry is judged by the
 * application's clock, the same clock that judged the proof's `iat`, not the database's.
 */
export class PgReplayCache implements ReplayCache {
  private readonly table: string;
  private readonly purgeEveryMs: number;
  private readonly now: () => number;
  private lastPurgeAt = 0;

  constructor(
    private readonly pool: Pool,
    options: PgReplayCacheOptions = {},
  ) {
    this.table = options.table ?? 'auth_dpop_replay';
    assertIdentifier(this.table);
    this.purgeEveryMs = options.purgeEveryMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  async seen(key: string, expiresAtMs: number): Promise<boolean> {
    const now = this.now();
    if (now - this.lastPurgeAt >= this.purgeEveryMs) {
      this.lastPurgeAt = now;
      // Housekeeping off the request's path; a failure only delays it to the next period.
      void this.purgeExpired().catch(() => undefined);
    }
    const result = await this.pool.query(
      `INSERT INTO ${this.table} AS t (key, expires_at)
       VALUES ($1, to_timestamp($2::double precision / 1000))
       ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at
       WHERE t.expires_at <= to_timestamp($3::double precision / 1000)`,
      [key, expiresAtMs, now],
    );
    // A row was inserted or an expired one taken over: new. Nothing written: a live replay.
    return result.rowCount !== 1;
  }

  /** Deletes expired rows; returns how many. */
  async purgeExpired(): Promise<number> {
    const result = await this.pool.query(
      `DELETE FROM ${this.table} WHERE expires_at <= to_timestamp($1::double precision / 1000)`,
      [this.now()],
    );
    return result.rowCount ?? 0;
  }
}

function assertIdentifier(table: string): void {
  if (!IDENTIFIER.test(table)) {
    throw new Error(`replay table name must be a lower-case SQL identifier: ${table}`);
  }
}
