import type { AppName } from '@knutepunkt/schemas';

/**
 * Every service metric the rules and dashboards read, who exports it, and whether a service
 * exports it today. `expected` ones are the operations' requirements on the services: until a
 * service exports them, the panels and rules that read them show nothing (and never fire).
 */
export interface MetricSpec {
  /** The full name; `<app>` stands for every app's prefix (libs/observability ServiceMetrics). */
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly labels: readonly string[];
  readonly exportedBy: AppName | 'every app';
  readonly status: 'exported' | 'expected';
  readonly meaning: string;
  /** What the exported metric still lacks for the rules and panels that read it. */
  readonly gap?: string;
}

export const metricCatalog: readonly MetricSpec[] = [
  // libs/observability ServiceMetrics: every app, `app` as a default label.
  {
    name: 'knutepunkt_<app>_http_requests_total',
    type: 'counter',
    labels: ['method', 'route', 'status'],
    exportedBy: 'every app',
    status: 'exported',
    meaning: 'HTTP requests answered',
  },
  {
    name: 'knutepunkt_<app>_http_request_duration_seconds',
    type: 'histogram',
    labels: ['method', 'route'],
    exportedBy: 'every app',
    status: 'exported',
    meaning: 'HTTP request duration',
  },
  {
    name: 'knutepunkt_<app>_kafka_messages_produced_total',
    type: 'counter',
    labels: ['topic'],
    exportedBy: 'every app',
    status: 'exported',
    meaning: 'messages acknowledged by Kafka',
  },
  {
    name: 'knutepunkt_<app>_kafka_messages_consumed_total',
    type: 'counter',
    labels: ['topic'],
    exportedBy: 'every app',
    status: 'exported',
    meaning: 'messages processed and committed',
  },
  {
    name: 'knutepunkt_<app>_kafka_messages_failed_total',
    type: 'counter',
    labels: ['topic', 'outcome'],
    exportedBy: 'every app',
    status: 'exported',
    meaning: 'retried attempts, dead-lettered and undecodable messages',
  },
  {
    name: 'knutepunkt_<app>_kafka_consumer_lag_messages',
    type: 'gauge',
    labels: ['group', 'topic', 'partition'],
    exportedBy: 'every app',
    status: 'exported',
    meaning: 'consumer lag, set after each committed batch',
  },
  {
    name: 'knutepunkt_<app>_kafka_client_errors_total',
    type: 'counter',
    labels: ['operation'],
    exportedBy: 'every app',
    status: 'exported',
    meaning: 'Kafka client errors',
  },

  // journal-writer (apps/journal-writer/src/journal-metrics.ts).
  {
    name: 'knutepunkt_journal_writer_entries_written_total',
    type: 'counter',
    labels: ['orgnr', 'outcome'],
    exportedBy: 'journal-writer',
    status: 'exported',
    meaning: 'journal entries created, duplicate or failed',
  },
  {
    name: 'knutepunkt_journal_writer_epj_entries_read_total',
    type: 'counter',
    labels: ['orgnr', 'outcome'],
    exportedBy: 'journal-writer',
    status: 'exported',
    meaning: 'entries returned to an EPJ: first_read or reread',
  },
  {
    name: 'knutepunkt_journal_writer_epj_acknowledgements_total',
    type: 'counter',
    labels: ['orgnr', 'outcome'],
    exportedBy: 'journal-writer',
    status: 'exported',
    meaning: 'journaling acknowledgements',
  },
  {
    name: 'knutepunkt_journal_writer_oldest_unacknowledged_entry_age_seconds',
    type: 'gauge',
    labels: ['orgnr'],
    exportedBy: 'journal-writer',
    status: 'exported',
    meaning: 'age of the oldest entry not acknowledged as journaled',
  },
  {
    name: 'knutepunkt_journal_writer_delivery_latency_seconds',
    type: 'histogram',
    labels: ['orgnr', 'lane'],
    exportedBy: 'journal-writer',
    status: 'exported',
    meaning:
      'seconds from ingest receiving the submission (WelfareEvent receivedAt) to the journal entry committed with its outbox row (the relay publishes right after); lane `urgent` or `routine`; buckets include 60 and 300 (the SLO thresholds)',
  },
  {
    name: 'knutepunkt_journal_writer_oldest_unread_entry_age_seconds',
    type: 'gauge',
    labels: ['orgnr'],
    exportedBy: 'journal-writer',
    status: 'exported',
    meaning:
      'age of the oldest entry the EPJ has not read yet; no series for a municipality with none waiting (computed at scrape, like the unacknowledged one)',
  },

  // ingest.
  {
    name: 'knutepunkt_ingest_submissions_total',
    type: 'counter',
    labels: ['client', 'orgnr', 'service', 'outcome', 'reason'],
    exportedBy: 'ingest',
    status: 'exported',
    meaning:
      'vendor submissions: outcome `accepted` (202, or 200 for a repeat) or `refused`; reason the error code (`INGEST.NOT_FHIR`…) or empty; client the vendor client id; service empty when unknown',
  },

  // normalizer.
  {
    name: 'knutepunkt_normalizer_events_total',
    type: 'counter',
    labels: ['orgnr', 'service', 'kind', 'lane'],
    exportedBy: 'normalizer',
    status: 'exported',
    meaning: 'canonical WelfareEvents produced, by service, body kind and lane',
  },

  // consent.
  {
    name: 'knutepunkt_consent_decisions_total',
    type: 'counter',
    labels: ['orgnr', 'outcome', 'lane'],
    exportedBy: 'consent',
    status: 'exported',
    meaning: 'consent decisions: consented, withheld, held, failed',
  },
  {
    name: 'knutepunkt_consent_held_events',
    type: 'gauge',
    labels: ['orgnr'],
    exportedBy: 'consent',
    status: 'exported',
    meaning: 'events held for a registration now',
  },

  // audit (apps/audit/src/audit-metrics.ts).
  {
    name: 'knutepunkt_audit_entries_appended_total',
    type: 'counter',
    labels: ['source'],
    exportedBy: 'audit',
    status: 'exported',
    meaning: 'rows appended to the hash-chained log',
  },
  {
    name: 'knutepunkt_audit_chain_valid',
    type: 'gauge',
    labels: [],
    exportedBy: 'audit',
    status: 'exported',
    meaning:
      '1 when the last verification of the hash chain found it intact, 0 when broken (set by a periodic verification and by GET /audit/verify)',
  },
  {
    name: 'knutepunkt_audit_chain_entries',
    type: 'gauge',
    labels: [],
    exportedBy: 'audit',
    status: 'exported',
    meaning: 'rows in the hash chain at the last verification',
  },
];

