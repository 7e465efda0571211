/**
 * Per-client rate limit (DESIGN.md: `429` over the client's rate, with `Retry-After`): a token
 * bucket per client that holds one second's worth of requests, so a client may burst up to
 * its rate and then goes at its rate. Per ingest instance: with N replicas behind a load
 * balancer a client gets up to N times its rate, which docs/adr/0011-authorization-register.md
 * accepts for now (a shared limiter would put a network round trip on every request).
 */
export interface RateVerdict {
  readonly ok: boolean;
  /** Whole seconds until one request fits again; 0 when allowed. */
  readonly retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updatedAtMs: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly maxClients = 100_000) {}

  take(clientId: string, ratePerSecond: number, nowMs: number): RateVerdict {
    if (!(ratePerSecond > 0)) return { ok: false, retryAfterSeconds: 60 };
    const capacity = Math.max(1, ratePerSecond);
    let bucket = this.buckets.get(clientId);
    if (!bucket) {
      if (this.buckets.size >= this.maxClients) this.buckets.clear();
      bucket = { tokens: capacity, updatedAtMs: nowMs };
      this.buckets.set(clientId, bucket);
    }
    const elapsedSeconds = Math.max(0, nowMs - bucket.updatedAtMs) / 1000;
    bucket.tokens = Math.min(capacity, bucket.tokens + elapsedSeconds * ratePerSecond);
    bucket.updatedAtMs = nowMs;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true, retryAfterSeconds: 0 };
    }
    return { ok: false, retryAfterSeconds: Math.ceil((1 - bucket.tokens) / ratePerSecond) };
  }
}
