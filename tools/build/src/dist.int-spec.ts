import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { aFreePort, eventually, integrationEnv } from '@knutepunkt/testing';
import { build, repoRoot, runtimeDataPaths } from './build';

/**
 * The services' image holds dist/ and node_modules, not the source tree
 * (deploy/image/Containerfile). These tests build into a folder outside the repository, next
 * to a node_modules link and nothing else, and run the built entry points from there the way
 * the chart does (`node dist/apps/<app>/src/main.js`, working directory = the folder): a data
 * file the build forgot to copy, or code finding its files through the source tree, fails here
 * and not in a pod.
 */

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface Started {
  readonly stop: () => Promise<Exit>;
  readonly exited: Promise<Exit>;
}

function start(cwd: string, args: readonly string[], env: Record<string, string>): Started {
  // Only what the chart gives a pod: no HOME, no repository paths, no NODE_OPTIONS from jest.
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) => {
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    exited,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

function* jsFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* jsFiles(path);
    else if (entry.name.endsWith('.js')) yield path;
  }
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

describe('dist/ run from a folder outside the repository', () => {
  let root: string;
  let dist: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'knutepunkt-dist-'));
    dist = join(root, 'dist');
    await build(dist);
    // The image's node_modules is the production install; here the repository's stands in
    // for it (the first test checks that nothing outside `dependencies` is required).
    symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('holds every runtime data file the build is told about', () => {
    for (const path of runtimeDataPaths) {
      expect(readdirSync(join(dist, path)).length).toBeGreaterThan(0);
    }
  });

  it('requires only Node built-ins, files of dist/ and the production dependencies', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const production = new Set(Object.keys(manifest.dependencies));
    const builtins = new Set(builtinModules);
    const problems: string[] = [];
    let required = 0;
    for (const file of jsFiles(dist)) {
      const code = readFileSync(file, 'utf8');
      for (const [, specifier = ''] of code.matchAll(/\brequire\("([^"]+)"\)/g)) {
        required += 1;
        const where = relative(root, file);
        if (specifier.startsWith('.')) {
          const target = join(dirname(file), specifier);
          const found = [`${target}.js`, target, join(target, 'index.js')].some(
            (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
          );
          if (!found) problems.push(`${where}: ${specifier} is not in dist/`);
        } else if (specifier.startsWith('node:') || builtins.has(specifier)) {
          continue;
        } else if (!production.has(packageOf(specifier))) {
          problems.push(`${where}: ${specifier} is not a production dependency`);
        }
      }
    }
    expect(required).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });

  /** The two apps that read the device templates: the normalizer loads them, ingest lists them. */
  const templateReaders = ['normalizer', 'ingest'] as const;
  const envOf = (port: number): Record<string, string> =>
    integrationEnv({
      PORT: String(port),
      // As in a pod: migrated by the hook, and the JWKS a mounted file (ingest's API).
      DATABASE_MIGRATIONS_RUN: 'false',
      AUTH_JWKS_FILE: join(root, 'jwks.json'),
    });

  it.each(templateReaders)(
    'boots %s from dist/ until it is ready, and stops it cleanly',
    async (app) => {
      writeFileSync(join(root, 'jwks.json'), JSON.stringify({ keys: [] }));
      const port = await aFreePort();
      const service = start(root, [`dist/apps/${app}/src/main.js`], envOf(port));
      try {
        const ready = await eventually(
          async () => {
            const response = await fetch(`http://127.0.0.1:${String(port)}/health/ready`);
            return response.status === 200 ? response.status : undefined;
          },
          60_000,
          250,
        );
        expect(ready).toBe(200);
      } finally {
        const exit = await service.stop();
        // Nest closes the app, then raises SIGTERM again on itself (enableShutdownHooks).
        expect(exit).toMatchObject({ code: null, signal: 'SIGTERM', stderr: '' });
      }
    },
  );

  it('migrates audit’s schema and runs the chain verification (the chart’s hook and CronJob) to a verdict', async () => {
    // On a fresh database (CI) the schema exists only after the migration hook has run.
    const migrated = await start(root, ['dist/apps/audit/src/main.js', 'migrate'], integrationEnv())
      .exited;
    expect(migrated).toMatchObject({ code: 0, stderr: '' });
    const exit = await start(root, ['dist/apps/audit/src/main.js', 'verify'], integrationEnv())
      .exited;
    // 0: the chain is intact, 1: broken (a tamper test may have left it so); 2 would mean it
    // could not be checked at all.
    expect(exit.stderr).toBe('');
    expect([0, 1]).toContain(exit.code);
    expect(exit.stdout).toMatch(/^audit chain (valid|BROKEN)/m);
  });

  it.each(templateReaders)(
    'refuses to start %s when the templates are missing from dist/',
    async (app) => {
      const templates = join(dist, 'apps/normalizer/templates');
      renameSync(templates, `${templates}.away`);
      try {
        const service = start(root, [`dist/apps/${app}/src/main.js`], envOf(await aFreePort()));
        // Were it to start anyway, it is stopped after a while, and exits 0: the test fails.
        const timer = setTimeout(() => void service.stop(), 60_000);
        const exit = await service.exited;
        clearTimeout(timer);
        expect(exit.code).not.toBe(0);
        expect(exit.stderr + exit.stdout).toContain('no device template folder');
      } finally {
        renameSync(`${templates}.away`, templates);
      }
    },
  );
});
