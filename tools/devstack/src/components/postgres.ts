/**
 * PostgreSQL from the machine's binaries (Debian's /usr/lib/postgresql/<major>/bin), with its data
 * under .local/postgres. As root it runs as the `postgres` OS user, because initdb and postgres
 * refuse to run as root. With DATABASE_URL set it starts nothing and only checks that server.
 */
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import type { Component, StackPaths } from '../component';
import {
  databaseName,
  loadConfig,
  localDatabaseUrl,
  parseDatabaseUrl,
  redactDatabaseUrl,
  testDatabaseUrl,
  type DevstackConfig,
} from '../config';
import { DevstackError, errorMessage } from '../errors';
import { display, logFile } from '../paths';
import {
  assertPortFree,
  isPidAlive,
  livePid,
  spawnDetached,
  stopByPidFile,
  waitUntil,
} from '../process';
import { report } from '../report';

const START_TIMEOUT_MS = 30_000;
const MIN_MAJOR = 15;
const DEBIAN_ROOT = '/usr/lib/postgresql';
const INSTALL_HINT = 'apt-get install -y postgresql';
/** Unix socket paths are limited to 107 bytes (sun_path); longer ones make postgres fail at start. */
const MAX_SOCKET_PATH = 107;

// ---------------------------------------------------------------------------------------------
// finding the binaries (pure parts exported for tests)
// ---------------------------------------------------------------------------------------------

export interface PostgresInstall {
  readonly major: number;
  readonly binDir: string;
}

/** The installs with a usable major version, newest first. */
export function rankInstalls(installs: readonly PostgresInstall[]): PostgresInstall[] {
  return installs.filter((install) => install.major >= MIN_MAJOR).sort((a, b) => b.major - a.major);
}

/**
 * Which install serves a data directory: the one matching its PG_VERSION when the directory
 * exists (a data directory only opens with its own major version), else the newest.
 */
export function chooseInstall(
  installs: readonly PostgresInstall[],
  dataMajor: number | undefined,
): PostgresInstall {
  const ranked = rankInstalls(installs);
  const newest = ranked[0];
  if (newest === undefined) {
    throw new DevstackError(
      `no PostgreSQL ${MIN_MAJOR} or newer found in ${DEBIAN_ROOT}/*/bin: ${INSTALL_HINT} (or set POSTGRES_BIN, or DATABASE_URL to use a server you run)`,
    );
  }
  if (dataMajor === undefined) return newest;
  const matching = ranked.find((install) => install.major === dataMajor);
  if (matching !== undefined) return matching;
  throw new DevstackError(
    `.local/postgres/data was created by PostgreSQL ${dataMajor}, which is not installed (found ${ranked.map((i) => i.major).join(', ')}). ` +
      `Delete .local/postgres to start over with PostgreSQL ${newest.major}, or apt-get install -y postgresql-${dataMajor}.`,
  );
}

function hasServerBinaries(binDir: string): boolean {
  return ['initdb', 'postgres', 'pg_ctl'].every((name) => fs.existsSync(path.join(binDir, name)));
}

function discoverInstalls(config: DevstackConfig): PostgresInstall[] {
  if (config.postgres.binDir !== undefined) {
    const binDir = config.postgres.binDir;
    if (!hasServerBinaries(binDir))
      throw new DevstackError(`POSTGRES_BIN=${binDir} has no initdb, postgres and pg_ctl`);
    return [{ major: serverMajor(binDir), binDir }];
  }
  let entries: string[];
  try {
    entries = fs.readdirSync(DEBIAN_ROOT);
  } catch {
    return [];
  }
  return entries
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => ({ major: Number(entry), binDir: path.join(DEBIAN_ROOT, entry, 'bin') }))
    .filter((install) => hasServerBinaries(install.binDir));
}

/** 16 from `postgres (PostgreSQL) 16.4`. */
export function parseServerMajor(versionOutput: string): number | undefined {
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(versionOutput);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function serverMajor(binDir: string): number {
  const result = spawnSync(path.join(binDir, 'postgres'), ['--version'], { encoding: 'utf8' });
  const major = parseServerMajor(result.stdout);
  if (major === undefined)
    throw new DevstackError(`cannot tell the version of ${path.join(binDir, 'postgres')}`);
  return major;
}

// ---------------------------------------------------------------------------------------------
// the OS user
// ---------------------------------------------------------------------------------------------

interface OsUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** Parses one user out of /etc/passwd text. */
export function findPasswdUser(passwd: string, name: string): OsUser | undefined {
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (
      user === name &&
      uid !== undefined &&
      gid !== undefined &&
      /^\d+$/.test(uid) &&
      /^\d+$/.test(gid)
    ) {
      return { name, uid: Number(uid), gid: Number(gid) };
    }
  }
  return undefined;
}

