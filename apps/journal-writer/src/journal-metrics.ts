import { Counter, Gauge, Histogram } from 'prom-client';
import type { ServiceMetrics } from '@knutepunkt/observability';
import { Periodic } from '@knutepunkt/service';
import type { OldestWaiting } from './persistence/journal-store';

export type WriteOutcomeLabel = 'created' | 'duplicate' | 'failed';
export type ReadOutcomeLabel = 'first_read' | 'reread';
export type AckOutcomeLabel = 'journaled' | 'repeat' | 'not_found';

/**
 * journal-writer's own metrics, on the app's registry (names `knutepunkt_journal_writer_…`).
 * `orgnr` is a label: a few hundred municipalities at most, never a patient or an entry.
 */
export class JournalMetrics {
  private readonly written: Counter<'orgnr' | 'outcome'>;
  private readonly reads: Counter<'orgnr' | 'outcome'>;
  private readonly acks: Counter<'orgnr' | 'outcome'>;
  private readonly deliveryLatency: Histogram<'orgnr' | 'lane'>;

  /**
   * `oldest` gives what the oldest-entry gauges show (an OldestEntriesCache's `current`): a
   * scrape reads it and never the database. Every connected municipality (`municipalities`,
   * from the register) has a series, 0 when nothing of it waits, so a dashboard tells "nothing
   * waits" from "not measured"; before the first refresh after a start there are none.
   */
  constructor(
    metrics: ServiceMetrics,
    oldest: () => readonly OldestWaiting[] | undefined,
    municipalities: () => readonly string[],
  ) {
    const registers = [metrics.registry];
    const p = metrics.prefix;
    this.written = new Counter({
      name: `${p}entries_written_total`,
      help: 'Consented events journaled: created, duplicate (a redelivery, nothing written), failed.',
      labelNames: ['orgnr', 'outcome'],
      registers,
    });
    this.reads = new Counter({
      name: `${p}epj_entries_read_total`,
      help: 'Journal entries returned by the EPJ read API: first_read or reread.',
      labelNames: ['orgnr', 'outcome'],
      registers,
    });
    this.acks = new Counter({
      name: `${p}epj_acknowledgements_total`,
      help: 'Journaling acknowledgements: journaled, repeat (idempotent, nothing changed), not_found.',
      labelNames: ['orgnr', 'outcome'],
      registers,
    });
    this.deliveryLatency = new Histogram({
      name: `${p}delivery_latency_seconds`,
      help: 'From ingest receiving the submission to its journal entry committed with its outbox (the relay publishes it right after), by lane: the delivery SLOs (docs/operations.md).',
      labelNames: ['orgnr', 'lane'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers,
    });
    // Ages from the cached creation times: they keep growing between two refreshes, and an
    // entry read or acknowledged since the last refresh still counts until the next.
    ageGauge(
      `${p}oldest_unread_entry_age_seconds`,
      "Age of the oldest journal entry the municipality's EPJ has not read yet; 0 when none waits. From the database every JOURNAL_METRICS_REFRESH_INTERVAL_MS (15 s).",
      (row) => row.oldestUnreadAt,
    );
    ageGauge(
      `${p}oldest_unacknowledged_entry_age_seconds`,
      'Age of the oldest journal entry the municipality has not acknowledged as journaled; 0 when none waits. From the database every JOURNAL_METRICS_REFRESH_INTERVAL_MS (15 s).',
      (row) => row.oldestUnacknowledgedAt,
    );

    function ageGauge(
      name: string,
      help: string,
      createdAt: (row: OldestWaiting) => Date | null,
    ): void {
      new Gauge({
        name,
        help,
        labelNames: ['orgnr'],
        registers,
        collect() {
          this.reset();
          const rows = oldest();
          if (rows === undefined) return;
          for (const orgnr of municipalities()) this.set({ orgnr }, 0);
          const now = Date.now();
          for (const row of rows) {
            const at = createdAt(row);
            if (at !== null)
              this.set({ orgnr: row.orgnr }, Math.max(0, (now - at.getTime()) / 1000));
          }
        },
      });
    }
  }

  entriesWritten(orgnr: string, outcome: WriteOutcomeLabel, count = 1): void {
    this.written.inc({ orgnr, outcome }, count);
  }

  entriesRead(orgnr: string, outcome: ReadOutcomeLabel, count: number): void {
    if (count > 0) this.reads.inc({ orgnr, outcome }, count);
  }

  delivered(orgnr: string, urgent: boolean, latencyMs: number): void {
    this.deliveryLatency.observe(
      { orgnr, lane: urgent ? 'urgent' : 'routine' },
      Math.max(0, latencyMs) / 1000,
    );
  }

  acknowledged(orgnr: string, outcome: AckOutcomeLabel): void {
    this.acks.inc({ orgnr, outcome });
  }
}

/**
 * The oldest waiting entries per municipality, read from the database on a timer (one query,
 * JournalStore.oldestWaiting) instead of at every scrape: `/metrics` stays as fast as the
 * other services' however many entries wait, and several Prometheus replicas scraping cost no
 * more queries. A failed refresh keeps the last values (readiness reports the database); a
 * refresh still running when the next is due is not doubled.
 */
export class OldestEntriesCache {
  private rows: readonly OldestWaiting[] | undefined;
  private readonly periodic: Periodic;
  private running: Promise<void> | undefined;

  constructor(
    private readonly load: () => Promise<OldestWaiting[]>,
    intervalMs: number,
  ) {
    this.periodic = new Periodic(() => this.refresh(), intervalMs);
  }

  /** What the last successful refresh found; `undefined` before the first. */
  current(): readonly OldestWaiting[] | undefined {
    return this.rows;
  }

  /** Refreshes now and then every interval. */
  start(): void {
    this.periodic.start(() => this.refresh());
  }

  /** Stops the timer and waits for a refresh in flight (before the database closes). */
  async stop(): Promise<void> {
    await this.periodic.stop();
  }

  refresh(): Promise<void> {
    this.running ??= this.load()
      .then(
        (rows) => {
          this.rows = rows;
        },
        () => undefined,
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
