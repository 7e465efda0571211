import type { DataSource } from 'typeorm';
import type { MessageProducer, OutgoingMessage } from '@knutepunkt/kafka';
import type { Logger } from '@knutepunkt/observability';

export interface OutboxRelayOptions {
  /** Messages per produce round. */
  readonly batchSize: number;
  /** How often the sweep looks for messages nobody kicked the relay for (another replica's, a crash's). */
  readonly sweepIntervalMs: number;
  /**
   * Runs after Kafka acknowledged a round and before it is deleted from the outbox: the
   * window a crash can hit. Tests use it to crash there; production leaves it unset.
   */
  readonly afterPublish?: (messages: readonly OutgoingMessage[]) => Promise<void>;
}

interface OutboxMessageRow {
  id: string;
  topic: string;
  message_key: string | null;
  value: Buffer;
  headers: Record<string, string>;
}

/** Class of the advisory lock that makes one relay (across replicas) publish at a time. */
const relayLockClass = 0x4a4f56;

/**
 * Publishes `journal.outbox` and deletes what Kafka acknowledged
 * (docs/adr/0008-journal-exactly-once.md): urgent rows (an alarm's) first, then by id
 * (docs/adr/0014-alarms-first.md). One round runs in one transaction that holds a
 * transaction-level advisory lock, so one relay publishes at a time and a patient's messages
 * keep their order within a lane; the rows are deleted in that transaction after the broker's ack. A crash
 * between the ack and the commit leaves the rows in place and they are published again:
 * at-least-once, and every consumer dedupes (by entry id, event id or audit id).
 */
export class OutboxRelay {
  private running: Promise<void> | null = null;
  private again = false;
  /** Rounds begun so far, and callers waiting for a round that begins after their call. */
  private roundsBegun = 0;
  private roundWaiters: { readonly round: number; readonly settle: (error?: unknown) => void }[] =
    [];
  private sweep: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: MessageProducer,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions,
  ) {}

  /** Starts the periodic sweep. */
  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Stops the sweep and waits for a round in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweep) clearTimeout(this.sweep);
    this.sweep = null;
    await this.running?.catch(() => undefined);
  }

  /**
   * Publishes what is in the outbox now. Resolves after a drain that began after this call
   * (so a caller's own committed messages are out, unless another replica holds the relay).
   */
  kick(): Promise<void> {
    this.again = true;
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /**
   * Publishes what is in the outbox now, and resolves once a round that began after this call is
   * done. A round takes urgent rows first, so an alarm's writer has its messages out without
   * waiting for a routine backlog to drain (which `kick` waits for: it keeps routine writers
   * from racing ahead of the relay).
   */
  kickForUrgent(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.roundWaiters.push({
        round: this.roundsBegun + 1,
        settle: (error) => {
          if (error === undefined) resolve();
          else reject(error instanceof Error ? error : new Error('outbox relay round failed'));
        },
      });
    });
    this.kick().catch(() => undefined); // a failure reaches the waiter through settle
    return done;
  }

  /** One round: up to batchSize messages. Returns how many were published, or 'busy'. */
  async relayOnce(): Promise<number | 'busy'> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const [lock] = (await runner.query('SELECT pg_try_advisory_xact_lock($1, 0) AS locked', [
        relayLockClass,
      ])) as { locked: boolean }[];
      if (!lock?.locked) {
        await runner.rollbackTransaction();
        return 'busy';
      }
      // Alarms first: an urgent entry's messages go out in the next round however many routine
      // ones wait (docs/adr/0014-alarms-first.md); within each lane, in the order written.
      // `outbox.id`, not `id`: the bare name would sort by the text alias (…, 99, 100 → 100, 99).
      const rows = (await runner.query(
        `SELECT outbox.id::text AS id, topic, message_key, value, headers
           FROM journal.outbox ORDER BY outbox.urgent DESC, outbox.id LIMIT $1`,
        [this.options.batchSize],
      )) as OutboxMessageRow[];
      if (rows.length > 0) {
        const messages = rows.map((row): OutgoingMessage => ({
          topic: row.topic,
          key: row.message_key,
          value: row.value,
          headers: row.headers,
        }));
        await this.producer.send(messages);
        await this.options.afterPublish?.(messages);
        await runner.query('DELETE FROM journal.outbox WHERE id = ANY($1::bigint[])', [
          rows.map((r) => r.id),
        ]);
      }
      await runner.commitTransaction();
      return rows.length;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.again) {
        this.again = false;
        for (;;) {
          const round = ++this.roundsBegun;
          const published = await this.relayOnce();
          this.settleRounds(round);
          if (published === 'busy' || published < this.options.batchSize) break;
        }
      }
    } catch (error) {
      this.settleRounds(Number.POSITIVE_INFINITY, error);
      throw error;
    }
    // Nothing left to publish (or another replica's relay has the lock and will).
    this.settleRounds(Number.POSITIVE_INFINITY);
  }

  /** Settles the waiters whose round is `round` or earlier. */
  private settleRounds(round: number, error?: unknown): void {
    const due = this.roundWaiters.filter((waiter) => waiter.round <= round);
    this.roundWaiters = this.roundWaiters.filter((waiter) => waiter.round > round);
    for (const waiter of due) waiter.settle(error);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.sweep = setTimeout(() => {
      this.kick()
        .catch((error: unknown) => {
          this.logger.warn({ err: error }, 'outbox relay round failed; retrying at the next sweep');
        })
        .finally(() => {
          this.schedule();
        });
    }, this.options.sweepIntervalMs);
    this.sweep.unref();
  }
}
