import type { DataSource, EntityManager } from 'typeorm';
import type { OutgoingMessage } from '@knutepunkt/kafka';
import type { EntrySearch, EntryStatus } from '../domain';
import { JournalEntryRow, OutboxRow } from './journal.entities';

/** A journal entry to store. */
export interface NewJournalEntry {
  readonly entryId: string;
  readonly eventId: string;
  readonly submissionId: string;
  readonly orgnr: string;
  readonly patientKey: string;
  readonly patientKeys: readonly string[];
  readonly vendorClientId: string;
  readonly service: string;
  readonly kind: string;
  readonly urgent: boolean;
  readonly createdAt: Date;
  readonly lastUpdated: Date;
  readonly compositionJson: string;
}

/** A stored entry as the read API needs it. */
export interface StoredEntry {
  readonly entryId: string;
  readonly seq: string;
  readonly eventId: string;
  readonly submissionId: string;
  readonly orgnr: string;
  readonly patientKey: string;
  readonly vendorClientId: string;
  readonly compositionJson: string;
  readonly readAt: Date | null;
  readonly journaledAt: Date | null;
}

export interface WriteOutcome {
  readonly created: readonly NewJournalEntry[];
  /** Events already journaled (redeliveries): nothing was written for them. */
  readonly duplicates: readonly NewJournalEntry[];
}

export type AcknowledgeOutcome =
  | { readonly kind: 'not-found' }
  | {
      readonly kind: 'acknowledged';
      readonly entry: StoredEntry;
      /** False for a repeated acknowledgement: nothing changed. */
      readonly firstAcknowledgement: boolean;
      /** True when the entry had not been read through the API before (e.g. taken from the topic). */
      readonly firstRead: boolean;
    };

/** A municipality with journal entries waiting (for the metrics). */
export interface OldestWaiting {
  readonly orgnr: string;
  /** When its oldest entry not acknowledged as journaled was created. */
  readonly oldestUnacknowledgedAt: Date;
  /** When its oldest entry its EPJ has not read yet was created; null when it has read all. */
  readonly oldestUnreadAt: Date | null;
}

/** The journal's tables, behind the operations the consumer, the read API and the relay need. */
export interface JournalStore {
  /**
   * Stores entries once per event id and, in the same transaction, the messages
   * `messagesOf(entry)` gives for each entry actually created.
   */
  writeEntries(
    entries: readonly NewJournalEntry[],
    messagesOf: (entry: NewJournalEntry) => readonly OutgoingMessage[],
  ): Promise<WriteOutcome>;
  /** One page of a municipality's entries in sequence order (or its reverse). */
  search(search: EntrySearch): Promise<StoredEntry[]>;
  /**
   * Marks entries read by `clientId` (the first read only) and stores the messages
   * `messagesOf(entry, firstRead)` gives for each, in one transaction. Returns the entries
   * this call read first.
   */
  recordReads(
    entries: readonly StoredEntry[],
    clientId: string,
    messagesOf: (entry: StoredEntry, firstRead: boolean) => readonly OutgoingMessage[],
  ): Promise<ReadonlySet<string>>;
  /** Marks an entry journaled (once) and stores the messages for it in the same transaction. */
  acknowledge(
    orgnr: string,
    entryId: string,
    clientId: string,
    messagesOf: (
      entry: StoredEntry,
      change: { firstAcknowledgement: boolean; firstRead: boolean },
    ) => readonly OutgoingMessage[],
  ): Promise<AcknowledgeOutcome>;
  /**
   * Per municipality with unacknowledged entries, its oldest unacknowledged and oldest unread
   * entry (for the metrics; unread entries are unacknowledged too).
   */
  oldestWaiting(): Promise<OldestWaiting[]>;
}

/**
 * Advisory-lock class of "writing a municipality's entries"; the second key is the orgnr
 * (9 digits fit a 32-bit int exactly, so two municipalities never share a lock).
 */
const orgnrLockClass = 0x4a4f55; // "JOU"

interface StoredRow {
  entry_id: string;
  seq_text: string;
  event_id: string;
  submission_id: string;
  orgnr: string;
  patient_key: string;
  vendor_client_id: string;
  composition_json: string;
  read_at: Date | null;
  journaled_at: Date | null;
}

// `seq` comes out as text (a bigint exceeds a JS number) under another name: an output column
// named `seq` would be what `ORDER BY seq` sorts by, in text order ("1000" before "999").
const storedColumns = `entry_id, seq::text AS seq_text, event_id, submission_id, orgnr, patient_key,
  vendor_client_id, composition_json, read_at, journaled_at`;

const toStored = (row: StoredRow): StoredEntry => ({
  entryId: row.entry_id,
  seq: row.seq_text,
  eventId: row.event_id,
  submissionId: row.submission_id,
  orgnr: row.orgnr,
  patientKey: row.patient_key,
  vendorClientId: row.vendor_client_id,
  compositionJson: row.composition_json,
  readAt: row.read_at,
  journaledAt: row.journaled_at,
});

