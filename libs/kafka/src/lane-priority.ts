/**
 * Alarms first inside one process (DESIGN.md "urgent lane", docs/adr/0014): the urgent lane's
 * consumer marks the batches it is handling, and the routine lane waits for its turn before
 * each chunk it handles. So while an alarm is on its way through this service, no new routine
 * work competes with it for the CPU, the connection pool or a database lock — a routine chunk
 * already running finishes first, which is why routine batches are handled in chunks.
 */
export class LanePriority {
  private urgentInFlight = 0;
  private waiting: (() => void)[] = [];

  /** Runs urgent work; routine chunks do not start until no urgent work is left. */
  async urgent<T>(work: () => Promise<T>): Promise<T> {
    this.urgentInFlight++;
    try {
      return await work();
    } finally {
      this.urgentInFlight--;
      if (this.urgentInFlight === 0) {
        const waiting = this.waiting;
        this.waiting = [];
        for (const resume of waiting) resume();
      }
    }
  }

  /** Resolves at once when no urgent work is running, else when the last of it has finished. */
  routineTurn(): Promise<void> {
    if (this.urgentInFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  get urgentBusy(): boolean {
    return this.urgentInFlight > 0;
  }
}

/** Consecutive slices of at most `size` elements (the routine lane's chunks). */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  if (size < 1) throw new Error(`chunk size must be at least 1, not ${String(size)}`);
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    chunks.push(items.slice(start, start + size));
  return chunks;
}
