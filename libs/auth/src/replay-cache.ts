import { createHash } from 'node:crypto';

/**
 * Remembers DPoP proofs for as long as they could be accepted (RFC 9449 §11.1), so each is
 * used once. Replicas that share no store let a proof through once per replica, so a
 * deployment with more than one replica needs a shared implementation (`PgReplayCache`).
 */
export interface ReplayCache {
  /**
   * Records `key` until `expiresAtMs` (epoch milliseconds) and tells whether it was already
   * recorded and not yet expired: true means the proof is a replay. Atomic per key.
   * Rejects when the store cannot answer; the verifier then refuses the request (fail closed).
   */
  seen(key: string, expiresAtMs: number): Promise<boolean>;
}

/**
 * The key stored for a proof: SHA-256 of the normalised target URI and the `jti`, so the
 * store holds fixed-size values whatever the client sends (RFC 9449 §11.1), one namespace
 * per target URI.
 */
export function replayKey(htu: string, jti: string): string {
  // Length-prefixed, so no (htu, jti) pair can collide with another by moving characters.
  return createHash('sha256').update(`${htu.length}:${htu}`).update(jti).digest('base64url');
}

export class ReplayCacheFullError extends Error {
  constructor(readonly capacity: number) {
    super(`DPoP replay cache is full (${capacity} live entries)`);
    this.name = 'ReplayCacheFullError';
  }
}

export interface InMemoryReplayCacheOptions {
  /** Live entries kept at most; beyond it `seen` rejects rather than forget a live proof. */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

/**
 * One process's replay cache. Entries arrive in nearly the order they expire (each lives for
 * the same window after its `iat`), so expired ones are dropped from the front on every call
 * and a full sweep runs only when the cache is at capacity. When every entry is still live
 * it refuses instead of evicting one, because forgetting a live proof would allow its replay.
 */
export class InMemoryReplayCache implements ReplayCache {
  private readonly entries = new Map<string, number>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: InMemoryReplayCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  seen(key: string, expiresAtMs: number): Promise<boolean> {
    const now = this.now();
    this.dropExpiredFromFront(now);
    const existing = this.entries.get(key);
    if (existing !== undefined && existing > now) return Promise.resolve(true);
    if (existing !== undefined) this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      this.sweep(now);
      if (this.entries.size >= this.maxEntries) {
        return Promise.reject(new ReplayCacheFullError(this.maxEntries));
      }
    }
    this.entries.set(key, expiresAtMs);
    return Promise.resolve(false);
  }

  private dropExpiredFromFront(now: number): void {
    for (const [key, expiresAt] of this.entries) {
      if (expiresAt > now) return;
      this.entries.delete(key);
    }
  }

  private sweep(now: number): void {
    for (const [key, expiresAt] of this.entries) {
      if (expiresAt <= now) this.entries.delete(key);
    }
  }
}
