import { Counter } from 'prom-client';
import type { ServiceMetrics } from '@knutepunkt/observability';
import { tagWelfareEventBody, type WelfareEvent } from '@knutepunkt/schemas';

/** The normalizer's own metrics (`knutepunkt_normalizer_…`; docs/operations.md). */
export class NormalizerMetrics {
  private readonly events: Counter<'orgnr' | 'service' | 'kind' | 'lane'>;

  constructor(metrics: ServiceMetrics) {
    this.events = new Counter({
      name: `${metrics.prefix}events_total`,
      help: 'Canonical WelfareEvents produced, by municipality, service, body kind and lane.',
      labelNames: ['orgnr', 'service', 'kind', 'lane'],
      registers: [metrics.registry],
    });
  }

  produced(event: WelfareEvent): void {
    this.events.inc({
      orgnr: event.orgnr,
      service: event.service,
      kind: tagWelfareEventBody(event.body).kind,
      lane: event.urgent ? 'urgent' : 'routine',
    });
  }
}
