import { Counter, Gauge } from 'prom-client';
import type { ServiceMetrics } from '@knutepunkt/observability';

/** The consent service's own metrics, on the app's registry (`knutepunkt_consent_…`). */
export class ConsentMetrics {
  readonly decisions: Counter<'orgnr' | 'outcome' | 'lane'>;
  readonly released: Counter;
  private countStates: () => number = () => 0;
  readonly statesHeld: Gauge;
  readonly changesPublished: Counter<'kind'>;

  /** Where the state gauge reads its count at scrape time. */
  countStatesOf(count: () => number): void {
    this.countStates = count;
  }

  constructor(
    metrics: ServiceMetrics,
    heldByMunicipality: () => Promise<readonly { orgnr: string; count: number }[]>,
  ) {
    const registers = [metrics.registry];
    const p = metrics.prefix;
    new Gauge({
      name: `${p}held_events`,
      help: 'Events held for a patient not registered yet, by municipality (counted at scrape time).',
      labelNames: ['orgnr'],
      registers,
      async collect() {
        let rows: readonly { orgnr: string; count: number }[];
        try {
          rows = await heldByMunicipality();
        } catch {
          // The database is away: keep the last values; readiness reports the database.
          return;
        }
        this.reset();
        for (const { orgnr, count } of rows) this.set({ orgnr }, count);
      },
    });
    this.decisions = new Counter({
      name: `${p}decisions_total`,
      help: 'Consent decisions, by municipality, outcome (consented, withheld, held, failed) and lane.',
      labelNames: ['orgnr', 'outcome', 'lane'],
      registers,
    });
    this.released = new Counter({
      name: `${p}held_events_released_total`,
      help: 'Held events decided again after a registration arrived or their hold ran out.',
      registers,
    });
    this.statesHeld = new Gauge({
      name: `${p}state_patients`,
      help: 'Patient states held in memory from knutepunkt.consent.changes.v1.',
      registers,
      collect: () => {
        this.statesHeld.set(this.countStates());
      },
    });
    this.changesPublished = new Counter({
      name: `${p}changes_published_total`,
      help: 'Records published from the outbox, by kind (state, audit).',
      labelNames: ['kind'],
      registers,
    });
  }
}
