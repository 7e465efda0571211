/**
 * The schema registry: Apicurio Registry (a Quarkus app) built once from Maven Central jars by
 * tools/devstack/schema-registry/pom.xml into .local/schema-registry/app. It serves the
 * Confluent REST API under /apis/ccompat/v7 on 127.0.0.1:8081 and keeps its schemas in an H2
 * database file under .local/schema-registry/data, so they survive restarts.
 *
 * Why Apicurio 2.4.2 and not Karapace, and why H2 rather than Kafka as its storage:
 * docs/adr/0002-schema-registry.md. Clients only need the URL: production points the same serde
 * at a Confluent, Karapace or Apicurio registry.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Component, StackPaths } from '../component';
import { loadConfig, type DevstackConfig } from '../config';
import { DevstackError, errorMessage } from '../errors';
import { display, logFile } from '../paths';
import {
  assertPortFree,
  livePid,
  spawnDetached,
  stopByPidFile,
  tailFile,
  waitUntil,
} from '../process';
import { report } from '../report';

const NAME = 'schema-registry';
/** Where Apicurio serves the Confluent Schema Registry API: part of the URL clients get. */
export const CONFLUENT_API_PATH = '/apis/ccompat/v7';
/** Confluent's default, which Apicurio does not have (its default is no rule at all). */
export const DEFAULT_COMPATIBILITY = 'BACKWARD';

const START_TIMEOUT_MS = 90_000;
const BUILD_TIMEOUT_MS = 15 * 60_000;
const BUILD_DIR = path.resolve(__dirname, '..', '..', 'schema-registry');
const POM = path.join(BUILD_DIR, 'pom.xml');
const SETTINGS = path.join(BUILD_DIR, 'settings.xml');
/** What the Quarkus build names its runnable jar (artifactId-version-runner.jar, libs in lib/). */
const RUNNER_JAR = 'devstack-schema-registry-0.0.0-runner.jar';
const BUILD_MARKER = '.inputs.sha256';
/** Written once the global compatibility level of a new database is set. */
const COMPATIBILITY_MARKER = '.compatibility-initialised';

/** The registry's base URL for clients, API prefix included: http://127.0.0.1:8081/apis/ccompat/v7 */
export function confluentApiUrl(config: DevstackConfig): string {
  return `http://${config.host}:${config.schemaRegistry.port}${CONFLUENT_API_PATH}`;
}

/**
 * The URL to hand to @kafkajs/confluent-schema-registry (`new SchemaRegistry({ host })`),
 * as SCHEMA_REGISTRY_PORT was when this module loaded. A malformed port falls back to 8081 here;
 * start() reports it properly.
 */
export const schemaRegistryUrl: string = (() => {
  try {
    return confluentApiUrl(loadConfig());
  } catch {
    return `http://127.0.0.1:8081${CONFLUENT_API_PATH}`;
  }
})();

export interface RegistryDirs {
  readonly base: string;
  /** the built application: the runner jar and its lib/ */
  readonly app: string;
  /** the H2 database files */
  readonly data: string;
}

export function registryDirs(paths: StackPaths): RegistryDirs {
  const base = path.join(paths.local, NAME);
  return { base, app: path.join(base, 'app'), data: path.join(base, 'data') };
}

/** The Apicurio version in a pom's <apicurio.version> property. */
export function apicurioVersionFromPom(pom: string): string | undefined {
  return /<apicurio\.version>\s*([^<\s]+)\s*<\/apicurio\.version>/.exec(pom)?.[1];
}

export function apicurioVersion(): string {
  try {
    return apicurioVersionFromPom(fs.readFileSync(POM, 'utf8')) ?? '2.x';
  } catch {
    return '2.x';
  }
}

/** The H2 JDBC URL of the database in `dataDir` (H2 adds .mv.db to the name). */
export function h2Url(dataDir: string): string {
  return `jdbc:h2:file:${path.join(dataDir, 'registry')}`;
}

/**
 * The JVM's arguments. Runtime settings go in as system properties, which outrank every
 * application.properties (Apicurio's own sets `%prod.` values, e.g. 20 pooled connections).
 */
