import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A signed statement "the chain had `entries` rows ending in `headHash` at `createdAt`". The
 * database owner can rewrite rows and recompute every hash after them, or cut off the tail;
 * without the deployment's checkpoint secret they cannot sign a matching checkpoint, so
 * verification against the checkpoints catches both.
 */
export interface Checkpoint {
  readonly headSeq: number;
  readonly headHash: string;
  /** Rows in the chain up to and including `headSeq` (equal to it: rows are numbered from 1). */
  readonly entries: number;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** Which secret signed it (a fingerprint, never the secret). */
  readonly keyId: string;
  /** HMAC-SHA-256 of {@link checkpointMessage}, hex. */
  readonly signature: string;
}

export type UnsignedCheckpoint = Omit<Checkpoint, 'keyId' | 'signature'>;

export const checkpointFormat = 'knutepunkt/audit-checkpoint/v1';

/** The exact text the signature covers. */
export function checkpointMessage(checkpoint: UnsignedCheckpoint): string {
  return JSON.stringify([
    checkpointFormat,
    checkpoint.headSeq,
    checkpoint.headHash,
    checkpoint.entries,
    checkpoint.createdAt,
  ]);
}

/** The first 16 hex digits of the secret's SHA-256: names the key without revealing it. */
export function checkpointKeyId(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 16);
}

export function signCheckpoint(secret: string, checkpoint: UnsignedCheckpoint): Checkpoint {
  return {
    ...checkpoint,
    keyId: checkpointKeyId(secret),
    signature: createHmac('sha256', secret).update(checkpointMessage(checkpoint)).digest('hex'),
  };
}

export function hasValidSignature(secret: string, checkpoint: Checkpoint): boolean {
  const expected = Buffer.from(signCheckpoint(secret, checkpoint).signature, 'hex');
  const given = Buffer.from(checkpoint.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
