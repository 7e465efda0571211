import type { Principal } from './principal';
import { requireScope } from './require-scope';
import { Scopes, allScopes, parseScopeClaim } from './scopes';

const principal = (scopes: string[]): Principal => ({
  clientId: 'c',
  scopes: new Set(scopes),
  tokenId: 't',
  expiresAt: new Date(0),
  scheme: 'DPoP',
});

describe('requireScope', () => {
  it('passes the principal on when every scope is held', () => {
    const p = principal([Scopes.EpjRead, Scopes.EpjAck]);
    expect(requireScope(p, Scopes.EpjRead)).toEqual({ ok: true, principal: p });
    expect(requireScope(p, [Scopes.EpjRead, Scopes.EpjAck]).ok).toBe(true);
  });

  it('refuses with 403 naming what is missing, in the scheme the client used', () => {
    const result = requireScope(principal([Scopes.EpjRead]), [Scopes.EpjRead, Scopes.Admin]);
    if (result.ok) throw new Error('expected a refusal');
    expect(result.error.code).toBe('AUTH.INSUFFICIENT_SCOPE');
    expect(result.error.status).toBe(403);
    expect(result.error.challenge).toMatch(/^DPoP .*scope="knutepunkt:admin"/);
  });

  it('does not let admin stand in for another scope', () => {
    expect(requireScope(principal([Scopes.Admin]), Scopes.IngestWrite).ok).toBe(false);
  });
});

describe('scopes', () => {
  it('lists the seven scopes of DESIGN.md', () => {
    expect(allScopes).toEqual([
      'knutepunkt:ingest.write',
      'knutepunkt:epj.read',
      'knutepunkt:epj.ack',
      'knutepunkt:consent.read',
      'knutepunkt:consent.write',
      'knutepunkt:audit.read',
      'knutepunkt:admin',
    ]);
  });

  it('parses the claim as a space-separated string or an array', () => {
    expect(parseScopeClaim('a  b')).toEqual(new Set(['a', 'b']));
    expect(parseScopeClaim(['a', 'b c'])).toEqual(new Set(['a', 'b', 'c']));
    expect(parseScopeClaim(undefined)).toEqual(new Set());
    expect(parseScopeClaim({ a: 1 })).toBeUndefined();
    expect(parseScopeClaim(['a', 1])).toBeUndefined();
  });
});
