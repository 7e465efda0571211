import { ServiceMetrics, metricPrefix } from './metrics';

describe('ServiceMetrics', () => {
  it('prefixes every app metric with knutepunkt_<app>_', () => {
    expect(metricPrefix('journal-writer')).toBe('knutepunkt_journal_writer_');
  });

  it('exposes HTTP and Kafka metrics in the Prometheus text format', async () => {
    const metrics = new ServiceMetrics('ingest');
    metrics.observeRequest('POST', '/fhir/:orgnr/:type', 202, 0.004);
    metrics.produced('knutepunkt.accepted.v1', 3);
    metrics.failed('knutepunkt.accepted.v1', 'dead_lettered', 1);
    metrics.lag('normalizer', 'knutepunkt.accepted.v1', 2, 17);
    const { body, contentType } = await metrics.scrape();
    expect(contentType).toContain('text/plain');
    expect(body).toContain(
      'knutepunkt_ingest_http_requests_total{method="POST",route="/fhir/:orgnr/:type",status="202",app="ingest"} 1',
    );
    expect(body).toContain(
      'knutepunkt_ingest_kafka_messages_produced_total{topic="knutepunkt.accepted.v1",app="ingest"} 3',
    );
    expect(body).toContain(
      'knutepunkt_ingest_kafka_consumer_lag_messages{group="normalizer",topic="knutepunkt.accepted.v1",partition="2",app="ingest"} 17',
    );
    expect(body).toContain('process_cpu_user_seconds_total');
  });

  it('keeps two apps in one process apart', async () => {
    const a = new ServiceMetrics('ingest');
    const b = new ServiceMetrics('audit');
    a.consumed('t', 1);
    expect((await b.scrape()).body).not.toContain('knutepunkt_ingest_');
  });
});
