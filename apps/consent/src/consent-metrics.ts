import { Counter, Gauge } from 'prom-client';
import type { ServiceMetrics } from '@knutepunkt/observability';

/** The consent service's own metrics, on the app's registry (`knutepunkt_consent_…`). */
export class ConsentMetrics {
  readonly decisions: Counter<'outcome' | 'lane'>;
  readonly released: Counter;
  private countStates: () => number = () => 0;
  readonly statesHeld: Gauge;
  readonly changesPublished: Counter<'kind'>;

  /** Where the state gauge reads its count at scrape time. */
  countStatesOf(count: () => number): void {
    this.countStates = count;
  }

  constructor(metrics: ServiceMetrics) {
    const registers = [metrics.registry];
    const p = metrics.prefix;
    this.decisions = new Counter({
      name: `${p}decisions_total`,
      help: 'Consent decisions, by outcome (consented, withheld, held, failed) and lane.',
      labelNames: ['outcome', 'lane'],
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
