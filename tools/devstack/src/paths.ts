import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StackPaths } from './component';
import { DevstackError } from './errors';

/** The folder holding nx.json, found by walking up from `start`. */
export function findRepoRoot(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'nx.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new DevstackError(
        `no nx.json above ${start}: run the devstack inside the Knutepunkt repository`,
      );
    dir = parent;
  }
}

/** The stack's folders under <repo>/.local, created when missing. */
export function stackPaths(root: string = findRepoRoot()): StackPaths {
  const local = path.join(root, '.local');
  const paths: StackPaths = {
    root,
    local,
    logs: path.join(local, 'logs'),
    run: path.join(local, 'run'),
  };
  for (const dir of [paths.local, paths.logs, paths.run]) fs.mkdirSync(dir, { recursive: true });
  return paths;
}

export function logFile(paths: StackPaths, component: string): string {
  return path.join(paths.logs, `${component}.log`);
}

export function pidFile(paths: StackPaths, component: string): string {
  return path.join(paths.run, `${component}.pid`);
}

/** A path as people read it: relative to the repository root. */
export function display(paths: StackPaths, target: string): string {
  const relative = path.relative(paths.root, target);
  return relative.startsWith('..') ? target : relative;
}
