import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { classicDashboard, type ClassicDashboardBuilder } from './classic-dashboard';
import {
  appVariable,
  datasourceVariable,
  everyApp,
  inNamespace,
  namespaceVariable,
  stat,
  timeseries,
} from './panels';

const apps = `app=~"$app", ${inNamespace}`;

/** Kafka as the services see it: throughput per topic, lag per group, failures, dead letters. */
export function kafkaDashboard(): ClassicDashboardBuilder {
  return classicDashboard('Knutepunkt / Kafka consumers')
    .uid('knutepunkt-kafka')
    .description(
      'Messages produced and consumed per topic, consumer lag per group and partition (the `.urgent` groups carry alarms), retries, dead letters and Kafka client errors.',
    )
    .tags(['knutepunkt', 'kafka'])
    .refresh('30s')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser')
    .withVariable(datasourceVariable())
    .withVariable(namespaceVariable())
    .withVariable(appVariable())

    .withRow(new RowBuilder('Now'))
    .withPanel(
      stat({
        title: 'Total lag',
        description: 'Messages not yet consumed, over every group of the chosen services.',
        queries: [
          { expr: `sum(app_group_topic:knutepunkt_kafka_consumer_lag_messages:sum{${apps}})` },
        ],
        steps: [
          [null, 'green'],
          [100, 'orange'],
          [10000, 'red'],
        ],
        noValue: '0',
        width: 6,
      }),
    )
    .withPanel(
      stat({
        title: 'Urgent-lane lag',
        description: 'Messages the alarm lanes (`.urgent` consumer groups) have not consumed yet.',
        queries: [
          {
            expr: `sum(app_group_topic:knutepunkt_kafka_consumer_lag_messages:sum{group=~".+\\\\.urgent", ${apps}})`,
          },
        ],
        steps: [
          [null, 'green'],
          [1, 'orange'],
          [100, 'red'],
        ],
        noValue: '0',
        width: 6,
      }),
    )
    .withPanel(
      stat({
        title: 'Dead letters (1 h)',
        description: 'Messages moved to dead-letter topics in the last hour.',
        queries: [
          {
            expr: `sum(increase(${everyApp('kafka_messages_failed_total', 'outcome=~"dead_lettered|undecodable", app=~"$app"')}[1h]))`,
          },
        ],
        steps: [
          [null, 'green'],
          [1, 'red'],
        ],
        noValue: '0',
        width: 6,
      }),
    )
    .withPanel(
      stat({
        title: 'Kafka client errors (5 m)',
        description: 'Errors the Kafka clients raised, per second (KnutepunktKafkaUnreachable).',
        queries: [{ expr: `sum(app_operation:knutepunkt_kafka_client_errors:rate5m{${apps}})` }],
        unit: 'ops',
        steps: [
          [null, 'green'],
          [0.001, 'red'],
        ],
        noValue: '0',
        width: 6,
      }),
    )

    .withRow(new RowBuilder('Throughput'))
    .withPanel(
      timeseries({
        title: 'Consumed, per service and topic',
        description: 'Messages processed and committed, per second.',
        queries: [
          {
            expr: `sum by (app, topic) (app_topic:knutepunkt_kafka_messages_consumed:rate5m{${apps}})`,
            legend: '{{app}} ← {{topic}}',
          },
        ],
        unit: 'ops',
      }),
    )
    .withPanel(
      timeseries({
        title: 'Produced, per service and topic',
        description: 'Messages acknowledged by Kafka (acks=all), per second.',
        queries: [
          {
            expr: `sum by (app, topic) (app_topic:knutepunkt_kafka_messages_produced:rate5m{${apps}})`,
            legend: '{{app}} → {{topic}}',
          },
        ],
        unit: 'ops',
      }),
    )

    .withRow(new RowBuilder('Lag'))
    .withPanel(
      timeseries({
        title: 'Lag, per group and topic',
        description: 'Messages between the committed offset and the end of each topic.',
        queries: [
          {
            expr: `sum by (group, topic) (app_group_topic:knutepunkt_kafka_consumer_lag_messages:sum{${apps}})`,
            legend: '{{group}} ← {{topic}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Lag, per partition',
        description:
          'A single partition far behind the others points at one slow key (one busy patient) or a stuck consumer.',
        queries: [
          {
            expr: `max by (group, topic, partition) (${everyApp('kafka_consumer_lag_messages', 'app=~"$app"')})`,
            legend: '{{group}} {{topic}}[{{partition}}]',
          },
        ],
      }),
    )

    .withRow(new RowBuilder('Failures'))
    .withPanel(
      timeseries({
        title: 'Failed handling, by outcome',
        description:
          'retried: a handler attempt failed and the batch is retried; dead_lettered: given up, moved to the DLQ; undecodable: bytes that are not the topic’s schema, moved to the DLQ.',
        queries: [
          {
            expr: `sum by (app, topic, outcome) (app_topic_outcome:knutepunkt_kafka_messages_failed:rate5m{${apps}})`,
            legend: '{{app}} {{topic}} {{outcome}}',
          },
        ],
        unit: 'ops',
      }),
    )
    .withPanel(
      timeseries({
        title: 'Kafka client errors, by operation',
        description: 'Errors from the Kafka client while producing, consuming or administering.',
        queries: [
          {
            expr: `sum by (app, operation) (app_operation:knutepunkt_kafka_client_errors:rate5m{${apps}})`,
            legend: '{{app}} {{operation}}',
          },
        ],
        unit: 'ops',
      }),
    );
}
