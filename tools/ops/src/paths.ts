import path from 'node:path';

/** The repository root (this file is tools/ops/src/paths.ts). */
export const repoRoot = path.resolve(__dirname, '../../..');

/** Where the operations files live, relative to the repository root. */
export const paths = {
  rules: 'deploy/prometheus/rules/knutepunkt.rules.yaml',
  ruleTests: 'deploy/prometheus/tests',
  dashboards: 'deploy/grafana/dashboards',
  runbooks: 'docs/runbooks',
  /** Helm reads only files inside the chart: `ops:generate` keeps these copies. */
  chartRules: 'helm/knutepunkt/rules/knutepunkt.rules.yaml',
  chartDashboards: 'helm/knutepunkt/dashboards',
} as const;

export function fromRoot(relative: string): string {
  return path.join(repoRoot, relative);
}
