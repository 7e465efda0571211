import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { metricPrefix, ServiceMetrics } from '@knutepunkt/observability';
import { metricCatalog, metricsReadBy } from './metrics-catalog';
import { fromRoot } from './paths';

function sourcesOf(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'))
    .map((name) => readFileSync(path.join(folder, name), 'utf8'));
}

describe('the metric catalogue', () => {
  it('names the metrics every app exports as ServiceMetrics registers them', async () => {
    const { body } = await new ServiceMetrics('journal-writer').scrape();
    for (const metric of metricCatalog.filter((m) => m.exportedBy === 'every app')) {
      expect(metric.status).toBe('exported');
      const name = metric.name.replace('knutepunkt_<app>_', metricPrefix('journal-writer'));
      expect(body).toContain(`# TYPE ${name} ${metric.type}`);
    }
  });

  it('finds each app metric marked exported in that app’s source', () => {
    for (const metric of metricCatalog.filter(
      (m) => m.exportedBy !== 'every app' && m.status === 'exported',
    )) {
      const app = metric.exportedBy;
      const suffix = metric.name.slice(metricPrefix(app).length);
      const sources = sourcesOf(fromRoot(`apps/${app}/src`));
      expect({ metric: metric.name, found: sources.some((text) => text.includes(suffix)) }).toEqual(
        { metric: metric.name, found: true },
      );
    }
  });

  it('follows knutepunkt_<app>_<what>_<unit|total>', () => {
    for (const metric of metricCatalog) {
      const prefix =
        metric.exportedBy === 'every app' ? 'knutepunkt_<app>_' : metricPrefix(metric.exportedBy);
      expect(metric.name.startsWith(prefix)).toBe(true);
      expect(metric.name).toMatch(/_(total|seconds|messages|entries|events|valid)$/);
      if (metric.type === 'counter') expect(metric.name).toMatch(/_total$/);
    }
  });

  it('reads metric names out of PromQL', () => {
    expect(
      [
        ...metricsReadBy(
          'sum by (app) (rate({__name__=~"knutepunkt_.+_http_requests_total", topic="knutepunkt_x"}[5m])) / app_le:knutepunkt_http_request_duration_seconds_bucket:rate5m + histogram_quantile(0.9, rate(knutepunkt_journal_writer_delivery_latency_seconds_bucket[5m]))',
        ),
      ].sort(),
    ).toEqual([
      'knutepunkt_<app>_http_requests_total',
      'knutepunkt_journal_writer_delivery_latency_seconds',
    ]);
  });
});
