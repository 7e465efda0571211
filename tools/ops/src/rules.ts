import { readdirSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { fromRoot, paths } from './paths';

export interface Rule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly Rule[];
}

/** The groups of deploy/prometheus/rules/knutepunkt.rules.yaml. */
export function loadRuleGroups(file = fromRoot(paths.rules)): RuleGroup[] {
  const parsed = parseYaml(readFileSync(file, 'utf8')) as { groups?: RuleGroup[] } | null;
  if (!parsed?.groups) throw new Error(`${file} has no rule groups`);
  return parsed.groups;
}

export function allRules(groups: readonly RuleGroup[] = loadRuleGroups()): Rule[] {
  return groups.flatMap((group) => group.rules);
}

/** One promtool unit-test file (the parts the coverage check reads). */
export interface RuleTestFile {
  readonly file: string;
  readonly rule_files: readonly string[];
  readonly tests: readonly {
    readonly name?: string;
    readonly alert_rule_test?: readonly {
      readonly alertname: string;
      readonly exp_alerts?: readonly unknown[] | null;
    }[];
    readonly promql_expr_test?: readonly { readonly expr: string }[];
  }[];
}

/** The promtool test files in deploy/prometheus/tests/, absolute paths. */
export function ruleTestFiles(): string[] {
  const folder = fromRoot(paths.ruleTests);
  return readdirSync(folder)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => `${folder}/${name}`);
}

export function loadRuleTests(): RuleTestFile[] {
  return ruleTestFiles().map((file) => ({
    file,
    ...(parseYaml(readFileSync(file, 'utf8')) as Omit<RuleTestFile, 'file'>),
  }));
}

/**
 * The rule groups with every alert's `for:` shortened to at most `holdSeconds` (alerts without
 * a `for:` keep firing at once). ONLY for the live check's throwaway Prometheus: the rules' holds
 * are minutes, longer than a test waits, and Prometheus has no setting that shortens them (the
 * evaluation interval only decides how often they are checked). Expressions, labels and
 * annotations are unchanged, so what fires there is what the real rules fire, only sooner.
 */
export function withAlertHoldsShortened(
  groups: readonly RuleGroup[],
  holdSeconds: number,
): RuleGroup[] {
  if (!Number.isInteger(holdSeconds) || holdSeconds < 1) {
    throw new Error(`a hold must be whole seconds ≥ 1, not ${String(holdSeconds)}`);
  }
  return groups.map((group) => ({
    ...group,
    rules: group.rules.map((rule) =>
      rule.alert === undefined || rule.for === undefined
        ? rule
        : { ...rule, for: `${String(Math.min(holdSeconds, durationSeconds(rule.for)))}s` },
    ),
  }));
}

/** A Prometheus duration (`90s`, `5m`, `1h30m`, `0s`) in whole seconds. */
export function durationSeconds(duration: string): number {
  const units: Record<string, number> = {
    ms: 0.001,
    s: 1,
    m: 60,
    h: 3600,
    d: 86_400,
    w: 604_800,
    y: 31_536_000,
  };
  const parts = [...duration.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== duration) {
    throw new Error(`not a Prometheus duration: ${duration}`);
  }
  return Math.ceil(
    parts.reduce((sum, [, count, unit]) => sum + Number(count) * (units[unit ?? ''] ?? 0), 0),
  );
}
