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
    while (this.again) {
      this.again = false;
      for (;;) {
        const published = await this.relayOnce();
        if (published === 'busy' || published < this.options.batchSize) break;
      }
    }
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
