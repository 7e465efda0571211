import { Counter, Gauge, Histogram } from 'prom-client';
import type { ServiceMetrics } from '@knutepunkt/observability';

/** The audit app's own metrics, on the app's registry (names per libs/observability). */
export class AuditMetrics {
  private readonly appended: Counter<'source'>;
  private readonly duplicates: Counter<'source'>;
  private readonly appendSeconds: Histogram;
  private readonly checkpoints: Counter;
  private readonly apiUses: Counter<'use' | 'outcome'>;
  /** Created at the first verification (see `verified`). */
  private chain: { readonly valid: Gauge; readonly entries: Gauge } | undefined;
  private readonly prefix: string;
  private readonly registers: ServiceMetrics['registry'][];

  constructor(metrics: ServiceMetrics) {
    const p = metrics.prefix;
    const registers = [metrics.registry];
    this.prefix = p;
    this.registers = registers;
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
    // Absent until the first verification: the chain's state is unknown before it, and a 0 from
    // start-up would fire KnutepunktAuditChainBroken after every restart of the service.
    this.chain ??= {
      valid: new Gauge({
        name: `${this.prefix}chain_valid`,
        help: '1 when the last verification found the hash chain intact, 0 when broken; absent before the first.',
        registers: this.registers,
      }),
      entries: new Gauge({
        name: `${this.prefix}chain_entries`,
        help: 'Rows in the hash chain at the last verification; absent before the first.',
        registers: this.registers,
      }),
    };
    this.chain.valid.set(report.valid ? 1 : 0);
    this.chain.entries.set(report.entries);
  }

  apiUse(use: 'search' | 'innsyn' | 'verify', outcome: string): void {
    this.apiUses.inc({ use, outcome });
  }
}
