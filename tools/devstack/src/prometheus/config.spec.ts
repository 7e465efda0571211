import { parse } from 'yaml';
import { prometheusConfig, prometheusConfigYaml } from './config';

describe('prometheusConfig', () => {
  const setup = {
    targets: { ingest: 'http://127.0.0.1:3000', audit: 'http://127.0.0.1:3003/base/' },
    scrapeSeconds: 15,
    ruleFiles: ['/repo/deploy/prometheus/rules/knutepunkt.rules.yaml'],
  };

  it('has one job per app, named after it, scraping <base>/metrics', () => {
    expect(prometheusConfig(setup)).toEqual({
      global: { scrape_interval: '15s', scrape_timeout: '15s', evaluation_interval: '15s' },
      rule_files: ['/repo/deploy/prometheus/rules/knutepunkt.rules.yaml'],
      scrape_configs: [
        {
          job_name: 'ingest',
          scheme: 'http',
          metrics_path: '/metrics',
          static_configs: [{ targets: ['127.0.0.1:3000'] }],
        },
        {
          job_name: 'audit',
          scheme: 'http',
          metrics_path: '/base/metrics',
          static_configs: [{ targets: ['127.0.0.1:3003'] }],
        },
      ],
    });
  });

  it('evaluates the rules at their own interval when given', () => {
    expect(prometheusConfig({ ...setup, evaluationSeconds: 5 })['global']).toMatchObject({
      evaluation_interval: '5s',
    });
  });

  it('writes the same as YAML', () => {
    expect(parse(prometheusConfigYaml(setup))).toEqual(prometheusConfig(setup));
  });
});