/** undefined when we are not root (then the servers run as us); the `postgres` user when we are. */
function serverUser(): OsUser | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  let passwd = '';
  try {
    passwd = fs.readFileSync('/etc/passwd', 'utf8');
  } catch {
    // fall through to the error
  }
  const user = findPasswdUser(passwd, 'postgres');
  if (user === undefined || user.uid === 0) {
    throw new DevstackError(
      `running as root, and PostgreSQL refuses to run as root, but there is no (non-root) 'postgres' OS user to run it as: ${INSTALL_HINT} creates one`,
    );
  }
  return user;
}

function chownTree(target: string, user: OsUser): void {
  const stat = fs.lstatSync(target);
  if (stat.uid !== user.uid || stat.gid !== user.gid) fs.lchownSync(target, user.uid, user.gid);
  if (stat.isDirectory()) {
    for (const entry of fs.readdirSync(target)) chownTree(path.join(target, entry), user);
  }
}

function canWriteAs(user: OsUser, dir: string): boolean {
  const result = spawnSync('test', ['-w', dir, '-a', '-x', dir], { uid: user.uid, gid: user.gid });
  return result.status === 0;
}

/**
 * Makes sure `user` can reach `dir`: each ancestor that others cannot traverse gets o+x (traverse
 * only: no listing, no reading). Needed when the repository lives under e.g. /root (mode 700).
 */
function ensureReachable(user: OsUser, dir: string, paths: StackPaths): void {
  if (canWriteAs(user, dir)) return;
  const changed: string[] = [];
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(current, (mode & 0o7777) | 0o001);
      changed.push(current);
    }
    if (path.dirname(current) === current) break;
  }
  if (changed.length > 0) {
    report(
      `postgres: gave other users traverse-only permission (o+x) on ${changed.join(', ')} so the '${user.name}' user can reach ${display(paths, dir)}`,
    );
  }
  if (!canWriteAs(user, dir)) {
    throw new DevstackError(
      `the '${user.name}' OS user cannot write to ${dir} even after fixing permissions (a read-only or nosuid mount?)`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// talking to a server
// ---------------------------------------------------------------------------------------------

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: 3_000,
    application_name: 'knutepunkt-devstack',
  });
  client.on('error', () => undefined); // a dropped connection after connect must not crash us
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    return await withClient(
      url,
      async (client) => (await client.query('SELECT 1 AS ok')).rowCount === 1,
    );
  } catch {
    return false;
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function pgErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = error.code;
  return typeof code === 'string' ? code : undefined;
}

async function ensureDatabase(
  client: Client,
  name: string,
  owner: string | undefined,
): Promise<boolean> {
  const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if ((existing.rowCount ?? 0) > 0) return false;
  try {
    await client.query(
      `CREATE DATABASE ${quoteIdentifier(name)}${owner === undefined ? '' : ` OWNER ${quoteIdentifier(owner)}`}`,
    );
  } catch (error: unknown) {
    if (pgErrorCode(error) === '42P04') return false; // created meanwhile by a concurrent call
    throw error;
  }
  return true;
}

/**
 * Creates the application and test databases when missing (idempotent; cheap when they exist).
 * With DATABASE_URL: only the test database, and only a warning when we may not create it.
 */
