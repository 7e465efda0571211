import { withPatience } from './with-patience';

function clock() {
  let time = 0;
  const slept: number[] = [];
  return {
    now: () => time,
    sleep: (ms: number) => {
      slept.push(ms);
      time += ms;
      return Promise.resolve();
    },
    slept,
  };
}

describe('withPatience', () => {
  it('returns what the work gives once it succeeds, after growing pauses', async () => {
    const c = clock();
    let calls = 0;
    const value = await withPatience(
      () => (++calls < 4 ? Promise.reject(new Error('database restarting')) : Promise.resolve(42)),
      { withinMs: 10_000, initialDelayMs: 100, maxDelayMs: 300, sleep: c.sleep, now: c.now },
    );
    expect(value).toBe(42);
    expect(c.slept).toEqual([100, 200, 300]);
  });

  it('rethrows the last error when the time is up', async () => {
    const c = clock();
    await expect(
      withPatience(() => Promise.reject(new Error('still down')), {
        withinMs: 1_000,
        initialDelayMs: 100,
        maxDelayMs: 400,
        sleep: c.sleep,
        now: c.now,
      }),
    ).rejects.toThrow('still down');
    expect(c.slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1_000);
  });
});
