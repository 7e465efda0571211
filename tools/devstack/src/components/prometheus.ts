/**
 * The optional Prometheus (`npm run stack:up -- --with-prometheus`): the server built by
 * `bash tools/ops/ensure-tools.sh --with-prometheus` into .local/bin/prometheus, loaded with
 * deploy/prometheus's rules, scraping the five services where `npm start` runs them (their
 * default ports), its web UI and API on 127.0.0.1:9090 (PROMETHEUS_PORT). Its configuration is
 * written by ../prometheus/config.ts, the writer the live checks in tools/ops use too; its TSDB
 * lives in .local/<name>/data and keeps two days. Nothing here starts the services: their
 * targets are down until `npm start` runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Component, StackPaths } from '../component';
import { loadConfig } from '../config';
import { DevstackError } from '../errors';
import { localServiceTargets } from '../local-services';
import { display, logFile } from '../paths';
import {
  ENSURE_PROMETHEUS_COMMAND,
  PROMETHEUS_BINARY,
  PROMETHEUS_RULES,
  prometheusBinary,
  prometheusConfigYaml,
} from '../prometheus/config';
import { assertPortFree, livePid, spawnDetached, stopByPidFile, waitUntil } from '../process';
import { report } from '../report';

const START_TIMEOUT_MS = 60_000;
/** Scrape and evaluation interval: Prometheus' usual 15 s. */
const INTERVAL_SECONDS = 15;

export interface PrometheusComponentOptions {
  /** Component name: its pid file, log and folder under .local (default `prometheus`). */
  readonly name?: string;
  /** Loopback port (default PROMETHEUS_PORT, 9090). */
  readonly port?: number;
  /** app → base URL (default: the five services on `npm start`'s ports). */
  readonly targets?: Readonly<Record<string, string>>;
}

export function prometheusComponent(options: PrometheusComponentOptions = {}): Component {
  const name = options.name ?? 'prometheus';
  const port = (): number => options.port ?? loadConfig().prometheus.port;
  const url = (): string => `http://127.0.0.1:${String(port())}`;
  const ready = async (timeoutMs = 2_000): Promise<boolean> => {
    try {
      const response = await fetch(`${url()}/-/ready`, { signal: AbortSignal.timeout(timeoutMs) });
      await response.arrayBuffer();
      return response.ok;
    } catch {
      return false;
    }
  };

  return {
    name,
    dependsOn: [],
    optional: true,

    isUp: () => ready(),

    async start(paths: StackPaths): Promise<void> {
      const log = logFile(paths, name);
      const what = `Prometheus to answer at ${url()}/-/ready`;
      const running = livePid(paths, name);
      if (running !== undefined) {
        report(`${name}: pid ${running} from an earlier start is still running, waiting for it`);
        await waitUntil(() => ready(1_000), {
          what,
          timeoutMs: START_TIMEOUT_MS,
          pid: running,
          log,
          paths,
        });
        return;
      }
      const binary = prometheusBinary(paths.root);
      if (!fs.existsSync(binary)) {
        throw new DevstackError(
          `no Prometheus server at ${PROMETHEUS_BINARY}: build it once with \`${ENSURE_PROMETHEUS_COMMAND}\` (needs Go; a few minutes)`,
        );
      }
      await assertPortFree(
        '127.0.0.1',
        port(),
        'Prometheus',
        'choose another port with PROMETHEUS_PORT=<port>',
      );
      const dir = path.join(paths.local, name);
      fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
      const configFile = path.join(dir, 'prometheus.yml');
      fs.writeFileSync(
        configFile,
        prometheusConfigYaml({
          targets: options.targets ?? localServiceTargets(),
          scrapeSeconds: INTERVAL_SECONDS,
          ruleFiles: [path.join(paths.root, PROMETHEUS_RULES)],
        }),
      );
      report(`${name}: starting ${PROMETHEUS_BINARY} (log: ${display(paths, log)})`);
      const pid = await spawnDetached(paths, {
        name,
        command: binary,
        args: [
          `--config.file=${configFile}`,
          `--storage.tsdb.path=${path.join(dir, 'data')}`,
          '--storage.tsdb.retention.time=2d',
          `--web.listen-address=127.0.0.1:${String(port())}`,
        ],
        cwd: dir,
      });
      await waitUntil(() => ready(1_000), {
        what,
        timeoutMs: START_TIMEOUT_MS,
        pid,
        log,
        paths,
      });
    },

    async stop(paths: StackPaths): Promise<void> {
      await stopByPidFile(paths, name, { signal: 'SIGTERM', graceMs: 15_000 });
    },

    describe(): string {
      const apps = Object.entries(options.targets ?? localServiceTargets())
        .map(([app, base]) => `${app} ${new URL(base).port}`)
        .join(', ');
      return `Prometheus, web UI ${url()}; rules ${PROMETHEUS_RULES}; scrapes ${apps} every ${String(INTERVAL_SECONDS)} s; data .local/${name}/data`;
    },
  };
}

export const prometheus: Component = prometheusComponent();