export function registryJvmArgs(config: DevstackConfig, dirs: RegistryDirs): string[] {
  return [
    '-Xms64m',
    '-Xmx384m',
    // Only the C1 compiler: starts in about half the time on two cores; plenty for a dev registry.
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dquarkus.http.host=${config.host}`,
    `-Dquarkus.http.port=${config.schemaRegistry.port}`,
    `-Dquarkus.datasource.jdbc.url=${h2Url(dirs.data)}`,
    '-Dquarkus.datasource.jdbc.initial-size=1',
    '-Dquarkus.datasource.jdbc.min-size=1',
    '-Dquarkus.datasource.jdbc.max-size=10',
    '-Dquarkus.log.console.color=false',
    '-jar',
    path.join(dirs.app, RUNNER_JAR),
  ];
}

/**
 * A hash over every file the Maven build reads (pom, settings, src/): a change to any of them
 * rebuilds the registry on the next start.
 */
export function buildInputsHash(buildDir: string = BUILD_DIR): string {
  const hash = createHash('sha256');
  const files = ['pom.xml', 'settings.xml', ...listFiles(buildDir, 'src')].sort();
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(fs.readFileSync(path.join(buildDir, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function listFiles(root: string, relative: string): string[] {
  const dir = path.join(root, relative);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const child = path.join(relative, entry.name);
    return entry.isDirectory() ? listFiles(root, child) : [child];
  });
}

/** true when the registry answers a Confluent API request (GET /config) at the devstack's URL. */
export async function registryAnswers(
  config: DevstackConfig = loadConfig(),
  timeoutMs = 2_000,
): Promise<boolean> {
  try {
    const response = await fetch(`${confluentApiUrl(config)}/config`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

export const schemaRegistry: Component = {
  name: NAME,
  // The registry keeps its schemas in its own H2 file, so it needs neither Kafka nor PostgreSQL.
  dependsOn: [],

  isUp: () => registryAnswers(),

  async start(paths: StackPaths): Promise<void> {
    const config = loadConfig();
    const log = logFile(paths, NAME);
    const dirs = registryDirs(paths);
    const what = `the schema registry to answer at ${confluentApiUrl(config)}`;
    const answersSoon = (): Promise<boolean> => registryAnswers(config, 1_000);

    const running = livePid(paths, NAME);
    if (running !== undefined) {
      report(
        `${NAME}: pid ${running} from an earlier start is still running, waiting for it to answer`,
      );
      await waitUntil(answersSoon, {
        what,
        timeoutMs: START_TIMEOUT_MS,
        intervalMs: 250,
        pid: running,
        log,
        paths,
      });
      await initialiseCompatibility(config, dirs);
      return;
    }
    await assertPortFree(
      config.host,
      config.schemaRegistry.port,
      'schema registry',
      'choose another port with SCHEMA_REGISTRY_PORT=<port>',
    );

    await ensureBuilt(paths, dirs);
    fs.mkdirSync(dirs.data, { recursive: true });
    report(
      `${NAME}: starting Apicurio Registry ${apicurioVersion()} (log: ${display(paths, log)})`,
    );
    const java =
      config.kafka.javaHome === undefined
        ? 'java'
        : path.join(config.kafka.javaHome, 'bin', 'java');
    const pid = await spawnDetached(paths, {
      name: NAME,
      command: java,
      args: registryJvmArgs(config, dirs),
      cwd: dirs.base,
    });
    await waitUntil(answersSoon, {
      what,
      timeoutMs: START_TIMEOUT_MS,
      intervalMs: 250,
      pid,
      log,
      paths,
    });
    await initialiseCompatibility(config, dirs);
  },

  async stop(paths: StackPaths): Promise<void> {
    // SIGTERM: Quarkus shuts down cleanly and H2 closes its file.
    await stopByPidFile(paths, NAME, { signal: 'SIGTERM', graceMs: 15_000 });
  },

  describe(): string {
    return `Apicurio Registry ${apicurioVersion()}, Confluent API at ${confluentApiUrl(loadConfig())} (clients use this URL, prefix included); schemas in .local/${NAME}/data (H2)`;
  },
};

// ---------------------------------------------------------------------------------------------

/** A new database gets Confluent's default global level once; a level set later is left alone. */
async function initialiseCompatibility(config: DevstackConfig, dirs: RegistryDirs): Promise<void> {
  const marker = path.join(dirs.data, COMPATIBILITY_MARKER);
  if (fs.existsSync(marker)) return;
  const response = await fetch(`${confluentApiUrl(config)}/config`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ compatibility: DEFAULT_COMPATIBILITY }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.text();
  if (!response.ok) {
    throw new DevstackError(
      `setting the global compatibility to ${DEFAULT_COMPATIBILITY} failed: HTTP ${response.status} ${body}`,
    );
  }
  fs.mkdirSync(dirs.data, { recursive: true });
  fs.writeFileSync(marker, `${DEFAULT_COMPATIBILITY}\n`);
}

/**
 * Builds the Quarkus application into .local/schema-registry/app with Maven (jars cached in
 * .local/m2, shared with Kafka), unless the marker says these build inputs were built already.
 */
async function ensureBuilt(paths: StackPaths, dirs: RegistryDirs): Promise<void> {
  const hash = buildInputsHash();
  const marker = path.join(dirs.app, BUILD_MARKER);
  const runner = path.join(dirs.app, RUNNER_JAR);
  if (
    fs.existsSync(runner) &&
    fs.existsSync(marker) &&
    fs.readFileSync(marker, 'utf8').trim() === hash
  )
    return;

  report(
    `${NAME}: building Apicurio Registry ${apicurioVersion()} from Maven Central into ${display(paths, dirs.app)} ` +
      '(first run: about 200 MB of jars into .local/m2, 2-3 minutes)',
  );
  const staging = path.join(dirs.base, 'build');
  fs.rmSync(staging, { recursive: true, force: true });
  const buildLog = logFile(paths, `${NAME}-build`);
  const started = Date.now();
  const result = await runMaven(
    [
      '-B',
      '-q',
      '-s',
      SETTINGS,
      '-f',
      POM,
      `-Dmaven.repo.local=${path.join(paths.local, 'm2')}`,
      `-Dsr.build.dir=${staging}`,
      'package',
    ],
    paths.root,
    buildLog,
  );
  if (result !== 0) {
    throw new DevstackError(
      `Maven could not build the schema registry (exit ${result}; full output in ${display(paths, buildLog)}):\n${indent(tailFile(buildLog, 20))}`,
    );
  }
  if (!fs.existsSync(path.join(staging, RUNNER_JAR)) || !fs.existsSync(path.join(staging, 'lib'))) {
    throw new DevstackError(
      `Maven finished but ${display(paths, staging)} has no ${RUNNER_JAR} and lib/`,
    );
  }
  fs.rmSync(dirs.app, { recursive: true, force: true });
  fs.mkdirSync(dirs.app, { recursive: true });
  fs.renameSync(path.join(staging, RUNNER_JAR), runner);
  fs.renameSync(path.join(staging, 'lib'), path.join(dirs.app, 'lib'));
  fs.rmSync(staging, { recursive: true, force: true });
  fs.writeFileSync(marker, `${hash}\n`);
  report(`${NAME}: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Runs mvn, its output into `log`; resolves the exit code. */
function runMaven(args: readonly string[], cwd: string, log: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      'mvn',
      [...args],
      { cwd, timeout: BUILD_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        fs.writeFileSync(log, `${stdout}${stderr}`);
        if (error === null) {
          resolve(0);
        } else if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new DevstackError('Maven (mvn) is not installed: apt-get install -y maven'));
        } else if (error.killed === true) {
          reject(
            new DevstackError(
              `Maven took longer than ${BUILD_TIMEOUT_MS / 60_000} minutes building the schema registry`,
            ),
          );
        } else {
          if (stdout === '' && stderr === '') fs.writeFileSync(log, errorMessage(error));
          resolve(typeof error.code === 'number' ? error.code : 1);
        }
      },
    );
  });
}

function indent(text: string): string {
  return text.replace(/^/gm, '  ');
}
