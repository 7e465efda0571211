/*
 * The short fault run CI does on every submission (`npm run chaos` is the long one): steady
 * simulated traffic while the Kafka broker is SIGKILLed and restarted, each service is
 * SIGKILLed and restarted in turn, and PostgreSQL is restarted.
 */
import { join } from 'node:path';
import { integrationEnv } from '@knutepunkt/testing';
import { runChaos } from './chaos';
import { formatChaosReport } from './report';

describe('faults lose nothing and duplicate nothing at the sinks', () => {
  it('accounts for every accepted submission after broker, service and database restarts', async () => {
    const report = await runChaos({
      env: integrationEnv({ LOG_LEVEL: 'warn' }),
      logDir: join(__dirname, '..', '..', '..', '.local', 'logs', 'chaos'),
      ratePerSecond: 3,
      settleMs: 4000,
      faults: ['kafka', 'services', 'postgres'],
      drainTimeoutMs: 240_000,
      log: () => undefined,
    });
    console.log(`chaos (short):\n${formatChaosReport(report)}`);

    expect(report.faultsInjected).toHaveLength(7);
    expect(report.crashed).toEqual([]);
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.outOfOrder).toEqual([]);
    expect(report.accepted).toBeGreaterThan(0);
    expect(report.journaled).toBeGreaterThan(0);
    expect(report.withheld).toBeGreaterThan(0);
    expect(report.journaled + report.withheld + report.failed).toBe(report.accepted);
    expect(report.refused).toBe(0);
    expect(report.givenUp).toBe(0);
    expect(report.accepted).toBe(report.sent);
  }, 900_000);
});
