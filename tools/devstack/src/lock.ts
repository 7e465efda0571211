import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StackPaths } from './component';
import { DevstackError } from './errors';
import {
  isErrno,
  isRecordAlive,
  parsePidFile,
  processStartTicks,
  sleep,
  formatPidFile,
} from './process';

let inProcess: Promise<unknown> = Promise.resolve();

/**
 * Runs `fn` while holding .local/run/devstack.lock, so that two `stack:up`s (two terminals, or
 * several jest runs' globalSetup at once) never start a second Kafka on top of the first. A lock
 * left by a process that is gone is taken over. Calls from the same Node process queue up.
 */
export function withStackLock<T>(
  paths: StackPaths,
  fn: () => Promise<T>,
  timeoutMs = 300_000,
): Promise<T> {
  const run = inProcess.then(
    () => lockedRun(paths, fn, timeoutMs),
    () => lockedRun(paths, fn, timeoutMs),
  );
  inProcess = run.catch(() => undefined);
  return run;
}

async function lockedRun<T>(
  paths: StackPaths,
  fn: () => Promise<T>,
  timeoutMs: number,
): Promise<T> {
  const file = path.join(paths.run, 'devstack.lock');
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    if (tryAcquire(file)) break;
    const holder = readHolder(file);
    if (holder === undefined || !isRecordAlive(holder)) {
      fs.rmSync(file, { force: true }); // stale: its process is gone
      continue;
    }
    if (Date.now() >= deadline) {
      throw new DevstackError(
        `another devstack (pid ${holder.pid}) has held ${file} for over ${timeoutMs / 1000} s`,
      );
    }
    if (!announced) {
      process.stderr.write(
        `devstack: waiting for another devstack command (pid ${holder.pid}) to finish\n`,
      );
      announced = true;
    }
    await sleep(250);
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(file, { force: true });
  }
}

function tryAcquire(file: string): boolean {
  const ticks = processStartTicks(process.pid);
  try {
    fs.writeFileSync(
      file,
      formatPidFile({
        pid: process.pid,
        ...(ticks === undefined ? {} : { startTicks: ticks }),
        command: 'devstack',
      }),
      { flag: 'wx' },
    );
    return true;
  } catch (error: unknown) {
    if (isErrno(error, 'EEXIST')) return false;
    throw error;
  }
}

function readHolder(file: string): ReturnType<typeof parsePidFile> {
  try {
    return parsePidFile(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
