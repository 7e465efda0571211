import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { classicDashboard, type ClassicDashboardBuilder } from './classic-dashboard';
import {
  datasourceVariable,
  inNamespace,
  labelVariable,
  namespaceVariable,
  stat,
  timeseries,
} from './panels';

const municipality = `orgnr="$orgnr", ${inNamespace}`;

/** One municipality: its delivery SLOs, its flow through the hub and its EPJ's reading. */
export function municipalityDashboard(): ClassicDashboardBuilder {
  return classicDashboard('Knutepunkt / Municipality')
    .uid('knutepunkt-municipality')
    .description(
      'One municipality (orgnr): delivery SLOs, events through each stage, consent decisions, and how its EPJ reads and acknowledges.',
    )
    .tags(['knutepunkt'])
    .refresh('30s')
    .time({ from: 'now-24h', to: 'now' })
    .timezone('browser')
    .withVariable(datasourceVariable())
    .withVariable(namespaceVariable())
    .withVariable(
      labelVariable({
        name: 'orgnr',
        label: 'Municipality (orgnr)',
        query: 'label_values(knutepunkt_journal_writer_entries_written_total, orgnr)',
      }),
    )

    .withRow(new RowBuilder('Delivery SLOs'))
    .withPanel(
      stat({
        title: 'Alarms within 60 s (1 h)',
        description: 'Share of urgent events delivered within 60 s, last hour. Objective 99.5 %.',
        queries: [
          {
            expr: `orgnr_slo:knutepunkt_delivery_sli:ratio_rate1h{slo="urgent-60s", ${municipality}}`,
          },
        ],
        unit: 'percentunit',
        steps: [
          [null, 'red'],
          [0.995, 'green'],
        ],
        noValue: 'no urgent events',
      }),
    )
    .withPanel(
      stat({
        title: 'Alarms within 60 s (1 d)',
        description: 'Share of urgent events delivered within 60 s, last 24 hours.',
        queries: [
          {
            expr: `orgnr_slo:knutepunkt_delivery_sli:ratio_rate1d{slo="urgent-60s", ${municipality}}`,
          },
        ],
        unit: 'percentunit',
        steps: [
          [null, 'red'],
          [0.995, 'green'],
        ],
        noValue: 'no urgent events',
      }),
    )
    .withPanel(
      stat({
        title: 'All within 5 min (1 h)',
        description: 'Share of all events delivered within 5 minutes, last hour. Objective 99 %.',
        queries: [
          { expr: `orgnr_slo:knutepunkt_delivery_sli:ratio_rate1h{slo="all-5m", ${municipality}}` },
        ],
        unit: 'percentunit',
        steps: [
          [null, 'red'],
          [0.99, 'green'],
        ],
        noValue: 'no events',
      }),
    )
    .withPanel(
      stat({
        title: 'All within 5 min (1 d)',
        description: 'Share of all events delivered within 5 minutes, last 24 hours.',
        queries: [
          { expr: `orgnr_slo:knutepunkt_delivery_sli:ratio_rate1d{slo="all-5m", ${municipality}}` },
        ],
        unit: 'percentunit',
        steps: [
          [null, 'red'],
          [0.99, 'green'],
        ],
        noValue: 'no events',
      }),
    )
    .withPanel(
      stat({
        title: 'Oldest unread entry',
        description: 'How long the oldest entry its EPJ has not read yet has waited.',
        queries: [
          { expr: `orgnr:knutepunkt_epj_oldest_unread_entry_age_seconds:max{${municipality}}` },
        ],
        unit: 's',
        steps: [
          [null, 'green'],
          [300, 'orange'],
          [900, 'red'],
        ],
      }),
    )
    .withPanel(
      stat({
        title: 'Oldest unacknowledged entry',
        description:
          'How long the oldest entry its EPJ has not acknowledged as journaled has waited (read but not filed, or not read).',
        queries: [
          {
            expr: `orgnr:knutepunkt_epj_oldest_unacknowledged_entry_age_seconds:max{${municipality}}`,
          },
        ],
        unit: 's',
        steps: [
          [null, 'green'],
          [3600, 'orange'],
          [86400, 'red'],
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Delivery SLIs over time (1 h windows)',
        description: 'The share of events within their threshold, beside each objective.',
        queries: [
          {
            expr: `orgnr_slo:knutepunkt_delivery_sli:ratio_rate1h{${municipality}}`,
            legend: '{{slo}}',
          },
          { expr: 'slo:knutepunkt_delivery_objective:ratio', legend: 'objective {{slo}}' },
        ],
        unit: 'percentunit',
        max: 1,
        width: 24,
      }),
    )

    .withRow(new RowBuilder('Flow'))
    .withPanel(
      timeseries({
        title: 'Submissions, by outcome',
        description: 'Vendor submissions for this municipality, accepted and refused.',
        queries: [
          {
            expr: `sum by (outcome) (rate(knutepunkt_ingest_submissions_total{${municipality}}[$__rate_interval]))`,
            legend: '{{outcome}}',
          },
        ],
        unit: 'reqps',
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Submissions, by vendor',
        description: 'Accepted submissions per vendor client.',
        queries: [
          {
            expr: `sum by (client) (rate(knutepunkt_ingest_submissions_total{outcome="accepted", ${municipality}}[$__rate_interval]))`,
            legend: '{{client}}',
          },
        ],
        unit: 'reqps',
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Events normalized, by service',
        description: 'Canonical events the normalizer produced, per welfare-technology service.',
        queries: [
          {
            expr: `sum by (service) (rate(knutepunkt_normalizer_events_total{${municipality}}[$__rate_interval]))`,
            legend: '{{service}}',
          },
        ],
        unit: 'ops',
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Consent decisions',
        description:
          'What consent decided for each event: consented, withheld (never journaled), held (waiting for a registration), failed.',
        queries: [
          {
            expr: `sum by (outcome) (rate(knutepunkt_consent_decisions_total{${municipality}}[$__rate_interval]))`,
            legend: '{{outcome}}',
          },
        ],
        unit: 'ops',
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Events held for a registration',
        description:
          'Events waiting for the patient to be registered as a service recipient (released on registration, failed after the policy’s holdFor).',
        queries: [
          {
            expr: `max(knutepunkt_consent_held_events{${municipality}})`,
            legend: 'held',
          },
        ],
        unit: 'short',
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Journal entries written',
        description: 'Journal entries journal-writer created (duplicates are redeliveries).',
        queries: [
          {
            expr: `sum by (outcome) (rate(knutepunkt_journal_writer_entries_written_total{${municipality}}[$__rate_interval]))`,
            legend: '{{outcome}}',
          },
        ],
        unit: 'ops',
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Delivery latency, per lane',
        description: 'From ingest receiving the submission to the journal entry being published.',
        queries: [
          {
            expr: `histogram_quantile(0.5, sum by (lane, le) (rate(knutepunkt_journal_writer_delivery_latency_seconds_bucket{${municipality}}[$__rate_interval])))`,
            legend: 'p50 {{lane}}',
          },
          {
            expr: `histogram_quantile(0.95, sum by (lane, le) (rate(knutepunkt_journal_writer_delivery_latency_seconds_bucket{${municipality}}[$__rate_interval])))`,
            legend: 'p95 {{lane}}',
          },
        ],
        unit: 's',
        width: 24,
      }),
    )

    .withRow(new RowBuilder('EPJ'))
    .withPanel(
      timeseries({
        title: 'Entries read by the EPJ',
        description: 'Journal entries the EPJ read (first read or reread), per second.',
        queries: [
          {
            expr: `sum by (outcome) (rate(knutepunkt_journal_writer_epj_entries_read_total{${municipality}}[$__rate_interval]))`,
            legend: '{{outcome}}',
          },
        ],
        unit: 'ops',
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Journaling acknowledgements',
        description: 'Acknowledgements that an entry is in the patient’s journal.',
        queries: [
          {
            expr: `sum by (outcome) (rate(knutepunkt_journal_writer_epj_acknowledgements_total{${municipality}}[$__rate_interval]))`,
            legend: '{{outcome}}',
          },
        ],
        unit: 'ops',
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Oldest waiting entries',
        description: 'Unread (the SLO) and unacknowledged entries: how long the oldest has waited.',
        queries: [
          {
            expr: `orgnr:knutepunkt_epj_oldest_unread_entry_age_seconds:max{${municipality}}`,
            legend: 'unread',
          },
          {
            expr: `orgnr:knutepunkt_epj_oldest_unacknowledged_entry_age_seconds:max{${municipality}}`,
            legend: 'unacknowledged',
          },
        ],
        unit: 's',
        width: 8,
      }),
    );
}
