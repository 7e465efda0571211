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

const vendor = `client="$client", ${inNamespace}`;

/** One vendor client: what it sends, what is refused and why, for which municipalities. */
export function vendorDashboard(): ClassicDashboardBuilder {
  return classicDashboard('Knutepunkt / Vendor')
    .uid('knutepunkt-vendor')
    .description(
      'One vendor client (the token’s client id): submissions accepted and refused by reason, per municipality and service. Start here when a vendor calls.',
    )
    .tags(['knutepunkt'])
    .refresh('30s')
    .time({ from: 'now-24h', to: 'now' })
    .timezone('browser')
    .withVariable(datasourceVariable())
    .withVariable(namespaceVariable())
    .withVariable(
      labelVariable({
        name: 'client',
        label: 'Vendor client',
        query: 'label_values(knutepunkt_ingest_submissions_total, client)',
      }),
    )

    .withRow(new RowBuilder('Now'))
    .withPanel(
      stat({
        title: 'Accepted (1 h)',
        description: 'Submissions accepted in the last hour.',
        queries: [
          {
            expr: `sum(increase(knutepunkt_ingest_submissions_total{outcome="accepted", ${vendor}}[1h]))`,
          },
        ],
        noValue: '0',
        width: 6,
      }),
    )
    .withPanel(
      stat({
        title: 'Refused (1 h)',
        description: 'Submissions refused in the last hour.',
        queries: [
          {
            expr: `sum(increase(knutepunkt_ingest_submissions_total{outcome="refused", ${vendor}}[1h]))`,
          },
        ],
        noValue: '0',
        steps: [
          [null, 'green'],
          [1, 'orange'],
        ],
        width: 6,
      }),
    )
    .withPanel(
      stat({
        title: 'Refused share (1 h)',
        description: 'Share of this vendor’s submissions refused in the last hour.',
        queries: [
          {
            expr: `sum(increase(knutepunkt_ingest_submissions_total{outcome="refused", ${vendor}}[1h])) / sum(increase(knutepunkt_ingest_submissions_total{${vendor}}[1h]))`,
          },
        ],
        unit: 'percentunit',
        steps: [
          [null, 'green'],
          [0.01, 'orange'],
          [0.1, 'red'],
        ],
        width: 6,
      }),
    )
    .withPanel(
      stat({
        title: 'Municipalities served (1 h)',
        description: 'Municipalities this vendor submitted for in the last hour.',
        queries: [
          {
            expr: `count(sum by (orgnr) (increase(knutepunkt_ingest_submissions_total{outcome="accepted", ${vendor}}[1h])) > 0)`,
          },
        ],
        noValue: '0',
        width: 6,
      }),
    )

    .withRow(new RowBuilder('Submissions'))
    .withPanel(
      timeseries({
        title: 'Submissions, by outcome',
        description: 'Accepted (durable in Kafka, 202) and refused submissions, per second.',
        queries: [
          {
            expr: `sum by (outcome) (rate(knutepunkt_ingest_submissions_total{${vendor}}[$__rate_interval]))`,
            legend: '{{outcome}}',
          },
        ],
        unit: 'reqps',
      }),
    )
    .withPanel(
      timeseries({
        title: 'Refused, by reason',
        description:
          'Refusals by error code (e.g. INGEST.NOT_FHIR, INGEST.RATE_LIMITED): what the vendor must fix.',
        queries: [
          {
            expr: `sum by (reason) (rate(knutepunkt_ingest_submissions_total{outcome="refused", ${vendor}}[$__rate_interval]))`,
            legend: '{{reason}}',
          },
        ],
        unit: 'reqps',
      }),
    )
    .withPanel(
      timeseries({
        title: 'Accepted, by municipality',
        description: 'Accepted submissions per municipality (orgnr).',
        queries: [
          {
            expr: `sum by (orgnr) (rate(knutepunkt_ingest_submissions_total{outcome="accepted", ${vendor}}[$__rate_interval]))`,
            legend: '{{orgnr}}',
          },
        ],
        unit: 'reqps',
      }),
    )
    .withPanel(
      timeseries({
        title: 'Accepted, by service',
        description: 'Accepted submissions per welfare-technology service (TA, GPS, MD, DT, DHO).',
        queries: [
          {
            expr: `sum by (service) (rate(knutepunkt_ingest_submissions_total{outcome="accepted", ${vendor}}[$__rate_interval]))`,
            legend: '{{service}}',
          },
        ],
        unit: 'reqps',
      }),
    );
}
