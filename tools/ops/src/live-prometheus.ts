/*
 * A Prometheus server on loopback for the live checks: the repository's rules, one scrape job
 * per app (named after the app, as the ServiceMonitor's jobLabel makes it in Kubernetes, so the
 * alerts' `up{job="<app>"}` match), a short scrape and evaluation interval, a throwaway TSDB.
 * Its prometheus.yml comes from the devstack's writer (tools/devstack/src/prometheus/config.ts),
 * the one `npm run stack:up -- --with-prometheus` uses too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import {
  ENSURE_PROMETHEUS_COMMAND,
  prometheusBinary as devstackPrometheusBinary,
  prometheusConfigYaml,
} from '@knutepunkt/devstack';
import { aFreePort } from '@knutepunkt/platform';
import { fromRoot, paths, repoRoot } from './paths';
import { loadRuleGroups, withAlertHoldsShortened } from './rules';

export const prometheusBinary = devstackPrometheusBinary(repoRoot);
export const ensurePrometheusCommand = ENSURE_PROMETHEUS_COMMAND;

/** Throws, naming the command that builds it, when .local/bin/prometheus is missing. */
export function assertPrometheusBuilt(): void {
  if (!existsSync(prometheusBinary)) {
    throw new Error(
      `no Prometheus server at ${prometheusBinary}: run \`${ensurePrometheusCommand}\` (npm test's test:unit does)`,
    );
  }
}

export interface LivePrometheusOptions {
  /** What to scrape: app (the job name) → the service's base URL (it serves `/metrics`). */
  readonly targets: Readonly<Record<string, string>>;
  /**
   * Scrape interval, also the scrape timeout and (unless `evaluationSeconds`) the rule
   * evaluation interval (default 10 s, Prometheus' default timeout: a scrape that times out
   * makes a service look down).
   */
  readonly intervalSeconds?: number;
  /** The loopback port to listen on (default: a free one). */
  readonly port?: number;
  /** The rule file (default: deploy/prometheus/rules/knutepunkt.rules.yaml). */
  readonly ruleFile?: string;
  /**
   * Rule evaluation interval when it should differ from the scrape interval (default: the
   * same): how soon after a scrape an alert turns pending, and after its hold firing.
   */
  readonly evaluationSeconds?: number;
  /**
   * Loads a copy of the rules with every alert's `for:` shortened to at most this many seconds
   * (withAlertHoldsShortened), so an induced fault reaches `firing` within a test. Default: the
   * rules as they are.
   */
  readonly alertHoldSeconds?: number;
}

export interface QueryAnswer {
  readonly status: string;
  readonly data?: { readonly result: readonly { readonly metric: Record<string, string> }[] };
  readonly error?: string;
}

export interface AlertState {
  readonly labels: Readonly<Record<string, string>>;
  readonly state: 'pending' | 'firing' | 'inactive';
  readonly activeAt?: string;
  readonly value?: string;
}

export interface TargetHealth {
  readonly job: string;
  readonly health: string;
  readonly lastError: string;
  readonly lastScrapeSeconds: number;
}

export class LivePrometheus {
  private log = '';
  private readyAt = 0;

  private constructor(
    readonly url: string,
    readonly intervalSeconds: number,
    private readonly child: ChildProcess,
    private readonly exited: Promise<void>,
    private readonly folder: string,
  ) {
    child.stderr?.on('data', (chunk: Buffer) => {
      this.log = (this.log + chunk.toString('utf8')).slice(-20_000);
    });
  }

  /** Unix seconds when it became ready: where a range over everything it scraped begins. */
  get startedAt(): number {
    return this.readyAt;
  }

