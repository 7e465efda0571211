import { ServiceMetrics } from '@knutepunkt/observability';
import { JournalMetrics, OldestEntriesCache } from './journal-metrics';
import type { OldestWaiting } from './persistence/journal-store';

const minutesAgo = (minutes: number): Date => new Date(Date.now() - minutes * 60_000);

describe('OldestEntriesCache', () => {
  it('holds nothing before the first refresh and what the last refresh found after it', async () => {
    const found: OldestWaiting[] = [
      { orgnr: '111111111', oldestUnacknowledgedAt: minutesAgo(3), oldestUnreadAt: null },
    ];
    const cache = new OldestEntriesCache(() => Promise.resolve(found), 60_000);
    expect(cache.current()).toBeUndefined();
    await cache.refresh();
    expect(cache.current()).toEqual(found);
  });

  it('keeps the last values when a refresh fails', async () => {
    let fail = false;
    const found: OldestWaiting[] = [
      { orgnr: '111111111', oldestUnacknowledgedAt: minutesAgo(3), oldestUnreadAt: null },
    ];
    const cache = new OldestEntriesCache(
      () => (fail ? Promise.reject(new Error('database away')) : Promise.resolve(found)),
      60_000,
    );
    await cache.refresh();
    fail = true;
    await cache.refresh();
    expect(cache.current()).toEqual(found);
  });

  it('runs one query at a time however often it is asked', async () => {
    let queries = 0;
    let finish: (rows: OldestWaiting[]) => void = () => undefined;
    const cache = new OldestEntriesCache(() => {
      queries += 1;
      return new Promise<OldestWaiting[]>((resolve) => {
        finish = resolve;
      });
    }, 60_000);
    const first = cache.refresh();
    const second = cache.refresh();
    finish([]);
    await Promise.all([first, second]);
    expect(queries).toBe(1);
  });

  it('refreshes at start and on its timer until stopped', async () => {
    jest.useFakeTimers();
    try {
      let queries = 0;
      const cache = new OldestEntriesCache(() => {
        queries += 1;
        return Promise.resolve([]);
      }, 15_000);
      cache.start();
      await jest.advanceTimersByTimeAsync(0);
      expect(queries).toBe(1);
      await jest.advanceTimersByTimeAsync(30_000);
      expect(queries).toBe(3);
      await cache.stop();
      await jest.advanceTimersByTimeAsync(60_000);
      expect(queries).toBe(3);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('the oldest-entry gauges', () => {
  it('show the ages of the cached entries at scrape time, without asking the database', async () => {
    const metrics = new ServiceMetrics('journal-writer');
    let rows: readonly OldestWaiting[] | undefined = [
      { orgnr: '111111111', oldestUnacknowledgedAt: minutesAgo(10), oldestUnreadAt: minutesAgo(2) },
      { orgnr: '222222222', oldestUnacknowledgedAt: minutesAgo(1), oldestUnreadAt: null },
    ];
    new JournalMetrics(
      metrics,
      () => rows,
      () => ['111111111', '222222222', '333333333'],
    );
    const values = async (name: string): Promise<Record<string, number>> => {
      const metric = await metrics.registry.getSingleMetric(name)?.get();
      return Object.fromEntries(
        (metric?.values ?? []).map((v) => [String(v.labels['orgnr']), Math.round(v.value)]),
      );
    };
    const p = 'knutepunkt_journal_writer_';
    expect(await values(`${p}oldest_unacknowledged_entry_age_seconds`)).toEqual({
      '111111111': 600,
      '222222222': 60,
      '333333333': 0,
    });
    // A municipality whose EPJ has read everything shows 0: measured, nothing waits.
    expect(await values(`${p}oldest_unread_entry_age_seconds`)).toEqual({
      '111111111': 120,
      '222222222': 0,
      '333333333': 0,
    });

    rows = [];
    expect(await values(`${p}oldest_unacknowledged_entry_age_seconds`)).toEqual({
      '111111111': 0,
      '222222222': 0,
      '333333333': 0,
    });
    // Not measured yet (before the first refresh after a start): no series at all.
    rows = undefined;
    expect(await values(`${p}oldest_unacknowledged_entry_age_seconds`)).toEqual({});
  });
});
