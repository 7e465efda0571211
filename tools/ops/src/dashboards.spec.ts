import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { buildDashboards, panelQueries, withVariablesResolved } from './grafana/dashboards';
import { staleFiles } from './generate';
import { catalogued, metricsReadBy } from './metrics-catalog';
import { checkRules } from './promtool';
import { allRules } from './rules';

const dashboards = buildDashboards();
const queries = dashboards.flatMap(({ dashboard }) => panelQueries(dashboard));

describe('the Grafana dashboards', () => {
  it('are committed as generated (deploy/grafana/dashboards/ and the chart’s copies)', () => {
    const stale = staleFiles();
    if (stale.length > 0) {
      throw new Error(`stale generated files, run \`npm run ops:generate\`:\n${stale.join('\n')}`);
    }
  });

  it('are an overview, a municipality, a vendor and a Kafka view, each with its own uid', () => {
    expect(dashboards.map(({ dashboard }) => dashboard.uid)).toEqual([
      'knutepunkt-overview',
      'knutepunkt-municipality',
      'knutepunkt-vendor',
      'knutepunkt-kafka',
    ]);
  });

  it('template the municipality view on orgnr and the vendor view on client', () => {
    const variables = (uid: string): string[] =>
      dashboards
        .find(({ dashboard }) => dashboard.uid === uid)
        ?.dashboard.templating.list?.map((variable) => variable.name) ?? [];
    expect(variables('knutepunkt-municipality')).toContain('orgnr');
    expect(variables('knutepunkt-vendor')).toContain('client');
    for (const query of queries.filter((q) => q.dashboard === 'Knutepunkt / Municipality')) {
      if (query.expr.includes('orgnr')) expect(query.expr).toContain('orgnr="$orgnr"');
    }
  });

  it('give every panel a description and at least one query', () => {
    for (const { dashboard } of dashboards) {
      for (const panel of dashboard.panels ?? []) {
        if (panel.type === 'row') continue;
        const { description } = panel as { description?: string };
        expect({ panel: panel.title, description: Boolean(description) }).toEqual({
          panel: panel.title,
          description: true,
        });
        expect(panelQueries({ ...dashboard, panels: [panel] }).length).toBeGreaterThan(0);
      }
    }
  });

  it('use PromQL that parses (every panel query, through promtool check rules)', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'knutepunkt-ops-'));
    try {
      const file = path.join(folder, 'dashboard-queries.yaml');
      const rules = queries.map((query, index) => ({
        record: `dashboard_query_${String(index)}`,
        expr: withVariablesResolved(query.expr),
        labels: { dashboard: query.dashboard, panel: query.panel },
      }));
      writeFileSync(file, stringify({ groups: [{ name: 'dashboards', rules }] }));
      const result = checkRules([file]);
      if (result.status !== 0) throw new Error(result.output);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('read only recorded series that the rules record', () => {
    const recorded = new Set(allRules().flatMap((rule) => (rule.record ? [rule.record] : [])));
    const read = queries.flatMap((query) => [
      ...(query.expr
        .replace(/"(?:[^"\\]|\\.)*"/g, '""')
        .match(/\b[a-z_]+:[a-z0-9_]+:[a-z0-9_]+\b/g) ?? []),
    ]);
    expect(read.length).toBeGreaterThan(0);
    expect([...new Set(read)].filter((name) => !recorded.has(name))).toEqual([]);
  });

  it('read only catalogued service metrics (tools/ops/src/metrics-catalog.ts)', () => {
    const unknown = queries.flatMap((query) =>
      [...metricsReadBy(query.expr)].filter((name) => !catalogued(name)),
    );
    expect(unknown).toEqual([]);
  });
});
