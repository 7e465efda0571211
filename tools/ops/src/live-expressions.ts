/*
 * The live check's core: every recording rule and every dashboard panel query, evaluated on a
 * live Prometheus over the time it has scraped (a range query, as a Grafana panel asks), with
 * the reason when one returns nothing. `npm run ops:live-check` (live-check.ts) runs it against
 * `npm start`'s services; live-check.int-spec.ts against services the test starts.
 */
import { buildDashboards, panelQueries } from './grafana/dashboards';
import { LivePrometheus, type AlertState, type TargetHealth } from './live-prometheus';
import { catalogued, metricsReadBy } from './metrics-catalog';
import { allRules, type Rule } from './rules';

export interface LiveCheck {
  /** `rule <record>{<its labels>}` or `<dashboard> / <panel>`. */
  readonly source: string;
  readonly kind: 'rule' | 'panel';
  /** What is queried (a panel's Grafana variables given values). */
  readonly expr: string;
}

/**
 * - `data`: it returned at least one series.
 * - `not-exported`: it reads a metric the catalogue marks `expected` (no service exports it yet).
 * - `no-such-event`: a metric it reads has no series at all yet (a counter with labels appears
 *   with its first event: dead letters, client errors, a refusal).
 * - `silent`: nothing, although every metric it reads has series: a wrong name, label or
 *   expression, or a label value nobody produced (the real gaps).
 * - `error`: Prometheus refused the query.
 */
export type LiveVerdict = 'data' | 'not-exported' | 'no-such-event' | 'silent' | 'error';

export interface LiveCheckResult extends LiveCheck {
  readonly verdict: LiveVerdict;
  /** Series returned. */
  readonly series: number;
  /** The catalogue names of the service metrics behind it (through the rules it reads). */
  readonly metrics: readonly string[];
  /** Those the catalogue does not mark `exported`. */
  readonly notExported: readonly string[];
  /** Those with no series at all in the range (only looked up when it returned nothing). */
  readonly absent: readonly string[];
  readonly error?: string;
}

/** Values for the dashboards' variables; a variable without one matches every value. */
export type Variables = Readonly<Record<string, string>>;

/** Every recording rule (one check per rule, by its record and labels) and panel query. */
export function liveChecks(variables: Variables = {}): LiveCheck[] {
  const resolve = (expr: string): string =>
    expr
      .replace(/\$__(rate_interval|interval)\b/g, '1m')
      .replace(/\$__range\b/g, '5m')
      .replace(/(\w+)(=~?)"\$\{?(\w+)\}?"/g, (_, label: string, op: string, name: string) => {
        const value = variables[name];
        return value === undefined ? `${label}=~".*"` : `${label}${op}"${value}"`;
      });
  const fromRules = allRules().flatMap((rule) =>
    rule.record
      ? [{ source: `rule ${ruleSelector(rule)}`, kind: 'rule' as const, expr: ruleSelector(rule) }]
      : [],
  );
  const fromPanels = buildDashboards().flatMap(({ dashboard }) =>
    panelQueries(dashboard).map((q) => ({
      source: `${q.dashboard} / ${q.panel}`,
      kind: 'panel' as const,
      expr: resolve(q.expr),
    })),
  );
  // A panel with two queries of the same text is checked once.
  const unique = new Map(
    [...fromRules, ...fromPanels].map((check) => [`${check.source}\n${check.expr}`, check]),
  );
  return [...unique.values()];
}

function ruleSelector(rule: Rule): string {
  const labels = Object.entries(rule.labels ?? {});
  if (!rule.record) throw new Error('not a recording rule');
  return labels.length === 0
    ? rule.record
    : `${rule.record}{${labels.map(([name, value]) => `${name}="${value}"`).join(', ')}}`;
}

export interface EvaluateOptions {
  readonly variables?: Variables;
  /** Unix seconds; default: when Prometheus became ready. */
  readonly from?: number;
  /** Unix seconds; default: now. */
  readonly to?: number;
}

