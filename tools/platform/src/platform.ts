import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { localApps, type AppName } from './apps';
import { aFreePort } from '@knutepunkt/testing';

const root = join(__dirname, '..', '..', '..');

export interface PlatformOptions {
  /** The services' environment (Kafka, registry, database…), on top of this process's. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where each service appends its log, as `<app>.log`. */
  readonly logDir: string;
  /** `local`: DESIGN.md's default ports (3000–3004), as `npm start`; `free`: any free ports. */
  readonly ports: 'local' | 'free';
  /** Only these services (default: all five). */
  readonly only?: readonly AppName[];
  /** How long a service may take to answer /health/ready (default 120 s). */
  readonly readyTimeoutMs?: number;
  /** Called when a service that was ready exits without being asked to. */
  readonly onUnexpectedExit?: (app: AppName, how: string) => void;
}

interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  /** Set once it answered /health/ready: an exit before is start()'s error to report. */
  ready: boolean;
  hasExited: boolean;
  expectedExit: boolean;
}

/**
 * The five services as separate processes, the way they run in production: each is its own
 * `main.ts` with its own Kafka clients and database pool, so a test can SIGKILL one mid-batch
 * and start it again. `npm start`, the end-to-end tests, the simulator and the chaos run share it.
 */
export class Platform {
  private readonly running = new Map<AppName, Running>();

  private constructor(
    private readonly options: PlatformOptions,
    private readonly ports: ReadonlyMap<AppName, number>,
  ) {}

  static async start(options: PlatformOptions): Promise<Platform> {
    mkdirSync(options.logDir, { recursive: true });
    // As the Helm hook Jobs do before a rollout: on a fresh broker and registry, services
    // starting side by side raced to create the same topics and to register the same subjects
    // (Apicurio then kept a subject without its BACKWARD setting, and every later registration
    // of it was refused).
    for (const step of ['topics', 'schemas']) await runCatalog(step, options);
    const ports = new Map<AppName, number>();
    for (const app of localApps) {
      ports.set(app.name, options.ports === 'local' ? app.port : await aFreePort());
    }
    const platform = new Platform(options, ports);
    const apps = options.only ?? localApps.map((app) => app.name);
    try {
      await Promise.all(apps.map((app) => platform.startApp(app)));
    } catch (error) {
      await platform.stop();
      throw error;
    }
    return platform;
  }

  url(app: AppName): string {
    return `http://127.0.0.1:${String(this.portOf(app))}`;
  }

  /** Starts `app` (again) on its port and resolves when it answers /health/ready. */
  async startApp(app: AppName): Promise<void> {
    if (this.running.has(app)) throw new Error(`${app} is already running`);
    const log = createWriteStream(join(this.options.logDir, `${app}.log`), { flags: 'a' });
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join('apps', app, 'src', 'main.ts')],
      {
        cwd: root,
        env: { ...process.env, ...this.options.env, PORT: String(this.portOf(app)) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    const entry: Running = {
      child,
      ready: false,
      hasExited: false,
      expectedExit: false,
      exited: new Promise((resolve) => {
        child.once('exit', (code, signal) => {
          this.running.delete(app);
          entry.hasExited = true;
          if (entry.ready && !entry.expectedExit) {
            this.options.onUnexpectedExit?.(app, signal ?? `code ${String(code ?? '?')}`);
          }
          resolve();
        });
      }),
    };
    this.running.set(app, entry);
    await this.waitReady(app, entry);
    entry.ready = true;
  }

  /** Sends `signal` to `app` and resolves once it has exited. */
  async stopApp(app: AppName, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const entry = this.running.get(app);
    if (!entry) return;
    entry.expectedExit = true;
    entry.child.kill(signal);
    const forced = setTimeout(() => entry.child.kill('SIGKILL'), 30_000);
    await entry.exited;
    clearTimeout(forced);
  }

  /** Every service, gracefully (SIGTERM, SIGKILL after 30 s). */
  async stop(): Promise<void> {
    await Promise.all([...this.running.keys()].map((app) => this.stopApp(app)));
  }

  private portOf(app: AppName): number {
    const port = this.ports.get(app);
    if (port === undefined) throw new Error(`unknown app ${app}`);
    return port;
  }

  private async waitReady(app: AppName, entry: Running): Promise<void> {
    const timeoutMs = this.options.readyTimeoutMs ?? 120_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (entry.hasExited) {
        throw new Error(`${app} exited while starting; see ${this.logOf(app)}`);
      }
      try {
        const response = await fetch(`${this.url(app)}/health/ready`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${app} not ready within ${String(timeoutMs / 1000)} s; see ${this.logOf(app)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  private logOf(app: AppName): string {
    return join(this.options.logDir, `${app}.log`);
  }
}

/** `tools/catalog` (topics or schemas) with the services' environment; rejects unless it exits 0. */
function runCatalog(step: string, options: PlatformOptions): Promise<void> {
  const log = createWriteStream(join(options.logDir, 'catalog.log'), { flags: 'a' });
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join('tools', 'catalog', 'src', 'main.ts'), step],
    { cwd: root, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `catalog ${step} exited ${String(code)}; see ${join(options.logDir, 'catalog.log')}`,
          ),
        );
    });
  });
}
