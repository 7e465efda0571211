/*
 * A Prometheus server on loopback for the live checks: the repository's rules, one scrape job
 * per app (named after the app, as the ServiceMonitor's jobLabel makes it in Kubernetes, so the
 * alerts' `up{job="<app>"}` match), a short scrape and evaluation interval, a throwaway TSDB.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { aFreePort } from '@knutepunkt/platform';
import { fromRoot, paths, repoRoot } from './paths';

export const prometheusBinary = path.join(repoRoot, '.local/bin/prometheus');
export const ensurePrometheusCommand = 'bash tools/ops/ensure-tools.sh --with-prometheus';

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
   * Scrape and rule evaluation interval, also the scrape timeout (default 10 s, Prometheus'
   * default timeout): the journal-writer computes its oldest-entry gauges from the database at
   * scrape time, which took 4.5–7 s on the shared test database (257,000 entries) under CI-like
   * load, and a scrape that times out makes a service look down.
   */
  readonly intervalSeconds?: number;
  /** The loopback port to listen on (default: a free one). */
  readonly port?: number;
  /** The rule file (default: deploy/prometheus/rules/knutepunkt.rules.yaml). */
  readonly ruleFile?: string;
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
    const config = {
      global: {
        scrape_interval: `${String(interval)}s`,
        // As long as Prometheus allows (no longer than the interval).
        scrape_timeout: `${String(interval)}s`,
        evaluation_interval: `${String(interval)}s`,
      },
      rule_files: [options.ruleFile ?? fromRoot(paths.rules)],
      scrape_configs: Object.entries(options.targets).map(([app, base]) => {
        const url = new URL(base);
        return {
          job_name: app,
          scheme: url.protocol.replace(':', ''),
          metrics_path: `${url.pathname.replace(/\/$/, '')}/metrics`,
          static_configs: [{ targets: [url.host] }],
        };
      }),
    };
    writeFileSync(path.join(folder, 'prometheus.yml'), stringify(config));
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
