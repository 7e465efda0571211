export interface RetryPolicy {
  /** Attempts per message (or batch) before it is dead-lettered; 1 means no retry. */
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  initialBackoffMs: 200,
  maxBackoffMs: 10_000,
};

/**
 * Exponential backoff with full jitter before attempt `attempt + 1` (attempt counts from 1).
 * Five attempts at the defaults wait at most 0.2 + 0.4 + 0.8 + 1.6 s, so a poison message
 * leaves its partition within seconds, well inside the 60 s the reliability goals allow.
 */
export function backoffMs(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