export async function provisionDatabases(config: DevstackConfig = loadConfig()): Promise<void> {
  const pg = config.postgres;
  if (pg.externalUrl === undefined) {
    await withClient(localDatabaseUrl(config, 'postgres'), async (client) => {
      for (const name of [pg.database, pg.testDatabase]) {
        if (await ensureDatabase(client, name, pg.user))
          report(`postgres: created database ${name}`);
      }
    });
    return;
  }
  const testUrl = testDatabaseUrl(config);
  if (await answers(testUrl)) return;
  const main = parseDatabaseUrl(pg.externalUrl);
  const test = parseDatabaseUrl(testUrl);
  const testName = databaseName(test);
  if (main.host !== test.host) {
    report(
      `postgres: warning: the test database ${redactDatabaseUrl(testUrl)} does not answer, and it is on another server than DATABASE_URL`,
    );
    return;
  }
  try {
    await withClient(pg.externalUrl, async (client) => {
      if (await ensureDatabase(client, testName, undefined))
        report(`postgres: created test database ${testName} on ${main.host}`);
    });
  } catch (error: unknown) {
    report(
      `postgres: warning: could not create test database ${testName} on ${main.host}: ${errorMessage(error)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// the component
// ---------------------------------------------------------------------------------------------

interface PostgresDirs {
  readonly base: string;
  readonly data: string;
  readonly socket: string;
}

export function postgresDirs(paths: StackPaths): PostgresDirs {
  const base = path.join(paths.local, 'postgres');
  return { base, data: path.join(base, 'data'), socket: path.join(base, 'socket') };
}

function dataMajor(dirs: PostgresDirs): number | undefined {
  try {
    const text = fs.readFileSync(path.join(dirs.data, 'PG_VERSION'), 'utf8').trim();
    return /^\d+$/.test(text) ? Number(text) : undefined;
  } catch {
    return undefined;
  }
}

function serverUrl(config: DevstackConfig): string {
  return config.postgres.externalUrl ?? localDatabaseUrl(config, 'postgres');
}

export const postgres: Component = {
  name: 'postgres',
  dependsOn: [],

  isUp: () => answers(serverUrl(loadConfig())),

  async start(paths: StackPaths): Promise<void> {
    const config = loadConfig();
    if (config.postgres.externalUrl !== undefined) {
      await startExternal(config);
      return;
    }
    const log = logFile(paths, 'postgres');
    const url = localDatabaseUrl(config, 'postgres');
    const what = `PostgreSQL to answer on ${config.host}:${config.postgres.port}`;

    const running = livePid(paths, 'postgres');
    if (running !== undefined) {
      report(
        `postgres: pid ${running} from an earlier start is still running, waiting for it to answer`,
      );
      await waitUntil(() => answers(url), {
        what,
        timeoutMs: START_TIMEOUT_MS,
        pid: running,
        log,
        paths,
      });
      await provisionDatabases(config);
      return;
    }
    await assertPortFree(
      config.host,
      config.postgres.port,
      'PostgreSQL',
      'choose another port with POSTGRES_PORT=<port>, or set DATABASE_URL to use that server',
    );

    const dirs = postgresDirs(paths);
    const install = chooseInstall(discoverInstalls(config), dataMajor(dirs));
    const user = serverUser();
    prepareDirs(paths, dirs, user);
    await initdb(paths, dirs, install, user, config);
    removeStaleLockFiles(dirs, config);

    const socketPath = path.join(dirs.socket, `.s.PGSQL.${config.postgres.port}`);
    const socketDirs = Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH ? dirs.socket : '';
    if (socketDirs === '')
      report(`postgres: the repository path is too long for a unix socket, listening on TCP only`);

    report(
      `postgres: starting PostgreSQL ${install.major}${user === undefined ? '' : ` as OS user '${user.name}'`} (log: ${display(paths, log)})`,
    );
    // The server settings are passed on the command line so that POSTGRES_PORT applies at every start.
    const pid = await spawnDetached(paths, {
      name: 'postgres',
      command: path.join(install.binDir, 'postgres'),
      args: [
        '-D',
        dirs.data,
        '-c',
        `listen_addresses=${config.host}`,
        '-c',
        `port=${config.postgres.port}`,
        '-c',
        `unix_socket_directories=${socketDirs}`,
        // Five services with their pools plus parallel test workers outgrow the default 100.
        '-c',
        'max_connections=200',
      ],
      cwd: dirs.base,
      env: serverEnv(),
      ...(user === undefined ? {} : { uid: user.uid, gid: user.gid }),
    });
    await waitUntil(() => answers(url), { what, timeoutMs: START_TIMEOUT_MS, pid, log, paths });
    await provisionDatabases(config);
  },

  async stop(paths: StackPaths): Promise<void> {
    // SIGINT is PostgreSQL's "fast" shutdown (rolls back open transactions, disconnects clients);
    // SIGTERM ("smart") would wait for every connected service to hang up first. SIGQUIT
    // ("immediate") is the last resort before SIGKILL.
    await stopByPidFile(paths, 'postgres', {
      signal: 'SIGINT',
      graceMs: 30_000,
      killSignal: 'SIGQUIT',
    });
  },

  describe(): string {
    const config = loadConfig();
    const pg = config.postgres;
    if (pg.externalUrl !== undefined)
      return `external PostgreSQL from DATABASE_URL at ${redactDatabaseUrl(pg.externalUrl)}`;
    let version = '';
    try {
      version = ` ${rankInstalls(discoverInstalls(config))[0]?.major ?? ''}`.trimEnd();
    } catch {
      version = '';
    }
    return `PostgreSQL${version} at ${config.host}:${pg.port}, databases ${pg.database} and ${pg.testDatabase} (user ${pg.user})`;
  },
};

async function startExternal(config: DevstackConfig): Promise<void> {
  const url = config.postgres.externalUrl ?? '';
  try {
    await withClient(url, async (client) => client.query('SELECT 1'));
  } catch (error: unknown) {
    throw new DevstackError(
      `DATABASE_URL is set, so the devstack runs no PostgreSQL of its own, but ${redactDatabaseUrl(url)} does not answer: ${errorMessage(error)}. ` +
        `Start that server, or unset DATABASE_URL.`,
    );
  }
  await provisionDatabases(config);
}

/**
 * After a crash (kill -9, OOM), postmaster.pid and the socket's lock file stay behind. PostgreSQL
 * removes them itself only when their pid is gone; where nothing reaps orphans (a container whose
 * pid 1 is not an init) the dead postmaster lingers as a zombie, and PostgreSQL would refuse to
 * start ("lock file already exists"). A lock whose pid is dead or a zombie is removed here.
 */
function removeStaleLockFiles(dirs: PostgresDirs, config: DevstackConfig): void {
  const locks = [
    path.join(dirs.data, 'postmaster.pid'),
    path.join(dirs.socket, `.s.PGSQL.${config.postgres.port}.lock`),
  ];
  for (const lock of locks) {
    let text: string;
    try {
      text = fs.readFileSync(lock, 'utf8');
    } catch {
      continue;
    }
    const pid = Number((text.split('\n')[0] ?? '').trim());
    if (Number.isSafeInteger(pid) && pid > 0 && isPidAlive(pid)) continue;
    report(
      `postgres: removing ${path.basename(lock)} left by a PostgreSQL that is gone (pid ${pid})`,
    );
    fs.rmSync(lock, { force: true });
  }
}

/** The environment for initdb and postgres: ours minus PG* variables that would redirect them. */
function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('PG')) env[key] = value;
  }
  env['LC_ALL'] = 'C';
  return env;
}

function prepareDirs(paths: StackPaths, dirs: PostgresDirs, user: OsUser | undefined): void {
  fs.mkdirSync(dirs.base, { recursive: true });
  fs.mkdirSync(dirs.socket, { recursive: true });
  fs.chmodSync(dirs.base, 0o755); // others (e.g. root-owned tools, psql as another user) may reach the socket
  fs.chmodSync(dirs.socket, 0o755);
  if (user === undefined) return;
  // Owned by the server's user; chown whole trees only when they changed hands (e.g. first run as
  // an ordinary user, now as root).
  for (const dir of [dirs.base, dirs.socket, dirs.data]) {
    if (!fs.existsSync(dir)) continue;
    const stat = fs.statSync(dir);
    if (stat.uid !== user.uid) chownTree(dir, user);
  }
  ensureReachable(user, dirs.base, paths);
}

/** Creates the cluster once: the bootstrap superuser is the application's role (knutepunkt). */
async function initdb(
  paths: StackPaths,
  dirs: PostgresDirs,
  install: PostgresInstall,
  user: OsUser | undefined,
  config: DevstackConfig,
): Promise<void> {
  if (fs.existsSync(path.join(dirs.data, 'PG_VERSION'))) return;
  fs.rmSync(dirs.data, { recursive: true, force: true }); // a half-made cluster from an interrupted run
  report(
    `postgres: creating a PostgreSQL ${install.major} cluster in ${display(paths, dirs.data)}`,
  );
  const pwfile = path.join(dirs.base, '.initdb-password');
  fs.writeFileSync(pwfile, `${config.postgres.password}\n`, { mode: 0o600 });
  if (user !== undefined) fs.chownSync(pwfile, user.uid, user.gid);
  try {
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        path.join(install.binDir, 'initdb'),
        [
          '-D',
          dirs.data,
          '-U',
          config.postgres.user,
          `--pwfile=${pwfile}`,
          // Password over TCP (what the apps use); no password on the socket inside .local.
          '--auth-host=scram-sha-256',
          '--auth-local=trust',
          '--encoding=UTF8',
          '--no-locale',
        ],
        {
          cwd: dirs.base,
          env: serverEnv(),
          timeout: 120_000,
          ...(user === undefined ? {} : { uid: user.uid, gid: user.gid }),
        },
        (error, stdout, stderr) => {
          const text = `${stdout}${stderr}`;
          fs.appendFileSync(
            logFile(paths, 'postgres'),
            `\n--- devstack: ${new Date().toISOString()} initdb\n${text}`,
          );
          if (error === null) resolve(text);
          else
            reject(
              new DevstackError(
                `initdb failed: ${error.message}\n${text.trimEnd().split('\n').slice(-15).join('\n')}`,
              ),
            );
        },
      );
    });
    if (!fs.existsSync(path.join(dirs.data, 'PG_VERSION')))
      throw new DevstackError(`initdb made no cluster:\n${output}`);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}
