/*
 * npm run chaos -- [--rate 5] [--settle 20] [--faults kafka,services,postgres]
 *
 * Starts the stack if needed and the five services as processes (free ports, the test
 * database), sends simulated traffic and injects the faults (tools/chaos/src/chaos.ts), then
 * prints the counts. Exits 1 when anything was lost, duplicated, out of order or crashed.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureStack } from '@knutepunkt/devstack';
import { integrationEnv } from '@knutepunkt/testing';
import { runChaos, type Fault } from './chaos';
import { formatChaosReport } from './report';

const faults: readonly Fault[] = ['kafka', 'services', 'postgres'];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '5' },
      settle: { type: 'string', default: '20' },
      faults: { type: 'string', default: faults.join(',') },
    },
  });
  const chosen = values.faults.split(',').filter((f): f is Fault => faults.includes(f as Fault));
  const stack = await ensureStack();
  const report = await runChaos({
    env: integrationEnv({
      KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
      DATABASE_URL: stack.testDatabaseUrl,
      LOG_LEVEL: 'warn',
    }),
    logDir: join(__dirname, '..', '..', '..', '.local', 'logs', 'chaos'),
    ratePerSecond: Number(values.rate),
    settleMs: Number(values.settle) * 1000,
    faults: chosen,
    drainTimeoutMs: 300_000,
  });
  console.log(formatChaosReport(report));
  const clean =
    report.lost.length === 0 &&
    report.duplicated.length === 0 &&
    report.outOfOrder.length === 0 &&
    report.crashed.length === 0;
  process.exitCode = clean ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
