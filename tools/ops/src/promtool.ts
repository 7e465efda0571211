import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths';

export const ensureToolsScript = 'tools/ops/ensure-tools.sh';
export const promtoolBinary = path.join(repoRoot, '.local/bin/promtool');

/** The Prometheus module version pinned in tools/ops/versions.env. */
export function pinnedPrometheusVersion(
  file = path.join(repoRoot, 'tools/ops/versions.env'),
): string {
  const match = /^PROMETHEUS_MODULE_VERSION=(\S+)\s*$/m.exec(readFileSync(file, 'utf8'));
  if (!match?.[1]) throw new Error(`${file} does not set PROMETHEUS_MODULE_VERSION`);
  return match[1];
}

/** Throws, naming the script that installs it, when promtool is not there. */
export function assertPromtoolInstalled(binary = promtoolBinary): void {
  if (!existsSync(binary)) {
    throw new Error(
      `promtool is missing at ${binary}: run \`bash ${ensureToolsScript}\` ` +
        `(builds the pinned promtool with go install from the Go module proxy).`,
    );
  }
}

export interface PromtoolResult {
  readonly status: number;
  readonly output: string;
}

export function runPromtool(args: readonly string[], cwd = repoRoot): PromtoolResult {
  assertPromtoolInstalled();
  const result = spawnSync(promtoolBinary, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw result.error;
  return {
    status: result.status ?? -1,
    output: `${result.stdout}${result.stderr}`,
  };
}

/** `promtool check rules`: the files parse, every expression parses, no duplicate rules. */
export function checkRules(files: readonly string[]): PromtoolResult {
  return runPromtool(['check', 'rules', '--lint=all', '--lint-fatal', ...files]);
}

/** `promtool test rules`: the unit tests of the rules. */
export function testRules(files: readonly string[]): PromtoolResult {
  return runPromtool(['test', 'rules', ...files]);
}