  /** Starts the server and resolves once it answers /-/ready. */
  static async start(options: LivePrometheusOptions): Promise<LivePrometheus> {
    assertPrometheusBuilt();
    const interval = options.intervalSeconds ?? 10;
    const port = options.port ?? (await aFreePort());
    const folder = mkdtempSync(path.join(tmpdir(), 'knutepunkt-live-'));
    let ruleFile = options.ruleFile ?? fromRoot(paths.rules);
    if (options.alertHoldSeconds !== undefined) {
      const shortened = withAlertHoldsShortened(loadRuleGroups(ruleFile), options.alertHoldSeconds);
      ruleFile = path.join(folder, 'rules-with-short-holds.yaml');
      writeFileSync(ruleFile, stringify({ groups: shortened }));
    }
    writeFileSync(
      path.join(folder, 'prometheus.yml'),
      prometheusConfigYaml({
        targets: options.targets,
        scrapeSeconds: interval,
        evaluationSeconds: options.evaluationSeconds ?? interval,
        ruleFiles: [ruleFile],
      }),
    );
    const child = spawn(
      prometheusBinary,
      [
        `--config.file=${path.join(folder, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(folder, 'data')}`,
        `--web.listen-address=127.0.0.1:${String(port)}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const life = { exited: false };
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        life.exited = true;
        resolve();
      });
    });
    const url = `http://127.0.0.1:${String(port)}`;
    const prometheus = new LivePrometheus(url, interval, child, exited, folder);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (life.exited) {
        await prometheus.stop();
        throw new Error(`Prometheus exited while starting:\n${prometheus.logTail()}`);
      }
      try {
        if ((await fetch(`${url}/-/ready`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await prometheus.stop();
        throw new Error(`Prometheus not ready within 30 s:\n${prometheus.logTail()}`);
      }
      await sleep(250);
    }
    prometheus.readyAt = Date.now() / 1000;
    return prometheus;
  }

  /** An instant query now. */
  async query(expr: string): Promise<QueryAnswer> {
    return this.post('/api/v1/query', { query: expr });
  }

  /** A range query, as a Grafana panel makes it (times in unix seconds). */
  async queryRange(
    expr: string,
    from: number,
    to: number,
    stepSeconds: number,
  ): Promise<QueryAnswer> {
    return this.post('/api/v1/query_range', {
      query: expr,
      start: from.toFixed(3),
      end: to.toFixed(3),
      step: String(stepSeconds),
    });
  }

  /** Label values seen (the first is what the CLI gives a dashboard variable). */
  async labelValues(label: string): Promise<string[]> {
    const response = await fetch(`${this.url}/api/v1/label/${label}/values`);
    const answer = (await response.json()) as { data?: string[] };
    return answer.data ?? [];
  }

  /** Every pending or firing alert (`/api/v1/alerts`). */
  async alerts(): Promise<AlertState[]> {
    const response = await fetch(`${this.url}/api/v1/alerts`);
    const answer = (await response.json()) as { data?: { alerts?: AlertState[] } };
    return answer.data?.alerts ?? [];
  }

  /** Each scrape target's health and last error (`/api/v1/targets`), for failure messages. */
  async targets(): Promise<TargetHealth[]> {
    const response = await fetch(`${this.url}/api/v1/targets?state=active`);
    const answer = (await response.json()) as {
      data?: {
        activeTargets?: {
          labels: Record<string, string>;
          health: string;
          lastError: string;
          lastScrapeDuration: number;
        }[];
      };
    };
    return (answer.data?.activeTargets ?? []).map((target) => ({
      job: target.labels['job'] ?? '',
      health: target.health,
      lastError: target.lastError,
      lastScrapeSeconds: target.lastScrapeDuration,
    }));
  }

  /** The end of the server's log, for error messages. */
  logTail(chars = 2000): string {
    return this.log.slice(-chars);
  }

  /** SIGTERM, wait for the exit, remove the TSDB. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const forced = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(forced);
    }
    rmSync(this.folder, { recursive: true, force: true });
  }

  private async post(route: string, form: Record<string, string>): Promise<QueryAnswer> {
    const response = await fetch(`${this.url}${route}`, {
      method: 'POST',
      body: new URLSearchParams(form),
    });
    return (await response.json()) as QueryAnswer;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
