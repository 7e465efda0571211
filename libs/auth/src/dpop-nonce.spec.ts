import { randomBytes } from 'node:crypto';
import { createHmacDpopNonces } from './dpop-nonce';

describe('createHmacDpopNonces', () => {
  const secret = randomBytes(32);

  it('accepts its nonce in the period it was issued and the next, not after', () => {
    let now = 1_700_000_000_000;
    const nonces = createHmacDpopNonces({ secret, periodSeconds: 300, now: () => now });
    const nonce = nonces.current();
    expect(nonces.isValid(nonce)).toBe(true);
    now += 300_000;
    expect(nonces.isValid(nonce)).toBe(true);
    now += 300_000;
    expect(nonces.isValid(nonce)).toBe(false);
  });

  it('is shared by replicas with the same secret and refused by others', () => {
    const replicaA = createHmacDpopNonces({ secret });
    const replicaB = createHmacDpopNonces({ secret: Buffer.from(secret) });
    const stranger = createHmacDpopNonces({ secret: randomBytes(32) });
    expect(replicaB.isValid(replicaA.current())).toBe(true);
    expect(stranger.isValid(replicaA.current())).toBe(false);
  });

  it('refuses malformed and forged nonces, and a short secret', () => {
    const nonces = createHmacDpopNonces({ secret });
    const [period] = nonces.current().split('.');
    for (const bad of ['', 'abc', `${period ?? ''}.${'A'.repeat(43)}`, `${nonces.current()}x`]) {
      expect(nonces.isValid(bad)).toBe(false);
    }
    expect(() => createHmacDpopNonces({ secret: randomBytes(16) })).toThrow(/32 bytes/);
  });
});
