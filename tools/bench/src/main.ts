import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import autocannon, { type Result } from 'autocannon';
import { issueToken } from '@knutepunkt/auth/testing';
import { ensureStack } from '@knutepunkt/devstack';
import { HubClient } from '@knutepunkt/platform';
import { alarmBundle, benchOrgnr } from './alarm-bundle';
import { benchE2e } from './e2e';
import { benchFhirStructure } from './fhir-structure';

const root = join(__dirname, '..', '..', '..');

interface Run {
  readonly name: string;
  readonly result: Result;
}

/**
 * `npm run bench -- ingest [--connections 32] [--seconds 10]`: sustained submissions per second
 * and latency for a ~3 KiB alarm Bundle against ingest on the real stack (token check, JSON
 * and structure checks, idempotency row in PostgreSQL, acks=all produce), beside the same load
 * on a bare Fastify handler that only parses the body (the framework's ceiling), in one run.
 * Every request carries a fresh Idempotency-Key, so each one is a new submission.
 */
async function benchIngest(connections: number, seconds: number): Promise<void> {
  const stack = await ensureStack();
  const token = await issueToken({ sub: 'bench-vendor', scope: 'knutepunkt:ingest.write' });
  const env = {
    ...process.env,
    KAFKA_BROKERS: stack.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
    DATABASE_URL: stack.testDatabaseUrl,
    KNUTEPUNKT_ENV: 'test',
    LOG_LEVEL: 'warn',
  };
  const bodies = Array.from({ length: 1000 }, (_, i) => alarmBundle(i));
  const bytes = bodies.reduce((sum, b) => sum + Buffer.byteLength(b), 0) / bodies.length;
  console.log(
    `ingest benchmark: ${connections} connections, ${seconds} s per target, alarm Bundle of ${Math.round(bytes)} bytes, ${process.env['HOSTNAME'] ?? 'this machine'}`,
  );

  const runs: Run[] = [];
  for (const target of [
    {
      name: 'bare Fastify (parse only)',
      port: 3901,
      args: ['-r', '@swc-node/register', 'tools/bench/src/bare-fastify.ts'],
      ready: '/fhir/x/y',
    },
    {
      name: 'ingest (full path)',
      port: 3900,
      args: ['-r', '@swc-node/register', 'apps/ingest/src/main.ts'],
      ready: '/health/ready',
    },
  ]) {
    const child = spawn(process.execPath, target.args, {
      cwd: root,
      env: { ...env, PORT: String(target.port) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    try {
      await waitUntilAnswering(`http://127.0.0.1:${target.port}${target.ready}`, 60_000);
      if (target.ready === '/health/ready') await onboardBench(`http://127.0.0.1:${target.port}`);
      let sequence = 0;
      const load = (duration: number) =>
        autocannon({
          url: `http://127.0.0.1:${target.port}/fhir/${benchOrgnr}/Bundle`,
          connections,
          duration,
          requests: [
            {
              method: 'POST',
              setupRequest: (request) => {
                sequence += 1;
                return {
                  ...request,
                  headers: {
                    authorization: `Bearer ${token}`,
                    'content-type': 'application/fhir+json',
                    'idempotency-key': `bench-${process.pid}-${target.port}-${sequence}`,
                  },
                  body: bodies[sequence % bodies.length] ?? '',
                };
              },
            },
          ],
        });
      await load(2); // warm-up: JIT, pools, the producer's first metadata round trips
      const result = await load(seconds);
      runs.push({ name: target.name, result });
      console.log(line(target.name, result));
    } finally {
      await stop(child);
    }
  }
  const [bare, ingest] = runs;
  if (bare && ingest) {
    console.log(
      `ratio ingest / bare Fastify: throughput ${(ingest.result.requests.average / bare.result.requests.average).toFixed(3)}, p50 latency ${(ingest.result.latency.p50 / Math.max(bare.result.latency.p50, 0.001)).toFixed(1)}×, p99 latency ${(ingest.result.latency.p99 / Math.max(bare.result.latency.p99, 0.001)).toFixed(1)}×`,
    );
  }
}

/** The bench municipality and vendor, with a rate the load cannot reach. */
async function onboardBench(ingestUrl: string): Promise<void> {
  const hub = new HubClient({ ingest: ingestUrl });
  await hub.onboardMunicipality(benchOrgnr, { name: 'Benchmark kommune' });
  await hub.onboardVendor('bench-vendor', benchOrgnr, {
    name: 'Benchmark vendor',
    services: ['TA'],
    ratePerSecond: 100_000,
  });
}

function line(name: string, r: Result): string {
  const non2xx = r.non2xx + r.errors + r.timeouts;
  return `${name.padEnd(28)} ${r.requests.average.toFixed(0).padStart(7)} req/s  p50 ${r.latency.p50.toFixed(1)} ms  p97.5 ${r.latency.p97_5.toFixed(1)} ms  p99 ${r.latency.p99.toFixed(1)} ms  (${r.requests.total} requests, ${non2xx} not 2xx/errors)`;
}

async function waitUntilAnswering(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, {
        method: url.endsWith('/health/ready') ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: url.endsWith('/health/ready') ? null : '{}',
      });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function option(args: readonly string[], name: string, fallback: number, least = 1): number {
  const index = args.indexOf(`--${name}`);
  const value = index >= 0 ? Number(args[index + 1]) : fallback;
  if (!Number.isFinite(value) || value < least)
    throw new Error(`--${name} wants a number from ${String(least)}`);
  return value;
}

async function main(args: readonly string[]): Promise<void> {
  const [which] = args;
  switch (which ?? '') {
    case 'ingest':
      await benchIngest(option(args, 'connections', 32), option(args, 'seconds', 10));
      return;
    case 'e2e': {
      const index = args.indexOf('--rates');
      const rates = (index >= 0 ? (args[index + 1] ?? '') : '5,10,20,40,80').split(',').map(Number);
      await benchE2e(rates, option(args, 'seconds', 20), {
        records: option(args, 'backlog', 100_000, 0),
        alarms: option(args, 'alarms', 20),
      });
      return;
    }
    case 'fhir-structure':
      benchFhirStructure(option(args, 'iterations', 5000));
      return;
    default:
      throw new Error(
        'usage: npm run bench -- ingest [--connections N] [--seconds N] | e2e [--rates 5,10,20] [--seconds N] [--backlog N] [--alarms N] | fhir-structure [--iterations N]',
      );
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
