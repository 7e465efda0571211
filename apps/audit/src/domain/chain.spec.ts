import { anAuditRecord } from '@knutepunkt/schemas/testing';
import { genesisHash, storableFact, type AuditFact } from './audit-entry';
import { canonicalEntry, chainFacts, entryHash } from './chain';
import { factFromAuditRecord } from './lifecycle-facts';

const fact = (n: number, overrides: Partial<AuditFact> = {}): AuditFact => ({
  ...factFromAuditRecord(
    anAuditRecord({ auditId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` }),
  ),
  ...overrides,
});

describe('the hash chain', () => {
  it('numbers rows from 1, links the first to the genesis hash and each next to the one before', () => {
    const rows = chainFacts(null, [fact(1), fact(2), fact(3)], 1_700_000_000_000);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(rows[0]?.prevHash).toBe(genesisHash);
    expect(rows[1]?.prevHash).toBe(rows[0]?.hash);
    expect(rows[2]?.prevHash).toBe(rows[1]?.hash);
    for (const row of rows) expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('continues after an existing head', () => {
    const [first] = chainFacts(null, [fact(1)], 1);
    if (!first) throw new Error('no row');
    const [second] = chainFacts({ seq: first.seq, hash: first.hash }, [fact(2)], 2);
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
  });

  it('hashes the canonical form, which is fixed by field position and independent of detail order', () => {
    const [row] = chainFacts(null, [fact(1, { details: { b: '2', a: '1' } })], 5);
    if (!row) throw new Error('no row');
    const { hash, ...unhashed } = row;
    expect(canonicalEntry(unhashed)).toBe(
      JSON.stringify([
        'knutepunkt/audit-entry/v1',
        1,
        genesisHash,
        5,
        row.sourceId,
        row.at,
        'vendor',
        row.actor.clientId,
        row.actor.orgnr,
        row.actor.system,
        'submission.create',
        'Submission',
        row.entity.id,
        'success',
        row.orgnr,
        row.patientKey,
        'journaling',
        'ingest',
        'req-0001',
        [
          ['a', '1'],
          ['b', '2'],
        ],
      ]),
    );
    expect(entryHash({ ...unhashed, details: { a: '1', b: '2' } })).toBe(hash);
  });

  it('gives a different hash when any field changes, null and "null" included', () => {
    const [row] = chainFacts(null, [fact(1, { purpose: null })], 5);
    if (!row) throw new Error('no row');
    const { hash, ...unhashed } = row;
    expect(entryHash({ ...unhashed, purpose: 'null' })).not.toBe(hash);
    expect(entryHash({ ...unhashed, at: unhashed.at + 1 })).not.toBe(hash);
    expect(entryHash({ ...unhashed, seq: 2 })).not.toBe(hash);
  });

  it('makes text storable before hashing: NUL and lone surrogates become U+FFFD', () => {
    const cleaned = storableFact(fact(1, { details: { note: 'a\u0000b\ud800c' } }));
    expect(cleaned.details['note']).toBe('a\ufffdb\ufffdc');
    expect(storableFact(fact(1, { details: { ok: 'æøå 😀' } })).details['ok']).toBe('æøå 😀');
  });
});
