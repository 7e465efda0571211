import { anAuditRecord } from '@knutepunkt/schemas/testing';
import type { ChainedEntry } from './audit-entry';
import { chainFacts, entryHash } from './chain';
import { signCheckpoint, type Checkpoint } from './checkpoint';
import { factFromAuditRecord } from './lifecycle-facts';
import { ChainVerifier } from './verify-chain';

const secret = 'a-checkpoint-secret-of-at-least-32-characters';

function chainOf(count: number): ChainedEntry[] {
  const facts = Array.from({ length: count }, (_, i) =>
    factFromAuditRecord(
      anAuditRecord({ auditId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }),
    ),
  );
  return chainFacts(null, facts, 1_700_000_000_000);
}

function checkpointAt(rows: readonly ChainedEntry[], seq: number, key = secret): Checkpoint {
  const row = rows[seq - 1];
  if (!row) throw new Error(`no row ${seq}`);
  return signCheckpoint(key, { headSeq: seq, headHash: row.hash, entries: seq, createdAt: 1 });
}

function verify(rows: readonly ChainedEntry[], checkpoints: readonly Checkpoint[] = []) {
  const verifier = new ChainVerifier(secret);
  verifier.addCheckpoints(checkpoints);
  for (const row of rows) verifier.push(row);
  return verifier.report();
}

/** What the database owner could do: change a row and recompute every hash after it. */
function rewriteFrom(rows: readonly ChainedEntry[], index: number): ChainedEntry[] {
  const out = [...rows];
  for (let i = index; i < out.length; i += 1) {
    const row = out[i];
    if (!row) continue;
    const prevHash = out[i - 1]?.hash ?? row.prevHash;
    const changed = { ...row, prevHash, ...(i === index && { action: 'nothing.happened' }) };
    out[i] = { ...changed, hash: entryHash(changed) };
  }
  return out;
}

describe('ChainVerifier', () => {
  const rows = chainOf(10);

  it('accepts an intact chain and reports its length and head', () => {
    expect(verify(rows, [checkpointAt(rows, 5), checkpointAt(rows, 10)])).toEqual({
      valid: true,
      entries: 10,
      head: rows[9]?.hash,
      firstBrokenAt: null,
      problem: null,
      checkpoints: 2,
    });
  });

  it('accepts the empty chain', () => {
    expect(verify([])).toMatchObject({ valid: true, entries: 0, head: null });
  });

  it('names a changed row', () => {
    const changed = rows.map((r) => (r.seq === 4 ? { ...r, purpose: 'curiosity' } : r));
    expect(verify(changed)).toMatchObject({ valid: false, firstBrokenAt: 4, problem: 'altered' });
  });

  it('names a deleted row', () => {
    expect(verify(rows.filter((r) => r.seq !== 6))).toMatchObject({
      valid: false,
      firstBrokenAt: 6,
      problem: 'missing-row',
    });
  });

  it('names reordered rows (two rows swapped their contents)', () => {
    const swapped = rows.map((r) => {
      const other = r.seq === 3 ? rows[6] : r.seq === 7 ? rows[2] : undefined;
      return other ? { ...other, seq: r.seq } : r;
    });
    expect(verify(swapped)).toMatchObject({ valid: false, firstBrokenAt: 3 });
  });

  it('names a row whose link was rewritten', () => {
    const relinked = rows.map((r) => (r.seq === 8 ? { ...r, prevHash: '1'.repeat(64) } : r));
    expect(verify(relinked)).toMatchObject({ firstBrokenAt: 8, problem: 'broken-link' });
  });

  it('catches a truncated tail through the last checkpoint', () => {
    expect(verify(rows.slice(0, 7), [checkpointAt(rows, 9)])).toMatchObject({
      valid: false,
      entries: 7,
      firstBrokenAt: 8,
      problem: 'truncated',
    });
  });

  it('catches a chain rewritten after a change (all later hashes recomputed) through a checkpoint', () => {
    const rewritten = rewriteFrom(rows, 2);
    expect(verify(rewritten)).toMatchObject({ valid: true });
    expect(verify(rewritten, [checkpointAt(rows, 5)])).toMatchObject({
      valid: false,
      firstBrokenAt: 5,
      problem: 'checkpoint-mismatch',
    });
  });

  it('refuses a checkpoint signed with another secret', () => {
    const forged = checkpointAt(rows, 5, 'another-secret-that-is-at-least-32-chars');
    expect(verify(rows, [forged])).toMatchObject({
      valid: false,
      firstBrokenAt: 5,
      problem: 'bad-checkpoint',
    });
  });

  it('keeps the first problem when there are several', () => {
    const broken = rows
      .filter((r) => r.seq !== 9)
      .map((r) => (r.seq === 2 ? { ...r, action: 'x' } : r));
    expect(verify(broken)).toMatchObject({ firstBrokenAt: 2, entries: 9 });
  });
});
