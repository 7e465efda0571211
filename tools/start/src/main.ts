import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureStack } from '@knutepunkt/devstack';
import { localApps, type LocalApp } from './apps';
import { demo, onboardDemo } from './demo-onboarding';

const root = join(__dirname, '..', '..', '..');
const logs = join(root, '.local', 'logs');

/**
 * `npm start`: the local stack if it is not running, then the five services, each logging
 * to .local/logs/<app>.log, until every one answers /health/ready. Ctrl-C stops the services
 * (the stack keeps running; `npm run stack:down` stops it).
 */
async function main(): Promise<void> {
  const stack = await ensureStack();
  mkdirSync(logs, { recursive: true });
  const env = {
    ...process.env,
    KAFKA_BROKERS: stack.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
    DATABASE_URL: stack.databaseUrl,
  };
  const children = localApps.map((app) => startApp(app, env));
  const stop = () => {
    for (const child of children) child.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  for (const child of children) {
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGTERM' && code !== 0) {
        console.error(`a service exited (${signal ?? `code ${code ?? '?'}`}); see .local/logs/`);
        stop();
        process.exitCode = 1;
      }
    });
  }

  const started = Date.now();
  await Promise.all(localApps.map((app) => waitReady(app, 120_000)));
  await onboardDemo('http://127.0.0.1:3000');
  console.log(
    `\nKnutepunkt is running (all five services ready in ${((Date.now() - started) / 1000).toFixed(1)} s):\n`,
  );
  for (const app of localApps) {
    console.log(
      `  ${app.name.padEnd(15)} http://127.0.0.1:${app.port}   (/health/ready, /metrics; log .local/logs/${app.name}.log)`,
    );
  }
  console.log(
    `\n  onboarded       municipality ${demo.orgnr}, vendor client ${demo.vendor}, EPJ client ${demo.epj}`,
  );
  console.log(`\n  kafka           ${stack.kafkaBrokers.join(',')}`);
  console.log(`  schema registry ${stack.schemaRegistryUrl}`);
  console.log(`  postgresql      ${new URL(stack.databaseUrl).host}`);
  console.log('\nCtrl-C stops the services; `npm run stack:down` stops the stack.');
}

function startApp(app: LocalApp, env: NodeJS.ProcessEnv): ChildProcess {
  const log = createWriteStream(join(logs, `${app.name}.log`), { flags: 'a' });
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join('apps', app.name, 'src', 'main.ts')],
    {
      cwd: root,
      env: { ...env, PORT: String(app.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  return child;
}

async function waitReady(app: LocalApp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${app.port}/health/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(
        `${app.name} not ready within ${timeoutMs / 1000} s; see .local/logs/${app.name}.log`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
