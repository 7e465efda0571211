/**
 * Process helpers shared by every component: detached start with a pid file, waiting for a port
 * or a check, stopping by pid file, telling a live process from a stale pid file.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { StackPaths } from './component';
import { DevstackError, errorMessage } from './errors';
import { display, logFile, pidFile } from './paths';

// ---------------------------------------------------------------------------------------------
// pid files
// ---------------------------------------------------------------------------------------------

/**
 * What .local/run/<component>.pid holds: the pid on the first line, then `key=value` lines.
 * `start` is the process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat),
 * so a pid that the kernel has since given to another process is not mistaken for ours.
 */
export interface PidRecord {
  readonly pid: number;
  readonly startTicks?: number;
  readonly command?: string;
}

export function formatPidFile(record: PidRecord): string {
  const lines = [String(record.pid)];
  if (record.startTicks !== undefined) lines.push(`start=${record.startTicks}`);
  if (record.command !== undefined) lines.push(`command=${record.command.replace(/\s+/g, ' ')}`);
  return `${lines.join('\n')}\n`;
}

/** undefined for anything that is not a pid file we wrote (empty, garbage, pid ≤ 1). */
export function parsePidFile(text: string): PidRecord | undefined {
  const [first, ...rest] = text.split(/\r?\n/);
  const pidText = (first ?? '').trim();
  if (!/^\d+$/.test(pidText)) return undefined;
  const pid = Number(pidText);
  if (!Number.isSafeInteger(pid) || pid <= 1) return undefined;
  let startTicks: number | undefined;
  let command: string | undefined;
  for (const line of rest) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === 'start' && /^\d+$/.test(value)) startTicks = Number(value);
    if (key === 'command' && value !== '') command = value;
  }
  return {
    pid,
    ...(startTicks === undefined ? {} : { startTicks }),
    ...(command === undefined ? {} : { command }),
  };
}

export function readPidFile(paths: StackPaths, component: string): PidRecord | undefined {
  try {
    return parsePidFile(fs.readFileSync(pidFile(paths, component), 'utf8'));
  } catch (error: unknown) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}

export function writePidFile(paths: StackPaths, component: string, record: PidRecord): void {
  const target = pidFile(paths, component);
  const temporary = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, formatPidFile(record));
  fs.renameSync(temporary, target);
}

export function removePidFile(paths: StackPaths, component: string): void {
  fs.rmSync(pidFile(paths, component), { force: true });
}

/**
 * The pid of the component's process when its pid file names a live process that is the one we
 * started; a stale pid file (process gone, or pid reused) is deleted and undefined returned.
 */
export function livePid(paths: StackPaths, component: string): number | undefined {
  const record = readPidFile(paths, component);
  if (record === undefined) {
    removePidFile(paths, component); // absent or unreadable garbage
    return undefined;
  }
  if (isRecordAlive(record)) return record.pid;
  removePidFile(paths, component);
  return undefined;
}

export function isRecordAlive(record: PidRecord): boolean {
  if (!isPidAlive(record.pid)) return false;
  if (record.startTicks === undefined) return true;
  const ticks = processStartTicks(record.pid);
  return ticks === undefined || ticks === record.startTicks;
}

// ---------------------------------------------------------------------------------------------
// processes
// ---------------------------------------------------------------------------------------------

/** true while a process with this pid exists and is not a zombie (ours or another user's). */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error: unknown) {
    if (isErrno(error, 'EPERM')) return true; // exists, owned by someone else
    return false;
  }
  return procState(pid) !== 'Z';
}

/** Start time of a process in clock ticks since boot, from /proc (undefined off Linux). */
export function processStartTicks(pid: number): number | undefined {
  const fields = procStatFields(pid);
  const value = fields?.[19]; // field 22 of /proc/<pid>/stat; fields[] starts at field 3
  return value === undefined || !/^\d+$/.test(value) ? undefined : Number(value);
}

function procState(pid: number): string | undefined {
  return procStatFields(pid)?.[0];
}

