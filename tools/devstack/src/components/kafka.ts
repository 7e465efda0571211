/**
 * Apache Kafka 4.x, one node in KRaft mode (broker and controller in one JVM), from the plain
 * Maven Central jars that tools/devstack/kafka/pom.xml names.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { Component, StackPaths } from '../component';
import { kafkaBrokers, loadConfig, type DevstackConfig } from '../config';
import { DevstackError, errorMessage } from '../errors';
import {
  isClusterId,
  kafkaVersionFromPom,
  newClusterId,
  parseProperties,
  renderServerProperties,
} from '../kafka/server-properties';
import { display, logFile } from '../paths';
import {
  assertPortFree,
  isPortOpen,
  livePid,
  spawnDetached,
  stopByPidFile,
  waitUntil,
} from '../process';
import { report } from '../report';

/** The broker's main class (what kafka-server-start.sh runs). */
export const KAFKA_MAIN_CLASS = 'kafka.Kafka';
/** What kafka-storage.sh runs in Kafka 4.x (bin/kafka-storage.sh → kafka-run-class.sh kafka.tools.StorageTool). */
export const STORAGE_TOOL_MAIN_CLASS = 'kafka.tools.StorageTool';

const START_TIMEOUT_MS = 60_000;
const DEVSTACK_DIR = path.resolve(__dirname, '..', '..');
const POM = path.join(DEVSTACK_DIR, 'kafka', 'pom.xml');
const JAR_MARKER = '.pom.sha256';

interface KafkaDirs {
  readonly base: string;
  readonly libs: string;
  readonly config: string;
  readonly data: string;
  readonly clusterIdFile: string;
}

export function kafkaDirs(paths: StackPaths): KafkaDirs {
  const base = path.join(paths.local, 'kafka');
  return {
    base,
    libs: path.join(base, 'libs'),
    config: path.join(base, 'config'),
    data: path.join(base, 'data'),
    clusterIdFile: path.join(base, 'cluster.id'),
  };
}

/** The Kafka version in tools/devstack/kafka/pom.xml. */
export function kafkaVersion(): string {
  try {
    return kafkaVersionFromPom(fs.readFileSync(POM, 'utf8')) ?? '4.x';
  } catch {
    return '4.x';
  }
}

/**
 * A real Kafka check, not just an open port: the broker answers a Metadata request and names
 * at least one live broker (it does so only once it has caught up with its controller).
 */
