import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Server-issued DPoP nonces (RFC 9449 §8–9). When the verifier has a nonce source, every
 * proof must carry a nonce it accepts; otherwise the request fails with
 * `AUTH.DPOP_NONCE_REQUIRED` and the error carries a fresh nonce for the `DPoP-Nonce` header.
 */
export interface DpopNonceSource {
  /** The nonce to hand out now. */
  current(): string;
  isValid(nonce: string): boolean;
}

export interface HmacDpopNonceOptions {
  /** At least 32 bytes; every replica uses the same secret, so a nonce from one works on all. */
  readonly secret: Uint8Array;
  /** A nonce is valid in the period it was issued in and the next: between one and two periods. */
  readonly periodSeconds?: number;
  readonly now?: () => number;
}

/**
 * Stateless nonces: the period number and an HMAC of it. Nothing to store or share but the
 * secret, and a nonce expires by itself.
 */
export function createHmacDpopNonces(options: HmacDpopNonceOptions): DpopNonceSource {
  if (options.secret.length < 32) throw new Error('DPoP nonce secret must be at least 32 bytes');
  const periodMs = (options.periodSeconds ?? 300) * 1000;
  const now = options.now ?? Date.now;
  const tag = (period: number): Buffer =>
    createHmac('sha256', options.secret).update(`dpop-nonce:${period}`).digest();
  const encode = (period: number): string =>
    `${period.toString(36)}.${tag(period).toString('base64url')}`;

  return {
    current: () => encode(Math.floor(now() / periodMs)),
    isValid(nonce: string): boolean {
      const match = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(nonce);
      if (match === null) return false;
      const period = parseInt(match[1] ?? '', 36);
      const currentPeriod = Math.floor(now() / periodMs);
      if (period !== currentPeriod && period !== currentPeriod - 1) return false;
      return timingSafeEqual(Buffer.from(match[2] ?? '', 'base64url'), tag(period));
    },
  };
}
