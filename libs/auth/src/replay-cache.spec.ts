import { InMemoryReplayCache, ReplayCacheFullError, replayKey } from './replay-cache';

describe('InMemoryReplayCache', () => {
  it('says a key is new once, then seen until it expires', async () => {
    let now = 1_000;
    const cache = new InMemoryReplayCache({ now: () => now });
    await expect(cache.seen('k', 2_000)).resolves.toBe(false);
    await expect(cache.seen('k', 2_000)).resolves.toBe(true);
    now = 1_999;
    await expect(cache.seen('k', 2_000)).resolves.toBe(true);
    now = 2_000;
    await expect(cache.seen('k', 3_000)).resolves.toBe(false);
  });

  it('drops expired entries as time passes', async () => {
    let now = 0;
    const cache = new InMemoryReplayCache({ now: () => now });
    for (let i = 0; i < 10; i += 1) await cache.seen(`k${i}`, 100 + i);
    expect(cache.size).toBe(10);
    now = 105;
    await cache.seen('fresh', 500);
    expect(cache.size).toBe(5);
  });

  it('refuses rather than forget a live entry when full, and recovers once entries expire', async () => {
    let now = 0;
    const cache = new InMemoryReplayCache({ maxEntries: 3, now: () => now });
    // Out of expiry order, so the cheap front-drop cannot free anything.
    await cache.seen('a', 1_000);
    await cache.seen('b', 100);
    await cache.seen('c', 1_000);
    await expect(cache.seen('d', 1_000)).rejects.toBeInstanceOf(ReplayCacheFullError);
    await expect(cache.seen('a', 1_000)).resolves.toBe(true);
    now = 200;
    await expect(cache.seen('d', 1_000)).resolves.toBe(false);
    expect(cache.size).toBe(3);
  });
});

describe('replayKey', () => {
  it('is a fixed-size hash that separates target URIs and jtis', () => {
    const key = replayKey('https://a.test/x', 'jti-1');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(replayKey('https://a.test/x', 'jti-1')).toBe(key);
    expect(replayKey('https://a.test/y', 'jti-1')).not.toBe(key);
    expect(replayKey('https://a.test/x', 'jti-2')).not.toBe(key);
    expect(replayKey('https://a.test/x\njti', '1')).not.toBe(
      replayKey('https://a.test/x', 'jti\n1'),
    );
  });
});