/** /proc/<pid>/stat from field 3 on (the command name in field 2 may contain spaces and parentheses). */
export function parseProcStat(text: string): string[] | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  return text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
}

function procStatFields(pid: number): string[] | undefined {
  try {
    return parseProcStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

export interface SpawnDetachedOptions {
  /** the component's name: the log is .local/logs/<name>.log, the pid file .local/run/<name>.pid */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** run as this user and group (as root, for servers that refuse to run as root) */
  readonly uid?: number;
  readonly gid?: number;
}

/**
 * Starts a process that outlives us: its own process group, stdout and stderr appended to the
 * component's log, no handle keeping this Node process alive. Writes the pid file; returns the pid.
 */
export async function spawnDetached(
  paths: StackPaths,
  options: SpawnDetachedOptions,
): Promise<number> {
  const log = logFile(paths, options.name);
  fs.appendFileSync(
    log,
    `\n--- devstack: ${new Date().toISOString()} starting ${options.name}: ${options.command} ${options.args.join(' ')}\n`,
  );
  const fd = fs.openSync(log, 'a');
  try {
    const child = spawn(options.command, [...options.args], {
      detached: true,
      stdio: ['ignore', fd, fd],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      env: options.env ?? process.env,
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid }),
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error: Error) => {
        reject(
          new DevstackError(`${options.name}: cannot run ${options.command}: ${error.message}`),
        );
      });
    });
    const pid = child.pid;
    if (pid === undefined)
      throw new DevstackError(`${options.name}: ${options.command} did not start`);
    child.unref();
    const startTicks = processStartTicks(pid);
    writePidFile(paths, options.name, {
      pid,
      ...(startTicks === undefined ? {} : { startTicks }),
      command: options.command,
    });
    return pid;
  } finally {
    fs.closeSync(fd);
  }
}

export interface StopOptions {
  /** the polite signal (default SIGTERM) */
  readonly signal?: NodeJS.Signals;
  /** how long to wait after it before the final signal (default 15 s) */
  readonly graceMs?: number;
  /** the last resort (default SIGKILL) */
  readonly killSignal?: NodeJS.Signals;
}

/**
 * Stops the process named by the component's pid file, if it is alive and ours: the polite
 * signal, then after the grace period the final one (and SIGKILL if even that is ignored).
 * Removes the pid file. Resolves true when a process was stopped, false when there was none.
 */
export async function stopByPidFile(
  paths: StackPaths,
  component: string,
  options: StopOptions = {},
): Promise<boolean> {
  const pid = livePid(paths, component);
  if (pid === undefined) return false;
  const signals: [NodeJS.Signals, number][] = [
    [options.signal ?? 'SIGTERM', options.graceMs ?? 15_000],
    [options.killSignal ?? 'SIGKILL', 5_000],
  ];
  if (signals[1]?.[0] !== 'SIGKILL') signals.push(['SIGKILL', 5_000]);
  for (const [signal, waitMs] of signals) {
    if (!signalProcess(pid, signal)) break;
    if (await waitForExit(pid, waitMs)) break;
  }
  if (isPidAlive(pid))
    throw new DevstackError(`${component}: pid ${pid} did not stop even after SIGKILL`);
  removePidFile(paths, component);
  return true;
}

function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch (error: unknown) {
    if (isErrno(error, 'ESRCH')) return false;
    throw error;
  }
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isPidAlive(pid)) return true;
    await sleep(100);
  }
  return !isPidAlive(pid);
}

// ---------------------------------------------------------------------------------------------
// ports and readiness
// ---------------------------------------------------------------------------------------------

/** true when something accepts a TCP connection at host:port. */
export function isPortOpen(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean): void => {
      socket.removeAllListeners();
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => {
      done(false);
    });
    socket.once('connect', () => {
      done(true);
    });
    socket.once('error', () => {
      done(false);
    });
  });
}

