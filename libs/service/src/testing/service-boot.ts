import { integrationEnv } from '@knutepunkt/testing';
import { runService, type RunningService, type ServiceDefinition } from '../bootstrap';

/** Boots an app as its main.ts does, on a free port, against the local stack and test database. */
export function startServiceForTest(
  definition: ServiceDefinition,
  overrides: Record<string, string> = {},
): Promise<RunningService> {
  return runService(definition, integrationEnv(overrides));
}

/**
 * The boot contract every app keeps (DESIGN.md "Services"): it starts against the real
 * Kafka, schema registry and PostgreSQL; `/health/live` answers; `/health/ready` is 200 with
 * every dependency checked; `/metrics` exposes the app's own prefixed metrics.
 */
export function describeServiceBoot(definition: ServiceDefinition): void {
  describe(`${definition.app} boot`, () => {
    let service: RunningService | undefined;

    beforeAll(async () => {
      service = await startServiceForTest(definition);
    });

    afterAll(async () => {
      await service?.close();
    });

    const get = (path: string) => fetch(`${service?.url ?? ''}${path}`);

    it('is live', async () => {
      const response = await get('/health/live');
      expect(response.status).toBe(200);
    });

    it('is ready, having checked Kafka and (where it has one) its database', async () => {
      const response = await get('/health/ready');
      const body = (await response.json()) as {
        status: string;
        checks: Record<string, { ok: boolean }>;
      };
      expect(response.status).toBe(200);
      const expected = definition.database ? ['database', 'kafka'] : ['kafka'];
      expect(Object.keys(body.checks).sort()).toEqual(expected);
      expect(Object.values(body.checks).every((c) => c.ok)).toBe(true);
    });

    it('exposes its metrics, counting the requests it served', async () => {
      await get('/health/live');
      const response = await get('/metrics');
      const text = await response.text();
      const prefix = `knutepunkt_${definition.app.replace(/-/g, '_')}_`;
      expect(response.headers.get('content-type')).toContain('text/plain');
      expect(text).toMatch(
        new RegExp(`${prefix}http_requests_total\\{method="GET",route="/health/live",status="200"`),
      );
      expect(text).toContain('process_resident_memory_bytes');
    });

    it('answers an unknown route with 404 and a request id', async () => {
      const response = await get('/no-such-route');
      expect(response.status).toBe(404);
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
}