const histogramSuffixes = ['_bucket', '_count', '_sum'] as const;

/**
 * The catalogue names of the service metrics an expression reads: plain names
 * (`knutepunkt_ingest_submissions_total`), `__name__` regexes over every app
 * (`knutepunkt_.+_http_requests_total` → `knutepunkt_<app>_http_requests_total`), histogram
 * series reduced to their histogram. Recorded series (names with `:`) are not service metrics.
 */
export function metricsReadBy(expr: string): Set<string> {
  const names = new Set<string>();
  for (const match of expr.matchAll(/__name__=~"knutepunkt_\.\+_(\w+)"/g)) {
    names.add(`knutepunkt_<app>_${match[1] ?? ''}`);
  }
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const match of withoutStrings.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const token = match[0];
    if (token.startsWith('knutepunkt_') && !token.includes(':')) names.add(token);
  }
  const histograms = new Set(
    metricCatalog.filter((metric) => metric.type === 'histogram').map((metric) => metric.name),
  );
  return new Set(
    [...names].map((name) => {
      const suffix = histogramSuffixes.find((s) => name.endsWith(s));
      const base = suffix ? name.slice(0, -suffix.length) : name;
      return histograms.has(base) ? base : name;
    }),
  );
}

/** The catalogue entry of a name, or undefined. */
export function catalogued(name: string): MetricSpec | undefined {
  return metricCatalog.find((metric) => metric.name === name);
}