export interface WaitOptions {
  /** what we wait for, for the error message: "kafka to answer on 127.0.0.1:9092" */
  readonly what: string;
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** give up at once (with the log's tail) when this process dies while we wait */
  readonly pid?: number;
  /** the log to quote when it fails */
  readonly log?: string;
  readonly paths?: StackPaths;
}

/** Polls `check` until it resolves true; throws a DevstackError with the log's tail on timeout or death. */
export async function waitUntil(
  check: () => Promise<boolean>,
  options: WaitOptions,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 250;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (options.pid !== undefined && !isPidAlive(options.pid)) {
      throw new DevstackError(
        `gave up waiting for ${options.what}: the process (pid ${options.pid}) exited${logHint(options)}`,
      );
    }
    if (Date.now() >= deadline) {
      throw new DevstackError(
        `gave up waiting for ${options.what} after ${Math.round(options.timeoutMs / 1000)} s${logHint(options)}`,
      );
    }
    await sleep(interval);
  }
}

/** Waits until host:port accepts connections. */
export function waitForPort(
  host: string,
  port: number,
  options: Omit<WaitOptions, 'what'> & { readonly what?: string },
): Promise<void> {
  return waitUntil(() => isPortOpen(host, port), {
    ...options,
    what: options.what ?? `${host}:${port} to accept connections`,
  });
}

function logHint(options: WaitOptions): string {
  if (options.log === undefined) return '';
  const where = options.paths === undefined ? options.log : display(options.paths, options.log);
  // Only what the current run wrote: from the last header spawnDetached put in the log.
  const full = tailFile(options.log, 40);
  const header = full.lastIndexOf('\n--- devstack: ');
  const tail = (header < 0 ? full : full.slice(header + 1)).split('\n').slice(-15).join('\n');
  return `. Last lines of ${where}:\n${tail === '' ? '  (empty)' : tail.replace(/^/gm, '  ')}`;
}

/** The last `lines` lines of a text file ('' when it does not exist). */
export function tailFile(file: string, lines: number): string {
  let text: string;
  try {
    const size = fs.statSync(file).size;
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, buffer, 0, length, size - length);
    } finally {
      fs.closeSync(fd);
    }
    text = buffer.toString('utf8');
  } catch {
    return '';
  }
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Throws a DevstackError naming the listener when host:port is already taken, so that a port in
 * use says so instead of surfacing later as a crash in the component's log. `remedy` completes
 * "stop it, or …", e.g. "choose another port with KAFKA_PORT=<port>".
 */
export async function assertPortFree(
  host: string,
  port: number,
  component: string,
  remedy: string,
): Promise<void> {
  if (!(await isPortOpen(host, port, 500))) return;
  const owner = describePortOwner(port);
  throw new DevstackError(
    `${host}:${port} is already in use by ${owner ?? 'another process'}, which is not a ${component} the devstack can use: stop it, or ${remedy}`,
  );
}

/** "pid 123 (java)" for the process listening on a TCP port, best effort, Linux only. */
export function describePortOwner(port: number): string | undefined {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const inode of listeningInodes(text, port)) inodes.add(inode);
  }
  if (inodes.size === 0) return undefined;
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const match = /^socket:\[(\d+)\]$/.exec(target);
      if (match?.[1] !== undefined && inodes.has(match[1])) {
        let name = '?';
        try {
          name = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
        } catch {
          // keep '?'
        }
        return `pid ${pid} (${name})`;
      }
    }
  }
  return undefined;
}

/** Socket inodes in LISTEN state (0A) on `port`, from the text of /proc/net/tcp or tcp6. */
export function listeningInodes(procNetTcp: string, port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const result: string[] = [];
  for (const line of procNetTcp.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    const state = fields[3];
    const inode = fields[9];
    if (local === undefined || state !== '0A' || inode === undefined) continue;
    if (local.split(':').pop()?.toUpperCase() === hexPort) result.push(inode);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// small things
// ---------------------------------------------------------------------------------------------

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}

export { errorMessage };
