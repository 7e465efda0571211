import { Counter, Gauge, Histogram } from 'prom-client';
import type { ServiceMetrics } from '@knutepunkt/observability';

/** The audit app's own metrics, on the app's registry (names per libs/observability). */
export class AuditMetrics {
  private readonly appended: Counter<'source'>;
  private readonly duplicates: Counter<'source'>;
  private readonly appendSeconds: Histogram;
  private readonly checkpoints: Counter;
  private readonly apiUses: Counter<'use' | 'outcome'>;
  private readonly chainValid: Gauge;
  private readonly chainEntries: Gauge;

  constructor(metrics: ServiceMetrics) {
    const p = metrics.prefix;
    const registers = [metrics.registry];
    this.appended = new Counter({
      name: `${p}entries_appended_total`,
      help: 'Rows appended to the hash-chained log, by source (audit record or lifecycle topic).',
      labelNames: ['source'],
      registers,
    });
    this.duplicates = new Counter({
      name: `${p}entries_duplicate_total`,
      help: 'Facts already in the log (redeliveries), not appended again.',
      labelNames: ['source'],
      registers,
    });
    this.appendSeconds = new Histogram({
      name: `${p}append_batch_duration_seconds`,
      help: 'Time to append one consumed batch (lock, dedupe, chain, insert, commit).',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.checkpoints = new Counter({
      name: `${p}checkpoints_total`,
      help: 'Signed checkpoints of the chain head written.',
      registers,
    });
    this.chainValid = new Gauge({
      name: `${p}chain_valid`,
      help: '1 when the last verification found the hash chain intact, 0 when broken; absent before the first.',
      registers,
    });
    this.chainEntries = new Gauge({
      name: `${p}chain_entries`,
      help: 'Rows in the hash chain at the last verification.',
      registers,
    });
    this.apiUses = new Counter({
      name: `${p}api_uses_total`,
      help: 'Uses of the audit API (each itself audited), by use and outcome.',
      labelNames: ['use', 'outcome'],
      registers,
    });
  }

  batch(source: string, appended: number, duplicates: number, seconds: number): void {
    this.appended.inc({ source }, appended);
    if (duplicates > 0) this.duplicates.inc({ source }, duplicates);
    this.appendSeconds.observe(seconds);
  }

  checkpoint(): void {
    this.checkpoints.inc();
  }

  verified(report: { readonly valid: boolean; readonly entries: number }): void {
    this.chainValid.set(report.valid ? 1 : 0);
    this.chainEntries.set(report.entries);
  }

  apiUse(use: 'search' | 'innsyn' | 'verify', outcome: string): void {
    this.apiUses.inc({ use, outcome });
  }
}