/** Evaluates every check over [from, to] at the scrape interval. */
export async function evaluateLiveChecks(
  prometheus: LivePrometheus,
  options: EvaluateOptions = {},
): Promise<LiveCheckResult[]> {
  const from = options.from ?? prometheus.startedAt;
  const to = options.to ?? Date.now() / 1000;
  const step = prometheus.intervalSeconds;
  const rules = allRules();
  const results: LiveCheckResult[] = [];
  for (const check of liveChecks(options.variables)) {
    const answer = await prometheus.queryRange(check.expr, from, to, step);
    const series = answer.data?.result.length ?? 0;
    const metrics = metricsBehind(check.expr, rules);
    const notExported = metrics.filter((name) => catalogued(name)?.status !== 'exported');
    const absent: string[] = [];
    if (answer.status === 'success' && series === 0 && notExported.length === 0) {
      for (const name of metrics) {
        const present = await prometheus.queryRange(`count(${selectorOf(name)})`, from, to, step);
        if ((present.data?.result.length ?? 0) === 0) absent.push(name);
      }
    }
    const verdict: LiveVerdict =
      answer.status !== 'success'
        ? 'error'
        : series > 0
          ? 'data'
          : notExported.length > 0
            ? 'not-exported'
            : absent.length > 0
              ? 'no-such-event'
              : 'silent';
    results.push({
      ...check,
      verdict,
      series,
      metrics,
      notExported,
      absent,
      ...(answer.error === undefined ? {} : { error: answer.error }),
    });
  }
  return results;
}

/** A check's verdict in words, with the reason when it has no data. */
export function describeVerdict(result: LiveCheckResult): string {
  switch (result.verdict) {
    case 'data':
      return `data (${String(result.series)} series)`;
    case 'not-exported':
      return `no data: not exported yet: ${result.notExported.join(', ')}`;
    case 'no-such-event':
      return `no data: no such event yet: ${result.absent.join(', ')}`;
    case 'silent':
      return `NO DATA although its metrics exist: ${result.expr}`;
    case 'error':
      return `ERROR ${result.error ?? ''}: ${result.expr}`;
  }
}

export interface LiveCheckOptions {
  /** What to scrape: app → base URL. */
  readonly targets: Readonly<Record<string, string>>;
  /** How long to scrape before evaluating. */
  readonly seconds: number;
  /** Loopback port for Prometheus (default: a free one). */
  readonly port?: number;
  /** Dashboard variables; default: the first value Prometheus saw of `orgnr` and `client`. */
  readonly variables?: Variables;
  readonly log?: (line: string) => void;
}

export interface LiveCheckReport {
  readonly results: readonly LiveCheckResult[];
  /** Alerts pending or firing at the end. */
  readonly alerts: readonly AlertState[];
  /** The scrape targets' health at the end. */
  readonly targets: readonly TargetHealth[];
}

/** Starts Prometheus against `targets`, scrapes for `seconds`, evaluates, stops it. */
export async function runLiveCheck(options: LiveCheckOptions): Promise<LiveCheckReport> {
  const prometheus = await LivePrometheus.start({
    targets: options.targets,
    ...(options.port === undefined ? {} : { port: options.port }),
  });
  try {
    options.log?.(`Prometheus on ${prometheus.url}; scraping for ${String(options.seconds)} s…`);
    await new Promise((resolve) => setTimeout(resolve, options.seconds * 1000));
    const variables: Record<string, string> = { ...options.variables };
    for (const label of ['orgnr', 'client']) {
      const [value] = variables[label] === undefined ? await prometheus.labelValues(label) : [];
      if (value !== undefined) variables[label] = value;
    }
    const results = await evaluateLiveChecks(prometheus, { variables });
    return { results, alerts: await prometheus.alerts(), targets: await prometheus.targets() };
  } finally {
    await prometheus.stop();
  }
}

/** The service metrics behind an expression, through the recorded series it reads. */
function metricsBehind(expr: string, rules: readonly Rule[]): string[] {
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
  const suffix = catalogued(name)?.type === 'histogram' ? '_count' : '';
  return `{__name__=~"${name.replace('<app>', '.+')}${suffix}"}`;
}
