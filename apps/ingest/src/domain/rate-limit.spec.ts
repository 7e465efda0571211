import { RateLimiter } from './rate-limit';

describe('RateLimiter', () => {
  it('lets a client burst up to its rate, then refuses until tokens refill', () => {
    const limiter = new RateLimiter();
    const results = Array.from({ length: 6 }, () => limiter.take('a', 5, 1_000).ok);
    expect(results).toEqual([true, true, true, true, true, false]);
    expect(limiter.take('a', 5, 1_100).ok).toBe(false);
    expect(limiter.take('a', 5, 1_200).ok).toBe(true);
  });

  it('keeps each client to its own bucket', () => {
    const limiter = new RateLimiter();
    expect(limiter.take('a', 1, 0).ok).toBe(true);
    expect(limiter.take('a', 1, 0).ok).toBe(false);
    expect(limiter.take('b', 1, 0).ok).toBe(true);
  });

  it('says how long to wait, in whole seconds, for a slow rate', () => {
    const limiter = new RateLimiter();
    expect(limiter.take('slow', 0.1, 0).ok).toBe(true);
    expect(limiter.take('slow', 0.1, 0)).toEqual({ ok: false, retryAfterSeconds: 10 });
    expect(limiter.take('slow', 0.1, 5_000)).toEqual({ ok: false, retryAfterSeconds: 5 });
  });

  it('refuses a client whose rate is zero', () => {
    expect(new RateLimiter().take('off', 0, 0).ok).toBe(false);
  });
});
