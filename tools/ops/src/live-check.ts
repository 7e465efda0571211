/*
 * npm run ops:live-check [-- --seconds 60]
 *
 * Starts Prometheus (.local/bin/prometheus: `bash tools/ops/ensure-tools.sh --with-prometheus`)
 * on loopback with the repository's rules, scraping the services on their default ports (what
 * `npm start` runs) every 2 s, waits, then evaluates every recording rule and every dashboard
 * panel query and prints which return data. Exits non-zero when an expression over metrics the
 * catalogue marks `exported` returns nothing. Only loopback addresses are used.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { buildDashboards, panelQueries } from './grafana/dashboards';
import { catalogued, metricsReadBy } from './metrics-catalog';
import { fromRoot, paths, repoRoot } from './paths';
import { allRules } from './rules';

const prometheusBinary = path.join(repoRoot, '.local/bin/prometheus');
const port = 19090;
const base = `http://127.0.0.1:${String(port)}`;

interface Check {
  readonly source: string;
  readonly expr: string;
}

interface QueryAnswer {
  readonly status: string;
  readonly data?: { readonly result: readonly unknown[] };
  readonly error?: string;
}

async function query(expr: string): Promise<QueryAnswer> {
  const response = await fetch(`${base}/api/v1/query`, {
    method: 'POST',
    body: new URLSearchParams({ query: expr }),
  });
  return (await response.json()) as QueryAnswer;
}

async function labelValue(label: string): Promise<string | undefined> {
  const response = await fetch(`${base}/api/v1/label/${label}/values`);
  const answer = (await response.json()) as { data?: string[] };
  return answer.data?.[0];
}

async function waitReady(deadline: number): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(`${base}/-/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('Prometheus did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The service metrics behind an expression, through the recorded series it reads. */
function metricsBehind(expr: string): string[] {
  const rules = allRules();
  const metrics = new Set(metricsReadBy(expr));
  for (const rule of rules) {
    if (rule.record && new RegExp(`(^|[^\\w:])${rule.record}([^\\w:]|$)`).test(expr)) {
      for (const name of metricsReadBy(rule.expr)) metrics.add(name);
    }
  }
  return [...metrics];
}

/** A selector for every series of a catalogue name (`<app>` matches every app). */
function selectorOf(name: string): string {
  const spec = catalogued(name);
  const suffix = spec?.type === 'histogram' ? '_count' : '';
  return `{__name__=~"${name.replace('<app>', '.+')}${suffix}"}`;
}

function checks(values: ReadonlyMap<string, string>): Check[] {
  const resolve = (expr: string): string =>
    expr
      .replace(/\$__(rate_interval|interval)\b/g, '1m')
      .replace(/\$__range\b/g, '5m')
      .replace(/\$\{?(\w+)\}?/g, (_, name: string) => values.get(name) ?? '.*');
  const fromRules = allRules().flatMap((rule) =>
    rule.record ? [{ source: `rule ${rule.record}`, expr: rule.record }] : [],
  );
  const fromPanels = buildDashboards().flatMap(({ dashboard }) =>
    panelQueries(dashboard).map((q) => ({
      source: `${q.dashboard} / ${q.panel}`,
      expr: resolve(q.expr),
    })),
  );
  return [...fromRules, ...fromPanels];
}

async function main(argv: readonly string[]): Promise<number> {
  const secondsIndex = argv.indexOf('--seconds');
  const seconds = secondsIndex >= 0 ? Number(argv[secondsIndex + 1]) : 60;
  if (!existsSync(prometheusBinary)) {
    process.stderr.write(
      `no ${prometheusBinary}: run \`bash tools/ops/ensure-tools.sh --with-prometheus\`\n`,
    );
    return 2;
  }
  const folder = mkdtempSync(path.join(tmpdir(), 'knutepunkt-live-'));
  const config = parseYaml(
    readFileSync(fromRoot('deploy/prometheus/prometheus.yml'), 'utf8'),
  ) as Record<string, unknown>;
  config['global'] = { scrape_interval: '2s', evaluation_interval: '2s' };
  config['rule_files'] = [fromRoot(paths.rules)];
  writeFileSync(path.join(folder, 'prometheus.yml'), stringify(config));
  const prometheus = spawn(
    prometheusBinary,
    [
      `--config.file=${path.join(folder, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(folder, 'data')}`,
      `--web.listen-address=127.0.0.1:${String(port)}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  prometheus.stderr.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  try {
    await waitReady(Date.now() + 30_000);
    process.stdout.write(`Prometheus on ${base}; scraping for ${String(seconds)} s…\n`);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const values = new Map<string, string>();
    for (const label of ['orgnr', 'client']) {
      const value = await labelValue(label);
      if (value) values.set(label, value);
    }
    let silentOverExported = 0;
    // A rule is listed once however many rules record it.
    const unique = new Map(
      checks(values).map((check) => [`${check.source}\n${check.expr}`, check]),
    );
    for (const check of unique.values()) {
      const answer = await query(check.expr);
      const series = answer.data?.result.length ?? 0;
      const metrics = metricsBehind(check.expr);
      const missing = metrics.filter((name) => catalogued(name)?.status !== 'exported');
      const absent: string[] = [];
      if (series === 0 && missing.length === 0) {
        for (const name of metrics) {
          const present = await query(`count(${selectorOf(name)})`);
          if ((present.data?.result.length ?? 0) === 0) absent.push(name);
        }
      }
      const verdict =
        answer.status !== 'success'
          ? `ERROR ${answer.error ?? ''}`
          : series > 0
            ? `data (${String(series)} series)`
            : missing.length > 0
              ? `no data: not exported yet: ${missing.join(', ')}`
              : absent.length > 0
                ? `no data: no such event yet: ${absent.join(', ')}`
                : 'NO DATA although its metrics exist';
      if (verdict.startsWith('NO DATA') || verdict.startsWith('ERROR')) silentOverExported += 1;
      process.stdout.write(`${check.source}\n    ${verdict}\n`);
    }
    const alerts = await query('ALERTS{alertstate="firing"}');
    process.stdout.write(`\nfiring: ${JSON.stringify(alerts.data?.result ?? [])}\n`);
    process.stdout.write(
      `\n${String(silentOverExported)} expressions over exported metrics returned nothing\n`,
    );
    return silentOverExported === 0 ? 0 : 1;
  } catch (error) {
    process.stderr.write(`${String(error)}\n${log.slice(-2000)}\n`);
    return 1;
  } finally {
    const exited = new Promise((resolve) => prometheus.once('exit', resolve));
    prometheus.kill('SIGTERM');
    await exited;
    rmSync(folder, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  },
);
