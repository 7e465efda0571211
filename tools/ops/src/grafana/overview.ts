import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { classicDashboard, type ClassicDashboardBuilder } from './classic-dashboard';
import {
  datasourceVariable,
  everyApp,
  inNamespace,
  namespaceVariable,
  servicesUp,
  stat,
  timeseries,
} from './panels';

/** The first screen: is every service up, is traffic flowing, are the municipalities served? */
export function overviewDashboard(): ClassicDashboardBuilder {
  return classicDashboard('Knutepunkt / Overview')
    .uid('knutepunkt-overview')
    .description(
      'Traffic, errors, latency, lag and delivery SLOs of the whole hub. SLOs and alerts: deploy/prometheus/rules/knutepunkt.rules.yaml; what to do: docs/operations.md.',
    )
    .tags(['knutepunkt'])
    .refresh('30s')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser')
    .withVariable(datasourceVariable())
    .withVariable(namespaceVariable())

    .withRow(new RowBuilder('Now'))
    .withPanel(
      stat({
        title: 'Services up',
        description:
          'Targets answering /metrics, per service. 0 is an outage (KnutepunktServiceDown).',
        queries: [{ expr: `sum by (job) (${servicesUp})`, legend: '{{job}}' }],
        steps: [
          [null, 'red'],
          [1, 'green'],
        ],
        width: 8,
      }),
    )
    .withPanel(
      stat({
        title: 'Alerts firing',
        description: 'Knutepunkt alerts firing now; each has a runbook in docs/runbooks/.',
        queries: [
          {
            expr: `count(ALERTS{alertname=~"Knutepunkt.*", alertstate="firing", ${inNamespace}}) or vector(0)`,
          },
        ],
        steps: [
          [null, 'green'],
          [1, 'red'],
        ],
        width: 4,
      }),
    )
    .withPanel(
      stat({
        title: 'Worst municipality: alarms within 60 s (1 h)',
        description:
          'The lowest share of urgent events delivered within 60 s over the last hour, over all municipalities. Objective 99.5 %.',
        queries: [
          {
            expr: `min(orgnr_slo:knutepunkt_delivery_sli:ratio_rate1h{slo="urgent-60s", ${inNamespace}})`,
          },
        ],
        unit: 'percentunit',
        steps: [
          [null, 'red'],
          [0.995, 'green'],
        ],
        noValue: 'no urgent events',
        width: 4,
      }),
    )
    .withPanel(
      stat({
        title: 'Worst municipality: all within 5 min (1 h)',
        description:
          'The lowest share of events delivered within 5 minutes over the last hour, over all municipalities. Objective 99 %.',
        queries: [
          {
            expr: `min(orgnr_slo:knutepunkt_delivery_sli:ratio_rate1h{slo="all-5m", ${inNamespace}})`,
          },
        ],
        unit: 'percentunit',
        steps: [
          [null, 'red'],
          [0.99, 'green'],
        ],
        noValue: 'no events',
        width: 4,
      }),
    )
    .withPanel(
      stat({
        title: 'Oldest unread journal entry',
        description:
          'The longest any municipality’s journal entry has waited for its EPJ to read it. Over 15 minutes with no reads fires KnutepunktEPJNotPolling.',
        queries: [
          { expr: `max(orgnr:knutepunkt_epj_oldest_unread_entry_age_seconds:max{${inNamespace}})` },
        ],
        unit: 's',
        steps: [
          [null, 'green'],
          [300, 'orange'],
          [900, 'red'],
        ],
        width: 4,
      }),
    )

    .withRow(new RowBuilder('Traffic'))
    .withPanel(
      timeseries({
        title: 'Submissions from vendors',
        description: 'Submissions ingest accepted (durable in Kafka) and refused, per second.',
        queries: [
          {
            expr: `sum by (outcome) (rate(knutepunkt_ingest_submissions_total{${inNamespace}}[$__rate_interval]))`,
            legend: '{{outcome}}',
          },
        ],
        unit: 'reqps',
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Messages consumed, per service',
        description: 'Kafka messages each service processed and committed, per second.',
        queries: [
          {
            expr: `sum by (app) (app_topic:knutepunkt_kafka_messages_consumed:rate5m{${inNamespace}})`,
            legend: '{{app}}',
          },
        ],
        unit: 'ops',
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Journal entries delivered, per lane',
        description: 'Events delivered to the municipalities (journal entry stored and published).',
        queries: [
          {
            expr: `sum by (lane) (rate(knutepunkt_journal_writer_delivery_latency_seconds_count{${inNamespace}}[$__rate_interval]))`,
            legend: '{{lane}}',
          },
        ],
        unit: 'ops',
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'HTTP requests, per service',
        description: 'Requests answered by each service’s HTTP API, per second.',
        queries: [
          {
            expr: `sum by (app) (app_route_status:knutepunkt_http_requests:rate5m{route!~"/metrics|/health/.*", ${inNamespace}})`,
            legend: '{{app}}',
          },
        ],
        unit: 'reqps',
      }),
    )
    .withPanel(
      timeseries({
        title: 'EPJ reads and acknowledgements',
        description: 'Journal entries the EPJs read, and journaling acknowledgements, per second.',
        queries: [
          {
            expr: `sum by (outcome) (rate(knutepunkt_journal_writer_epj_entries_read_total{${inNamespace}}[$__rate_interval]))`,
            legend: 'read: {{outcome}}',
          },
          {
            expr: `sum by (outcome) (rate(knutepunkt_journal_writer_epj_acknowledgements_total{${inNamespace}}[$__rate_interval]))`,
            legend: 'acknowledged: {{outcome}}',
          },
        ],
        unit: 'ops',
      }),
    )

    .withRow(new RowBuilder('Errors'))
    .withPanel(
      timeseries({
        title: 'HTTP 5xx share, per service',
        description: 'Share of HTTP answers that were server errors.',
        queries: [
          {
            // `or … * 0`: a service with no 5xx shows 0, not an empty panel.
            expr: `(sum by (app) (app_route_status:knutepunkt_http_requests:rate5m{status=~"5..", ${inNamespace}}) or 0 * sum by (app) (app_route_status:knutepunkt_http_requests:rate5m{${inNamespace}})) / sum by (app) (app_route_status:knutepunkt_http_requests:rate5m{${inNamespace}})`,
            legend: '{{app}}',
          },
        ],
        unit: 'percentunit',
        min: 0,
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Submissions refused, by reason',
        description: 'Vendor submissions ingest refused, by error code.',
        queries: [
          {
            expr: `sum by (reason) (rate(knutepunkt_ingest_submissions_total{outcome="refused", ${inNamespace}}[$__rate_interval]))`,
            legend: '{{reason}}',
          },
        ],
        unit: 'reqps',
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Kafka failures, per service',
        description:
          'Handler attempts retried, messages dead-lettered and undecodable messages, per second; and Kafka client errors.',
        queries: [
          {
            expr: `sum by (app, outcome) (app_topic_outcome:knutepunkt_kafka_messages_failed:rate5m{${inNamespace}})`,
            legend: '{{app}} {{outcome}}',
          },
          {
            expr: `sum by (app, operation) (app_operation:knutepunkt_kafka_client_errors:rate5m{${inNamespace}})`,
            legend: '{{app}} client error: {{operation}}',
          },
        ],
        unit: 'ops',
        width: 8,
      }),
    )

    .withRow(new RowBuilder('Latency'))
    .withPanel(
      timeseries({
        title: 'Delivery latency (received → delivered), per lane',
        description:
          'From ingest receiving the submission to the journal entry being published for the municipality. The SLO thresholds are 60 s (urgent) and 5 min (all).',
        queries: [
          {
            expr: `histogram_quantile(0.5, sum by (lane, le) (rate(knutepunkt_journal_writer_delivery_latency_seconds_bucket{${inNamespace}}[$__rate_interval])))`,
            legend: 'p50 {{lane}}',
          },
          {
            expr: `histogram_quantile(0.95, sum by (lane, le) (rate(knutepunkt_journal_writer_delivery_latency_seconds_bucket{${inNamespace}}[$__rate_interval])))`,
            legend: 'p95 {{lane}}',
          },
          {
            expr: `histogram_quantile(0.99, sum by (lane, le) (rate(knutepunkt_journal_writer_delivery_latency_seconds_bucket{${inNamespace}}[$__rate_interval])))`,
            legend: 'p99 {{lane}}',
          },
        ],
        unit: 's',
      }),
    )
    .withPanel(
      timeseries({
        title: 'HTTP latency p95, per service',
        description: 'Time from request received to response sent, 95th percentile.',
        queries: [
          {
            expr: `histogram_quantile(0.95, sum by (app, le) (app_le:knutepunkt_http_request_duration_seconds_bucket:rate5m{${inNamespace}}))`,
            legend: '{{app}}',
          },
        ],
        unit: 's',
      }),
    )

    .withRow(new RowBuilder('Lag'))
    .withPanel(
      timeseries({
        title: 'Consumer lag, per group and topic',
        description:
          'Messages not yet consumed. A lag that keeps growing fires KnutepunktConsumerLagGrowing; the `.urgent` groups carry alarms.',
        queries: [
          {
            expr: `sum by (group, topic) (app_group_topic:knutepunkt_kafka_consumer_lag_messages:sum{${inNamespace}})`,
            legend: '{{group}} ← {{topic}}',
          },
        ],
        unit: 'short',
      }),
    )
    .withPanel(
      timeseries({
        title: 'Oldest unread journal entry, 10 worst municipalities',
        description: 'How long the oldest entry not yet read by the municipality’s EPJ has waited.',
        queries: [
          {
            expr: `topk(10, orgnr:knutepunkt_epj_oldest_unread_entry_age_seconds:max{${inNamespace}})`,
            legend: '{{orgnr}}',
          },
        ],
        unit: 's',
      }),
    )

    .withRow(new RowBuilder('Delivery SLOs'))
    .withPanel(
      timeseries({
        title: 'Alarms delivered within 60 s (1 h), 10 worst municipalities',
        description: 'Share of urgent events delivered within 60 s. Objective 99.5 %.',
        queries: [
          {
            expr: `bottomk(10, orgnr_slo:knutepunkt_delivery_sli:ratio_rate1h{slo="urgent-60s", ${inNamespace}})`,
            legend: '{{orgnr}}',
          },
        ],
        unit: 'percentunit',
        max: 1,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Events delivered within 5 min (1 h), 10 worst municipalities',
        description: 'Share of all events delivered within 5 minutes. Objective 99 %.',
        queries: [
          {
            expr: `bottomk(10, orgnr_slo:knutepunkt_delivery_sli:ratio_rate1h{slo="all-5m", ${inNamespace}})`,
            legend: '{{orgnr}}',
          },
        ],
        unit: 'percentunit',
        max: 1,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Dead letters, per service and topic (1 h)',
        description:
          'Messages moved to a dead-letter topic in the last hour (KnutepunktDLQNotEmpty; docs/runbooks/KnutepunktDLQNotEmpty.md tells how to replay).',
        queries: [
          {
            expr: `sum by (app, topic) (increase(${everyApp('kafka_messages_failed_total', 'outcome=~"dead_lettered|undecodable"')}[1h]))`,
            legend: '{{app}} ← {{topic}}',
          },
        ],
        unit: 'short',
        width: 12,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Audit log: rows appended, and the chain',
        description:
          'Rows appended to the hash-chained audit log per second, and the last chain verification (1 intact, 0 broken: KnutepunktAuditChainBroken).',
        queries: [
          {
            expr: `sum by (source) (rate(knutepunkt_audit_entries_appended_total{${inNamespace}}[$__rate_interval]))`,
            legend: 'appended: {{source}}',
          },
          {
            expr: `min(knutepunkt_audit_chain_valid{${inNamespace}})`,
            legend: 'chain valid',
          },
        ],
        unit: 'short',
        width: 12,
      }),
    );
}
