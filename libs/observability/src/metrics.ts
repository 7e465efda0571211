import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** `journal-writer` → `knutepunkt_journal_writer_`: every metric an app owns starts with this. */
export function metricPrefix(app: string): string {
  return `knutepunkt_${app.replace(/[^a-zA-Z0-9]/g, '_')}_`;
}

export interface HttpMetrics {
  /** `route` is the route template (`/fhir/:orgnr/:type`), never the raw URL. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
}

export interface KafkaMetrics {
  produced(topic: string, count: number): void;
  consumed(topic: string, count: number): void;
  /** outcome: `retried` (a handler attempt failed), `dead_lettered`, `undecodable`. */
  failed(topic: string, outcome: 'retried' | 'dead_lettered' | 'undecodable', count: number): void;
  lag(groupId: string, topic: string, partition: number, messages: number): void;
  clientError(operation: 'produce' | 'consume' | 'admin'): void;
}

/**
 * One prom-client registry per app (never the global default registry, so tests can run
 * several apps in one process). Labels stay low-cardinality: a topic, a route template, a
 * status code, a partition number; never a patient, submission or request id.
 */
export class ServiceMetrics implements HttpMetrics, KafkaMetrics {
  readonly registry = new Registry();
  readonly prefix: string;

  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpDuration: Histogram<'method' | 'route'>;
  private readonly kafkaProduced: Counter<'topic'>;
  private readonly kafkaConsumed: Counter<'topic'>;
  private readonly kafkaFailed: Counter<'topic' | 'outcome'>;
  private readonly kafkaLag: Gauge<'group' | 'topic' | 'partition'>;
  private readonly kafkaClientErrors: Counter<'operation'>;

  constructor(readonly app: string) {
    this.prefix = metricPrefix(app);
    this.registry.setDefaultLabels({ app });
    collectDefaultMetrics({ register: this.registry });
    const p = this.prefix;
    const registers = [this.registry];
    this.httpRequests = new Counter({
      name: `${p}http_requests_total`,
      help: 'HTTP requests answered, by method, route template and status code.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: `${p}http_request_duration_seconds`,
      help: 'Time from request received to response sent.',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.kafkaProduced = new Counter({
      name: `${p}kafka_messages_produced_total`,
      help: 'Messages acknowledged by Kafka (acks=all), by topic.',
      labelNames: ['topic'],
      registers,
    });
    this.kafkaConsumed = new Counter({
      name: `${p}kafka_messages_consumed_total`,
      help: 'Messages processed and committed, by topic.',
      labelNames: ['topic'],
      registers,
    });
    this.kafkaFailed = new Counter({
      name: `${p}kafka_messages_failed_total`,
      help: 'Failed handling of consumed messages: retried attempts, dead-lettered, undecodable.',
      labelNames: ['topic', 'outcome'],
      registers,
    });
    this.kafkaLag = new Gauge({
      name: `${p}kafka_consumer_lag_messages`,
      help: 'Messages between the last committed offset and the high watermark, per partition.',
      labelNames: ['group', 'topic', 'partition'],
      registers,
    });
    this.kafkaClientErrors = new Counter({
      name: `${p}kafka_client_errors_total`,
      help: 'Errors raised by the Kafka client, by operation.',
      labelNames: ['operation'],
      registers,
    });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpDuration.observe({ method, route }, seconds);
  }

  produced(topic: string, count: number): void {
    this.kafkaProduced.inc({ topic }, count);
  }

  consumed(topic: string, count: number): void {
    this.kafkaConsumed.inc({ topic }, count);
  }

  failed(topic: string, outcome: 'retried' | 'dead_lettered' | 'undecodable', count: number): void {
    this.kafkaFailed.inc({ topic, outcome }, count);
  }

  lag(groupId: string, topic: string, partition: number, messages: number): void {
    this.kafkaLag.set({ group: groupId, topic, partition: String(partition) }, messages);
  }

  clientError(operation: 'produce' | 'consume' | 'admin'): void {
    this.kafkaClientErrors.inc({ operation });
  }

  /** Prometheus text exposition of everything this app registered. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
