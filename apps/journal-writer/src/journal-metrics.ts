import { Counter, Gauge, Histogram } from 'prom-client';
import type { ServiceMetrics } from '@knutepunkt/observability';
import type { OldestUnacknowledged } from './persistence/journal-store';

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

  constructor(
    metrics: ServiceMetrics,
    oldestUnacknowledged: () => Promise<OldestUnacknowledged[]>,
    oldestUnread: () => Promise<OldestUnacknowledged[]>,
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
    ageGauge(
      `${p}oldest_unread_entry_age_seconds`,
      "Age of the oldest journal entry the municipality's EPJ has not read yet; absent when none waits.",
      oldestUnread,
    );
    ageGauge(
      `${p}oldest_unacknowledged_entry_age_seconds`,
      'Age of the oldest journal entry the municipality has not acknowledged as journaled.',
      oldestUnacknowledged,
    );

    function ageGauge(
      name: string,
      help: string,
      oldest: () => Promise<OldestUnacknowledged[]>,
    ): void {
      new Gauge({
        name,
        help,
        labelNames: ['orgnr'],
        registers,
        async collect() {
          let rows: OldestUnacknowledged[];
          try {
            rows = await oldest();
          } catch {
            // The database is away: keep the last values; readiness reports the database.
            return;
          }
          this.reset();
          const now = Date.now();
          for (const { orgnr, createdAt } of rows) {
            this.set({ orgnr }, Math.max(0, (now - createdAt.getTime()) / 1000));
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