export async function kafkaAnswers(
  config: DevstackConfig = loadConfig(),
  requestTimeoutMs = 3_000,
): Promise<boolean> {
  if (!(await isPortOpen(config.host, config.kafka.port, 1_000))) return false;
  const client = new Kafka({
    clientId: 'knutepunkt-devstack',
    brokers: kafkaBrokers(config),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: requestTimeoutMs,
    retry: { retries: 0 },
  });
  const admin = client.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export const kafka: Component = {
  name: 'kafka',
  dependsOn: [],

  isUp: () => kafkaAnswers(),

  async start(paths: StackPaths): Promise<void> {
    const config = loadConfig();
    const log = logFile(paths, 'kafka');
    const what = `Kafka to answer on ${config.host}:${config.kafka.port}`;
    // While it starts, the broker's port accepts connections before it answers requests: a
    // short request timeout notices the moment it does instead of up to 3 s later.
    const answersSoon = (): Promise<boolean> => kafkaAnswers(config, 1_000);

    const running = livePid(paths, 'kafka');
    if (running !== undefined) {
      // An earlier `up` started it and was interrupted, or it is still recovering its logs.
      report(
        `kafka: pid ${running} from an earlier start is still running, waiting for it to answer`,
      );
      await waitUntil(answersSoon, {
        what,
        timeoutMs: START_TIMEOUT_MS,
        intervalMs: 250,
        pid: running,
        log,
        paths,
      });
      return;
    }
    await assertPortFree(
      config.host,
      config.kafka.port,
      'Kafka',
      'choose another port with KAFKA_PORT=<port>',
    );
    await assertPortFree(
      config.host,
      config.kafka.controllerPort,
      'Kafka',
      'choose another controller port with KAFKA_CONTROLLER_PORT=<port>',
    );

    const java = await findJava(config);
    const dirs = kafkaDirs(paths);
    await ensureJars(paths, dirs);
    const files = writeConfig(paths, dirs, config);
    const clusterId = ensureClusterId(dirs);
    await formatStorage(paths, dirs, java, files, clusterId);

    report(`kafka: starting Apache Kafka ${kafkaVersion()} (log: ${display(paths, log)})`);
    const pid = await spawnDetached(paths, {
      name: 'kafka',
      command: java,
      args: [
        ...jvmOptions(paths, files, '-Xmx512m', '-Xms256m'),
        '-cp',
        classpath(dirs),
        KAFKA_MAIN_CLASS,
        files.serverProperties,
      ],
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
  },

  async stop(paths: StackPaths): Promise<void> {
    // SIGTERM is a controlled shutdown: the broker flushes and closes its logs, so the next
    // start skips log recovery. A KRaft node alone takes a few seconds.
    await stopByPidFile(paths, 'kafka', { signal: 'SIGTERM', graceMs: 30_000 });
  },

  describe(): string {
    const config = loadConfig();
    return `Apache Kafka ${kafkaVersion()} (KRaft broker+controller) at ${config.host}:${config.kafka.port}, controller :${config.kafka.controllerPort}`;
  },
};

// ---------------------------------------------------------------------------------------------

function classpath(dirs: KafkaDirs): string {
  return `${dirs.libs}${path.sep}*`; // the JVM expands the wildcard to every jar in libs/
}

interface ConfigFiles {
  readonly serverProperties: string;
  readonly log4j2: string;
}

function jvmOptions(
  paths: StackPaths,
  files: ConfigFiles,
  maxHeap: string,
  initialHeap: string,
): string[] {
  return [
    maxHeap,
    initialHeap,
    // The GC settings of Kafka's own kafka-run-class.sh.
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${files.log4j2}`,
    `-Dkafka.logs.dir=${paths.logs}`,
  ];
}

/** Renders deploy/local/kafka/{server.properties,log4j2.yaml} into .local/kafka/config. */
function writeConfig(paths: StackPaths, dirs: KafkaDirs, config: DevstackConfig): ConfigFiles {
  const deploy = path.join(paths.root, 'deploy', 'local', 'kafka');
  fs.mkdirSync(dirs.config, { recursive: true });
  fs.mkdirSync(dirs.data, { recursive: true });
  const template = fs.readFileSync(path.join(deploy, 'server.properties'), 'utf8');
  const rendered = renderServerProperties(template, {
    host: config.host,
    port: config.kafka.port,
    controllerPort: config.kafka.controllerPort,
    logDirs: dirs.data,
  });
  const files: ConfigFiles = {
    serverProperties: path.join(dirs.config, 'server.properties'),
    log4j2: path.join(dirs.config, 'log4j2.yaml'),
  };
  fs.writeFileSync(files.serverProperties, rendered);
  fs.copyFileSync(path.join(deploy, 'log4j2.yaml'), files.log4j2);
  return files;
}

/** The cluster id: the formatted one when data/ is formatted, else the saved one, else a new one. */
function ensureClusterId(dirs: KafkaDirs): string {
  const meta = path.join(dirs.data, 'meta.properties');
  if (fs.existsSync(meta)) {
    const formatted = parseProperties(fs.readFileSync(meta, 'utf8')).get('cluster.id');
    if (formatted !== undefined) {
      fs.writeFileSync(dirs.clusterIdFile, `${formatted}\n`);
      return formatted;
    }
  }
  if (fs.existsSync(dirs.clusterIdFile)) {
    const saved = fs.readFileSync(dirs.clusterIdFile, 'utf8').trim();
    if (isClusterId(saved)) return saved;
  }
  const id = newClusterId();
  fs.writeFileSync(dirs.clusterIdFile, `${id}\n`);
  return id;
}

/** `kafka-storage format`, once: skipped when data/ already holds meta.properties. */
async function formatStorage(
  paths: StackPaths,
  dirs: KafkaDirs,
  java: string,
  files: ConfigFiles,
  clusterId: string,
): Promise<void> {
  if (fs.existsSync(path.join(dirs.data, 'meta.properties'))) return;
  report(`kafka: formatting ${display(paths, dirs.data)} (cluster id ${clusterId})`);
  const args = [
    ...jvmOptions(paths, files, '-Xmx256m', '-Xms64m'),
    '-cp',
    classpath(dirs),
    STORAGE_TOOL_MAIN_CLASS,
    'format',
    '--config',
    files.serverProperties,
    '--cluster-id',
    clusterId,
    '--ignore-formatted',
  ];
  const result = await run(java, args, { cwd: dirs.base, timeoutMs: 120_000 });
  fs.appendFileSync(
    logFile(paths, 'kafka'),
    `\n--- devstack: ${new Date().toISOString()} ${STORAGE_TOOL_MAIN_CLASS} format\n${result.output}`,
  );
  if (result.code !== 0) {
    throw new DevstackError(
      `formatting the storage failed (exit ${result.code}):\n${lastLines(result.output, 15)}`,
    );
  }
}

/** Resolves the jars with Maven into .local/kafka/libs, unless the marker says this pom's jars are there. */
async function ensureJars(paths: StackPaths, dirs: KafkaDirs): Promise<void> {
  const pom = fs.readFileSync(POM);
  const hash = createHash('sha256').update(pom).digest('hex');
  const marker = path.join(dirs.libs, JAR_MARKER);
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim() === hash) return;

  const version = kafkaVersion();
  report(
    `kafka: resolving Apache Kafka ${version} from Maven Central into ${display(paths, dirs.libs)} (first run: about 45 MB)`,
  );
  const staging = `${dirs.libs}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  const mavenLog = logFile(paths, 'maven');
  const started = Date.now();
  const result = await run(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      POM,
      `-Dmaven.repo.local=${path.join(paths.local, 'm2')}`,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${staging}`,
      '-DincludeScope=runtime',
    ],
    {
      cwd: paths.root,
      timeoutMs: 600_000,
      missing: 'Maven (mvn) is not installed: apt-get install -y maven',
    },
  );
  fs.writeFileSync(mavenLog, result.output);
  if (result.code !== 0) {
    throw new DevstackError(
      `Maven could not resolve the Kafka jars (exit ${result.code}; full output in ${display(paths, mavenLog)}):\n${lastLines(result.output, 20)}`,
    );
  }
  if (!fs.readdirSync(staging).some((file) => file.startsWith('kafka_2.13-'))) {
    throw new DevstackError(`Maven finished but ${display(paths, staging)} has no kafka_2.13 jar`);
  }
  fs.rmSync(dirs.libs, { recursive: true, force: true });
  fs.renameSync(staging, dirs.libs);
  fs.writeFileSync(marker, `${hash}\n`);
  report(
    `kafka: ${fs.readdirSync(dirs.libs).length - 1} jars resolved in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

/** The java binary (JAVA_HOME's, else the PATH's), checked to be Java 17 or newer as Kafka 4 requires. */
async function findJava(config: DevstackConfig): Promise<string> {
  const java =
    config.kafka.javaHome === undefined ? 'java' : path.join(config.kafka.javaHome, 'bin', 'java');
  const install = 'install a JDK 17 or newer: apt-get install -y openjdk-17-jdk-headless';
  const result = await run(java, ['-version'], {
    timeoutMs: 30_000,
    missing: `Java (${java}) is not installed: ${install}`,
  });
  const major = javaMajorVersion(result.output);
  if (result.code !== 0 || major === undefined)
    throw new DevstackError(`cannot tell the version of ${java}:\n${result.output}`);
  if (major < 17)
    throw new DevstackError(
      `Kafka 4 needs Java 17 or newer, ${java} is Java ${major}: ${install} (or set JAVA_HOME)`,
    );
  return java;
}

/** 17 from `openjdk version "17.0.15" …`, 8 from `java version "1.8.0_402"`. */
export function javaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (match?.[1] === undefined) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

interface RunResult {
  readonly code: number;
  readonly output: string;
}

function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; timeoutMs: number; missing?: string },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      {
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
        timeout: options.timeoutMs,
        maxBuffer: 32 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (error === null) {
          resolve({ code: 0, output });
          return;
        }
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new DevstackError(options.missing ?? `${command} is not installed`));
          return;
        }
        if (error.killed === true) {
          reject(
            new DevstackError(
              `${command} took longer than ${options.timeoutMs / 1000} s:\n${lastLines(output, 15)}`,
            ),
          );
          return;
        }
        resolve({
          code: typeof error.code === 'number' ? error.code : 1,
          output: output === '' ? errorMessage(error) : output,
        });
      },
    );
  });
}

function lastLines(text: string, count: number): string {
  return text
    .trimEnd()
    .split('\n')
    .slice(-count)
    .map((line) => `  ${line}`)
    .join('\n');
}
