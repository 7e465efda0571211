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
