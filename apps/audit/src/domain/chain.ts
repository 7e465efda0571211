import { createHash } from 'node:crypto';
import { genesisHash, type AuditFact, type ChainHead, type ChainedEntry } from './audit-entry';

/** Tag and version of the canonical form; a future form gets a new tag. */
export const entryFormat = 'knutepunkt/audit-entry/v1';

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The exact text a row's hash is computed over: a JSON array with every field in a fixed
 * position (docs/audit.md "Canonical form"). JSON encodes strings, numbers and null
 * unambiguously, so two different rows never give the same text; details are sorted by key
 * (UTF-16 code units, as JavaScript compares), so key order never matters. Times are epoch
 * milliseconds, the precision PostgreSQL's timestamptz keeps.
 */
export function canonicalEntry(entry: Omit<ChainedEntry, 'hash'>): string {
  return JSON.stringify([
    entryFormat,
    entry.seq,
    entry.prevHash,
    entry.recordedAt,
    entry.sourceId,
    entry.at,
    entry.actor.kind,
    entry.actor.clientId,
    entry.actor.orgnr,
    entry.actor.system,
    entry.action,
    entry.entity.type,
    entry.entity.id,
    entry.outcome,
    entry.orgnr,
    entry.patientKey,
    entry.purpose,
    entry.app,
    entry.requestId,
    Object.entries(entry.details).sort(([a], [b]) => byCodeUnits(a, b)),
  ]);
}

/** SHA-256 of the canonical form, lower-case hex. */
export function entryHash(entry: Omit<ChainedEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalEntry(entry), 'utf8').digest('hex');
}

/**
 * Links facts to the chain after `head` (null for an empty chain), in the order given: each
 * row gets the next number, the previous row's hash and its own.
 */
export function chainFacts(
  head: ChainHead | null,
  facts: readonly AuditFact[],
  recordedAt: number,
): ChainedEntry[] {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? genesisHash;
  return facts.map((fact) => {
    seq += 1;
    const unhashed = { ...fact, seq, recordedAt, prevHash };
    const hash = entryHash(unhashed);
    prevHash = hash;
    return { ...unhashed, hash };
  });
}
