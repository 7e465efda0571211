export interface Patience {
  /** Give up (rethrow the last error) once this much time has passed. */
  readonly withinMs: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  readonly onRetry?: (error: unknown, attempt: number) => void;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` again after a failure, with growing pauses, for up to `withinMs`. The writes of a
 * consumed batch fail for infrastructure reasons only (the records were validated by their
 * schema): a database restart or a broker election should delay the batch, not use up the
 * consumer's few attempts and dead-letter consented events. Waits stay well under the
 * consumer's 30 s session timeout; the consumer's own retries (with heartbeats) come after.
 */
export async function withPatience<T>(work: () => Promise<T>, patience: Patience): Promise<T> {
  const sleep = patience.sleep ?? realSleep;
  const now = patience.now ?? Date.now;
  const deadline = now() + patience.withinMs;
  let delay = patience.initialDelayMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (now() + delay > deadline) throw error;
      patience.onRetry?.(error, attempt);
      await sleep(delay);
      delay = Math.min(delay * 2, patience.maxDelayMs);
    }
  }
}
