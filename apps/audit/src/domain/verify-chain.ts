import { genesisHash, type ChainedEntry } from './audit-entry';
import { entryHash } from './chain';
import { hasValidSignature, type Checkpoint } from './checkpoint';

/** What is wrong at the first broken row. */
export type ChainProblem =
  /** A row number is missing: the row was deleted (or rows were renumbered). */
  | 'missing-row'
  /** The row does not link to the row before it. */
  | 'broken-link'
  /** The row's content does not give its stored hash: it was changed. */
  | 'altered'
  /** A signed checkpoint names a different hash for this row: the chain was rewritten. */
  | 'checkpoint-mismatch'
  /** A signed checkpoint names rows that are gone: the tail was cut off. */
  | 'truncated'
  /** A checkpoint's signature does not verify: it was forged or altered. */
  | 'bad-checkpoint';

/** The answer of `GET /audit/verify` and `npm run audit:verify`. */
export interface VerifyReport {
  readonly valid: boolean;
  /** Rows checked. */
  readonly entries: number;
  /** Hash of the last row, null for an empty chain. */
  readonly head: string | null;
  /** The number (`seq`) of the first broken row, null when valid. */
  readonly firstBrokenAt: number | null;
  /** What is wrong there, null when valid. */
  readonly problem: ChainProblem | null;
  /** Signed checkpoints checked. */
  readonly checkpoints: number;
}

/**
 * Recomputes the chain row by row, in `seq` order, fed in pages so a million rows never sit
 * in memory: every row must follow the previous one without a gap, link to its hash, and
 * hash to its stored hash; every checkpoint must carry a valid signature and name a row that
 * exists with the hash it names. The first problem is kept; later rows are still counted.
 */
export class ChainVerifier {
  private count = 0;
  private last: { seq: number; hash: string } | null = null;
  private broken: { seq: number; problem: ChainProblem } | null = null;
  private readonly pending = new Map<number, Checkpoint[]>();
  private checkpointCount = 0;

  constructor(private readonly checkpointSecret: string) {}

  /** Adds checkpoints; give each before (or with) the page that holds its `headSeq`. */
  addCheckpoints(checkpoints: readonly Checkpoint[]): void {
    for (const checkpoint of checkpoints) {
      this.checkpointCount += 1;
      if (!hasValidSignature(this.checkpointSecret, checkpoint)) {
        this.breakAt(checkpoint.headSeq, 'bad-checkpoint');
        continue;
      }
      if (this.last !== null && checkpoint.headSeq <= this.last.seq) {
        // Rows are fed in order: a checkpoint for a row already passed cannot be matched.
        throw new Error(`checkpoint for row ${checkpoint.headSeq} given after that row`);
      }
      const atSeq = this.pending.get(checkpoint.headSeq) ?? [];
      atSeq.push(checkpoint);
      this.pending.set(checkpoint.headSeq, atSeq);
    }
  }

  push(entry: ChainedEntry): void {
    this.count += 1;
    const expectedSeq = (this.last?.seq ?? 0) + 1;
    const expectedPrev = this.last?.hash ?? genesisHash;
    if (entry.seq !== expectedSeq) this.breakAt(Math.min(expectedSeq, entry.seq), 'missing-row');
    else if (entry.prevHash !== expectedPrev) this.breakAt(entry.seq, 'broken-link');
    else if (entryHash(entry) !== entry.hash) this.breakAt(entry.seq, 'altered');
    for (const checkpoint of this.pending.get(entry.seq) ?? []) {
      if (checkpoint.headHash !== entry.hash || checkpoint.entries !== entry.seq)
        this.breakAt(entry.seq, 'checkpoint-mismatch');
    }
    this.pending.delete(entry.seq);
    this.last = { seq: entry.seq, hash: entry.hash };
  }

  report(): VerifyReport {
    // A checkpoint beyond the last row: rows it vouched for are gone.
    const beyond = [...this.pending.keys()];
    if (beyond.length > 0) this.breakAt((this.last?.seq ?? 0) + 1, 'truncated');
    return {
      valid: this.broken === null,
      entries: this.count,
      head: this.last?.hash ?? null,
      firstBrokenAt: this.broken?.seq ?? null,
      problem: this.broken?.problem ?? null,
      checkpoints: this.checkpointCount,
    };
  }

  private breakAt(seq: number, problem: ChainProblem): void {
    if (this.broken === null || seq < this.broken.seq) this.broken = { seq, problem };
  }
}
