// A relative import: jest's moduleNameMapper does not apply to the global setup.
import { ensureStack } from '../devstack/src';

/** Brings the local stack up (a no-op when it runs) and hands its addresses to the tests. */
export default async function globalSetup(): Promise<void> {
  const stack = await ensureStack();
  process.env['KAFKA_BROKERS'] = stack.kafkaBrokers.join(',');
  process.env['SCHEMA_REGISTRY_URL'] = stack.schemaRegistryUrl;
  process.env['TEST_DATABASE_URL'] = stack.testDatabaseUrl;
  if (stack.startedNow.length > 0)
    console.log(`\nstarted for this test run: ${stack.startedNow.join(', ')}`);
}
