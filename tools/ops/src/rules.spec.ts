import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { catalogued, metricsReadBy } from './metrics-catalog';
import { fromRoot, paths } from './paths';
import { checkRules, testRules } from './promtool';
import { allRules, loadRuleTests, ruleTestFiles } from './rules';

const rules = allRules();
const alerts = rules.filter((rule) => rule.alert !== undefined);
const alertNames = [...new Set(alerts.map((rule) => rule.alert ?? ''))];
const recordNames = [...new Set(rules.flatMap((rule) => (rule.record ? [rule.record] : [])))];

describe('the Prometheus rules', () => {
  it('pass promtool check rules (every expression parses, no duplicates)', () => {
    const result = checkRules([fromRoot(paths.rules)]);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('pass their promtool unit tests', () => {
    const result = testRules(ruleTestFiles());
    if (result.status !== 0) throw new Error(result.output);
    expect(result.output).toContain('SUCCESS');
  });

  it('have a unit test for every alert that shows it firing, and for every recorded series', () => {
    const tests = loadRuleTests().flatMap((file) => file.tests);
    const firing = new Set(
      tests.flatMap((test) =>
        (test.alert_rule_test ?? [])
          .filter((t) => (t.exp_alerts ?? []).length > 0)
          .map((t) => t.alertname),
      ),
    );
    expect(alertNames.filter((name) => !firing.has(name))).toEqual([]);
    const evaluated = tests.flatMap((test) => (test.promql_expr_test ?? []).map((t) => t.expr));
    const untested = recordNames.filter(
      (name) => !evaluated.some((expr) => new RegExp(`(^|[^\\w:])${name}([^\\w:]|$)`).test(expr)),
    );
    expect(untested).toEqual([]);
  });

  it('give every alert a severity, a summary, a description and its runbook', () => {
    for (const alert of alerts) {
      const name = alert.alert ?? '';
      expect({ name, severity: alert.labels?.['severity'] }).toEqual({
        name,
        severity: expect.stringMatching(/^(critical|warning)$/) as unknown,
      });
      expect(alert.annotations?.['summary']).toBeTruthy();
      expect(alert.annotations?.['description']).toBeTruthy();
      expect(alert.annotations?.['runbook_url']).toBe(`${paths.runbooks}/${name}.md`);
    }
  });

  it('read only catalogued service metrics (tools/ops/src/metrics-catalog.ts)', () => {
    const unknown = rules.flatMap((rule) =>
      [...metricsReadBy(rule.expr)].filter((name) => !catalogued(name)),
    );
    expect(unknown).toEqual([]);
  });
});

describe('the runbooks', () => {
  const pages = readdirSync(fromRoot(paths.runbooks)).filter(
    (name) => name.endsWith('.md') && name !== 'README.md',
  );

  it.each(alertNames)(
    '%s has a page that says what it means, how to confirm, how to fix',
    (name) => {
      const file = fromRoot(`${paths.runbooks}/${name}.md`);
      expect(existsSync(file)).toBe(true);
      const text = readFileSync(file, 'utf8');
      expect(text.startsWith(`# ${name}\n`)).toBe(true);
      for (const heading of ['## What it means', '## How to confirm', '## How to fix']) {
        expect(text).toContain(`\n${heading}\n`);
      }
    },
  );

  it('has no page for an alert that does not exist, and lists every alert in its index', () => {
    expect(pages.map((page) => page.replace(/\.md$/, '')).sort()).toEqual([...alertNames].sort());
    const index = readFileSync(fromRoot(`${paths.runbooks}/README.md`), 'utf8');
    for (const name of alertNames) expect(index).toContain(`[${name}.md](${name}.md)`);
  });
});
