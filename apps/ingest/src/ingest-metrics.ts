import { Counter } from 'prom-client';
import type { ServiceMetrics } from '@knutepunkt/observability';

/** Ingest's own metrics, on the app's registry (`knutepunkt_ingest_…`; docs/operations.md). */
export class IngestMetrics {
  /**
   * Vendor submissions: `accepted` (202, or 200 for a repeat) or `refused` with the error
   * code as `reason`. `service` stays empty: it is derived later, by the normalizer.
   */
  readonly submissions: Counter<'client' | 'orgnr' | 'service' | 'outcome' | 'reason'>;

  constructor(metrics: ServiceMetrics) {
    this.submissions = new Counter({
      name: `${metrics.prefix}submissions_total`,
      help: 'Vendor submissions by client, municipality, outcome (accepted, refused) and refusal code.',
      labelNames: ['client', 'orgnr', 'service', 'outcome', 'reason'],
      registers: [metrics.registry],
    });
  }

  accepted(client: string, orgnr: string): void {
    this.submissions.inc({ client, orgnr, service: '', outcome: 'accepted', reason: '' });
  }

  /** `orgnr` only when it is a well-formed number, so junk in URLs cannot grow the label set. */
  refused(client: string, orgnr: string, reason: string): void {
    this.submissions.inc({
      client,
      orgnr: /^\d{9}$/.test(orgnr) ? orgnr : '',
      service: '',
      outcome: 'refused',
      reason,
    });
  }
}
