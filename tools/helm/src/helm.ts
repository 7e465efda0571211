import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root (this file is tools/helm/src/helm.ts). */
export const repoRoot = path.resolve(__dirname, '../../..');
export const chartDir = path.join(repoRoot, 'helm/knutepunkt');
export const ensureToolsScript = 'tools/helm/ensure-tools.sh';

export interface ToolVersions {
  readonly helm: string;
  readonly kubernetesValidate: string;
  /** Kubernetes versions whose schemas are installed, e.g. `v1.29.0`; the first is the oldest supported. */
  readonly kubernetesSchemaVersions: readonly string[];
}

/** Reads the pins in tools/helm/versions.env (shell `KEY=value` lines, values optionally quoted). */
export function readToolVersions(
  file = path.join(repoRoot, 'tools/helm/versions.env'),
): ToolVersions {
  const entries = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z_]+)=(?:"([^"]*)"|(\S*))\s*$/.exec(line.trim());
    if (match?.[1]) entries.set(match[1], match[2] ?? match[3] ?? '');
  }
  const get = (key: string): string => {
    const value = entries.get(key);
    if (!value) throw new Error(`${file} does not set ${key}`);
    return value;
  };
  return {
    helm: get('HELM_VERSION'),
    kubernetesValidate: get('KUBERNETES_VALIDATE_VERSION'),
    kubernetesSchemaVersions: get('KUBERNETES_SCHEMA_VERSIONS').split(/\s+/).filter(Boolean),
  };
}

export const helmBinary = path.join(repoRoot, '.local/bin/helm');

/** Throws, naming the script that installs it, when the Helm binary is not there. */
export function assertHelmInstalled(binary = helmBinary): void {
  if (!existsSync(binary)) {
    throw new Error(
      `Helm is missing at ${binary}: run \`bash ${ensureToolsScript}\` ` +
        `(builds the pinned Helm with go install from the Go module proxy).`,
    );
  }
}

export interface HelmResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the repository's Helm with its config, cache and data under .local/helm, so a developer's
 * own repositories and plugins never change what the checks see.
 */
export function runHelm(args: readonly string[]): HelmResult {
  assertHelmInstalled();
  const helmHome = path.join(repoRoot, '.local/helm');
  const result = spawnSync(helmBinary, args, {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: helmHome,
      HELM_CONFIG_HOME: path.join(helmHome, 'config'),
      HELM_CACHE_HOME: path.join(helmHome, 'cache'),
      HELM_DATA_HOME: path.join(helmHome, 'data'),
    },
  });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

export interface TemplateOptions {
  /** Values files, relative to the chart directory (e.g. `ci/minimal-values.yaml`). */
  readonly valuesFiles?: readonly string[];
  /** `--set` arguments, `key=value`. */
  readonly set?: readonly string[];
  /** The chart to render; the repository's chart by default. */
  readonly chart?: string;
  readonly releaseName?: string;
  readonly namespace?: string;
  /** `--kube-version`; Helm's default (its client libraries' minor) otherwise. */
  readonly kubeVersion?: string;
}

function valuesArgs(chart: string, options: TemplateOptions): string[] {
  const args: string[] = [];
  for (const file of options.valuesFiles ?? []) args.push('--values', path.join(chart, file));
  for (const assignment of options.set ?? []) args.push('--set', assignment);
  if (options.kubeVersion) args.push('--kube-version', options.kubeVersion);
  return args;
}

/** `helm template`: the manifests as Helm prints them, or the Helm result when it failed. */
export function helmTemplate(options: TemplateOptions = {}): HelmResult {
  const chart = options.chart ?? chartDir;
  return runHelm([
    'template',
    options.releaseName ?? 'knutepunkt',
    chart,
    '--namespace',
    options.namespace ?? 'knutepunkt',
    ...valuesArgs(chart, options),
  ]);
}

/** `helm lint --strict`: warnings fail too. */
export function helmLint(options: TemplateOptions = {}): HelmResult {
  const chart = options.chart ?? chartDir;
  return runHelm(['lint', '--strict', chart, ...valuesArgs(chart, options)]);
}