const statusConditions: Readonly<Record<EntryStatus, string>> = {
  unread: 'read_at IS NULL',
  read: 'read_at IS NOT NULL AND journaled_at IS NULL',
  journaled: 'journaled_at IS NOT NULL',
};

export interface JournalStoreOptions {
  /**
   * Runs inside the write transaction after the inserts, before the commit: the window in
   * which a writer holds a sequence number nobody can see yet. Tests widen it to prove the
   * search order holds; production leaves it unset.
   */
  readonly beforeCommit?: () => Promise<void>;
}

export class PostgresJournalStore implements JournalStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly options: JournalStoreOptions = {},
  ) {}

  async writeEntries(
    entries: readonly NewJournalEntry[],
    messagesOf: (entry: NewJournalEntry) => readonly OutgoingMessage[],
  ): Promise<WriteOutcome> {
    if (entries.length === 0) return { created: [], duplicates: [] };
    const unique = [...new Map(entries.map((e) => [e.eventId, e])).values()];
    return this.dataSource.transaction(async (manager) => {
      // Sorted, so two writers of overlapping municipalities never wait for each other in a circle.
      const orgnrs = [...new Set(unique.map((e) => e.orgnr))].sort();
      for (const orgnr of orgnrs) {
        await manager.query('SELECT pg_advisory_xact_lock($1, $2)', [
          orgnrLockClass,
          Number(orgnr),
        ]);
      }
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(JournalEntryRow)
        .values(
          unique.map((e) => ({
            entryId: e.entryId,
            eventId: e.eventId,
            submissionId: e.submissionId,
            orgnr: e.orgnr,
            patientKey: e.patientKey,
            patientKeys: [...e.patientKeys],
            vendorClientId: e.vendorClientId,
            service: e.service,
            kind: e.kind,
            urgent: e.urgent,
            createdAt: e.createdAt,
            lastUpdated: e.lastUpdated,
            compositionJson: e.compositionJson,
          })),
        )
        .orIgnore()
        .returning('entry_id')
        .execute();
      const createdIds = new Set((inserted.raw as { entry_id: string }[]).map((r) => r.entry_id));
      const created = unique.filter((e) => createdIds.has(e.entryId));
      // Alarms' messages first in the relay (docs/adr/0014-alarms-first.md).
      await insertOutbox(manager, created.filter((e) => e.urgent).flatMap(messagesOf), true);
      await insertOutbox(manager, created.filter((e) => !e.urgent).flatMap(messagesOf));
      await this.options.beforeCommit?.();
      return {
        created,
        duplicates: entries.filter((e) => !createdIds.has(e.entryId) || !unique.includes(e)),
      };
    });
  }

  async search(search: EntrySearch): Promise<StoredEntry[]> {
    const descending = search.order === 'descending';
    const parameters: unknown[] = [search.orgnr];
    const conditions = ['orgnr = $1'];
    if (!descending || search.afterSeq !== null) {
      parameters.push(search.afterSeq ?? '0');
      conditions.push(`seq ${descending ? '<' : '>'} $2::bigint`);
    }
    const { lastUpdatedAfter, status, patientKey, notJournaled } = search.filters;
    if (lastUpdatedAfter !== null) {
      parameters.push(new Date(lastUpdatedAfter));
      const after = `$${parameters.length}`;
      conditions.push(`last_updated > ${after}`);
      // `seq` and `last_updated` rise together, which the planner does not know: without a
      // lower bound on `seq` it walks every older entry of the municipality. The bound comes
      // from an index-only scan over the newer entries (`seq + 0` keeps the planner from
      // answering min() by walking `(orgnr, seq)` again). A cursor past the first page is
      // already past it: its position is an entry that matched.
      if (descending || search.afterSeq === null || search.afterSeq === '0')
        conditions.push(
          `seq >= (SELECT min(seq + 0) FROM journal.entries WHERE orgnr = $1 AND last_updated > ${after})`,
        );
    }
    if (status !== null) conditions.push(statusConditions[status]);
    if (notJournaled) conditions.push('journaled_at IS NULL');
    if (patientKey !== null) {
      parameters.push([patientKey]);
      conditions.push(`patient_keys @> $${parameters.length}::text[]`);
    }
    parameters.push(search.count);
    const rows: StoredRow[] = await this.dataSource.query(
      `SELECT ${storedColumns} FROM journal.entries
        WHERE ${conditions.join(' AND ')}
        ORDER BY seq ${descending ? 'DESC' : 'ASC'} LIMIT $${parameters.length}`,
      parameters,
    );
    return rows.map(toStored);
  }

  async recordReads(
    entries: readonly StoredEntry[],
    clientId: string,
    messagesOf: (entry: StoredEntry, firstRead: boolean) => readonly OutgoingMessage[],
  ): Promise<ReadonlySet<string>> {
    if (entries.length === 0) return new Set();
    return this.dataSource.transaction(async (manager) => {
      const unread = entries.filter((e) => e.readAt === null).map((e) => e.entryId);
      const firstRead = new Set<string>();
      if (unread.length > 0) {
        // The `read_at IS NULL` guard makes one of two concurrent first reads the first.
        const [rows] = await manager.query<[{ entry_id: string }[], number]>(
          `UPDATE journal.entries SET read_at = now(), read_by = $2
            WHERE entry_id = ANY($1::uuid[]) AND read_at IS NULL
            RETURNING entry_id`,
          [unread, clientId],
        );
        for (const row of rows) firstRead.add(row.entry_id);
      }
      await insertOutbox(
        manager,
        entries.flatMap((e) => messagesOf(e, firstRead.has(e.entryId))),
      );
      return firstRead;
    });
  }

  async acknowledge(
    orgnr: string,
    entryId: string,
    clientId: string,
    messagesOf: (
      entry: StoredEntry,
      change: { firstAcknowledgement: boolean; firstRead: boolean },
    ) => readonly OutgoingMessage[],
  ): Promise<AcknowledgeOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const rows: (StoredRow & { was_read: boolean })[] = await manager.query(
        `SELECT ${storedColumns}, read_at IS NOT NULL AS was_read FROM journal.entries
          WHERE entry_id = $1 AND orgnr = $2 FOR UPDATE`,
        [entryId, orgnr],
      );
      const row = rows[0];
      if (!row) return { kind: 'not-found' as const };
      const firstAcknowledgement = row.journaled_at === null;
      const firstRead = !row.was_read;
      let entry = toStored(row);
      if (firstAcknowledgement) {
        const [updated] = await manager.query<[StoredRow[], number]>(
          `UPDATE journal.entries
              SET journaled_at = now(), journaled_by = $2,
                  read_at = coalesce(read_at, now()), read_by = coalesce(read_by, $2)
            WHERE entry_id = $1
            RETURNING ${storedColumns}`,
          [entryId, clientId],
        );
        entry = updated[0] ? toStored(updated[0]) : entry;
      }
      await insertOutbox(manager, messagesOf(entry, { firstAcknowledgement, firstRead }));
      return { kind: 'acknowledged' as const, entry, firstAcknowledgement, firstRead };
    });
  }

  async oldestWaiting(): Promise<OldestWaiting[]> {
    // A skip scan: the recursive part hops from one municipality to the next in the partial
    // index of unacknowledged entries (orgnr, seq), and each municipality's oldest entries are
    // the first of its slice of that index and of the unread one. Three index probes per
    // municipality, however many entries wait: a DISTINCT ON walked every unacknowledged
    // entry and fetched each from the heap (seconds with a few hundred thousand waiting).
    const rows: {
      orgnr: string;
      oldest_unacknowledged: Date;
      oldest_unread: Date | null;
    }[] = await this.dataSource.query(
      `WITH RECURSIVE waiting(orgnr) AS (
         (SELECT orgnr FROM journal.entries WHERE journaled_at IS NULL ORDER BY orgnr LIMIT 1)
         UNION ALL
         SELECT (SELECT e.orgnr FROM journal.entries e
                  WHERE e.journaled_at IS NULL AND e.orgnr > w.orgnr ORDER BY e.orgnr LIMIT 1)
           FROM waiting w WHERE w.orgnr IS NOT NULL
       )
       SELECT w.orgnr,
         (SELECT e.created_at FROM journal.entries e
           WHERE e.orgnr = w.orgnr AND e.journaled_at IS NULL ORDER BY e.seq LIMIT 1)
           AS oldest_unacknowledged,
         (SELECT e.created_at FROM journal.entries e
           WHERE e.orgnr = w.orgnr AND e.read_at IS NULL AND e.journaled_at IS NULL
           ORDER BY e.seq LIMIT 1) AS oldest_unread
       FROM waiting w WHERE w.orgnr IS NOT NULL`,
    );
    return rows.map((r) => ({
      orgnr: r.orgnr,
      oldestUnacknowledgedAt: r.oldest_unacknowledged,
      oldestUnreadAt: r.oldest_unread,
    }));
  }
}

/** Messages for the relay; `urgent` ones (an alarm's entry) are published before the others. */
async function insertOutbox(
  manager: EntityManager,
  messages: readonly OutgoingMessage[],
  urgent = false,
): Promise<void> {
  if (messages.length === 0) return;
  await manager.insert(
    OutboxRow,
    messages.map((m) => {
      if (m.value === null) throw new Error('an outbox message needs a value');
      return {
        topic: m.topic,
        messageKey: m.key,
        value: m.value,
        headers: { ...m.headers },
        urgent,
      };
    }),
  );
}
