/**
 * Prometheus' configuration for a local server: the ONE writer, used by the devstack's optional
 * `prometheus` component (`npm run stack:up -- --with-prometheus`) and by the live checks in
 * tools/ops (live-prometheus.ts). One scrape job per app, named after the app (as the Helm
 * chart's ServiceMonitor `jobLabel` names it in Kubernetes), so the alerts' `up{job="<app>"}`
 * match locally too.
 */
import * as path from 'node:path';
import { stringify } from 'yaml';

/** Where `bash tools/ops/ensure-tools.sh --with-prometheus` puts the server, from the repo root. */
export const PROMETHEUS_BINARY = '.local/bin/prometheus';
/** The command that builds it (Go, from the Prometheus module; minutes on a cold cache). */
export const ENSURE_PROMETHEUS_COMMAND = 'bash tools/ops/ensure-tools.sh --with-prometheus';
/** The repository's rules, from the repo root (deploy/prometheus/rules). */
export const PROMETHEUS_RULES = 'deploy/prometheus/rules/knutepunkt.rules.yaml';

export function prometheusBinary(repoRoot: string): string {
  return path.join(repoRoot, PROMETHEUS_BINARY);
}

export interface PrometheusSetup {
  /** What to scrape: app (the job name) → the service's base URL (it serves `<base>/metrics`). */
  readonly targets: Readonly<Record<string, string>>;
  /** Scrape interval, and the scrape timeout (as long as Prometheus allows). */
  readonly scrapeSeconds: number;
  /** Rule evaluation interval (default: the scrape interval). */
  readonly evaluationSeconds?: number;
  /** Absolute paths of the rule files to load. */
  readonly ruleFiles: readonly string[];
}

/** prometheus.yml as an object. */
export function prometheusConfig(setup: PrometheusSetup): Record<string, unknown> {
  const seconds = (value: number): string => `${String(value)}s`;
  return {
    global: {
      scrape_interval: seconds(setup.scrapeSeconds),
      // As long as Prometheus allows (no longer than the interval).
      scrape_timeout: seconds(setup.scrapeSeconds),
      evaluation_interval: seconds(setup.evaluationSeconds ?? setup.scrapeSeconds),
    },
    rule_files: [...setup.ruleFiles],
    scrape_configs: Object.entries(setup.targets).map(([app, base]) => {
      const url = new URL(base);
      return {
        job_name: app,
        scheme: url.protocol.replace(':', ''),
        metrics_path: `${url.pathname.replace(/\/$/, '')}/metrics`,
        static_configs: [{ targets: [url.host] }],
      };
    }),
  };
}

/** prometheus.yml as text. */
export function prometheusConfigYaml(setup: PrometheusSetup): string {
  return stringify(prometheusConfig(setup));
}
