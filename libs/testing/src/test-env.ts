/**
 * The environment an integration test hands to the code under test: the local stack's
 * addresses (set by the integration run's global setup) and a database whose name says
 * test. Refusing any other database keeps a stray test run away from real data.
 */
export function integrationEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const databaseUrl =
    process.env['TEST_DATABASE_URL'] ??
    'postgres://knutepunkt:knutepunkt@127.0.0.1:5432/knutepunkt_test';
  assertTestDatabase(databaseUrl);
  return {
    KNUTEPUNKT_ENV: 'test',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'error',
    KAFKA_BROKERS: process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092',
    SCHEMA_REGISTRY_URL:
      process.env['SCHEMA_REGISTRY_URL'] ?? 'http://127.0.0.1:8081/apis/ccompat/v7',
    DATABASE_URL: databaseUrl,
    PORT: '0',
    ...overrides,
  };
}

export function assertTestDatabase(databaseUrl: string): void {
  const name = new URL(databaseUrl).pathname.replace(/^\//, '');
  if (!/test/i.test(name)) {
    throw new Error(`integration tests refuse database "${name}": its name must contain "test"`);
  }
}

/** A name no other test run uses, for topics and consumer groups made by one test. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Polls `probe` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `condition not met within ${timeoutMs} ms${lastError instanceof Error ? `: ${lastError.message}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
