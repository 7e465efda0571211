import { runReadinessChecks } from './readiness';

describe('runReadinessChecks', () => {
  it('is ready only when every check passes, naming the failing one', async () => {
    const report = await runReadinessChecks(
      [
        { name: 'kafka', check: async () => undefined },
        { name: 'database', check: async () => Promise.reject(new Error('connection refused')) },
      ],
      1000,
    );
    expect(report.ready).toBe(false);
    expect(report.checks).toEqual({
      kafka: { ok: true },
      database: { ok: false, error: 'connection refused' },
    });
  });

  it('treats a check that hangs as failed', async () => {
    const report = await runReadinessChecks(
      [{ name: 'kafka', check: () => new Promise<void>(() => undefined) }],
      20,
    );
    expect(report).toEqual({
      ready: false,
      checks: { kafka: { ok: false, error: 'no answer within 20 ms' } },
    });
  });
});
