/**
 * Against the real local stack: `up` is idempotent. Starts whatever is not running (the first
 * run on a fresh machine downloads Kafka: allow minutes), then proves that a second `up`
 * starts nothing and leaves every component up, with the same processes.
 *
 *   npx jest --config tools/devstack/jest.config.js --testMatch '**\/devstack.int-spec.ts'
 */
import { Client } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { ensureStack, stackStatus, type ComponentState, type StackInfo } from './index';

jest.setTimeout(300_000);

const quiet = (): void => undefined;

function pids(states: readonly ComponentState[]): Record<string, number | undefined> {
  return Object.fromEntries(states.map((state) => [state.name, state.pid]));
}

async function expectUsable(info: StackInfo): Promise<void> {
  const client = new Client({ connectionString: info.testDatabaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ db: string }>('SELECT current_database() AS db');
    expect(result.rows[0]?.db).toMatch(/_test$/);
  } finally {
    await client.end();
  }
  const admin = new Kafka({
    clientId: 'devstack-int-spec',
    brokers: info.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    expect((await admin.describeCluster()).brokers.length).toBe(1);
  } finally {
    await admin.disconnect();
  }
}

describe.each([
  ['Kafka and PostgreSQL', ['kafka', 'postgres']],
  ['the whole stack, schema registry included', []],
])('up twice: %s', (_label: string, components: string[]) => {
  it('the second up starts nothing and everything stays up with the same processes', async () => {
    const first = await ensureStack({ components, reporter: quiet });
    const before = await stackStatus({ components });
    expect(before.filter((state) => !state.up)).toEqual([]);

    const second = await ensureStack({ components, reporter: quiet });
    expect(second.startedNow).toEqual([]);
    expect(second).toEqual({ ...first, startedNow: [] });

    const after = await stackStatus({ components });
    expect(after.filter((state) => !state.up)).toEqual([]);
    expect(pids(after)).toEqual(pids(before));

    await expectUsable(second);
  });
});
