import { randomUUID } from 'node:crypto';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { KafkaLogSink } from './connection';
import { toIncoming } from './consumer';
import type { IncomingMessage } from './messages';

export interface TableViewOptions {
  /** A compacted topic: the latest value per key is the state, a null value removes the key. */
  readonly topic: string;
  /** Prefix of this instance's own consumer group (`<prefix>.<uuid>`): every replica reads all. */
  readonly groupPrefix: string;
  /**
   * Applies one record, in offset order per partition. Throwing skips the record (logged): a
   * view must not stop on one bad record, and it never commits, so a restart re-reads all.
   */
  apply(message: IncomingMessage): Promise<void> | void;
}

/**
 * Reads a compacted topic from its beginning into memory and stays current: the way a service
 * knows the authorization register or the consent state without a database round trip per
 * event. Each instance has its own throwaway consumer group and never commits, so every
 * replica sees every partition. `start()` resolves once the view has caught up with what
 * the topic held when it started, so a service is not ready before its view is.
 */
export class TableView {
  private readonly consumer: Consumer;
  /** Per partition: the offset the view must reach (exclusive) before it counts as caught up. */
  private readonly targets = new Map<number, bigint>();
  private readonly reached = new Map<number, bigint>();
  private caughtUpResolve: (() => void) | undefined;
  private applied = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: TableViewOptions,
    private readonly log?: KafkaLogSink,
  ) {
    this.consumer = kafka.consumer({
      groupId: `${options.groupPrefix}.${randomUUID()}`,
      allowAutoTopicCreation: false,
      readUncommitted: false,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    // Transaction markers and compaction leave gaps, so the batch's end as kafkajs reports it
    // (also for batches of control records only, which never reach eachBatch), not the last
    // record, tells how far a partition has been read.
    this.consumer.on(this.consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      this.reached.set(payload.partition, BigInt(payload.lastOffset) + 1n);
      this.checkCaughtUp();
    });
  }

  /** Records applied since start. */
  get size(): number {
    return this.applied;
  }

  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (const p of await admin.fetchTopicOffsets(this.options.topic)) {
        if (BigInt(p.high) > BigInt(p.low)) this.targets.set(p.partition, BigInt(p.high));
      }
    } finally {
      await admin.disconnect();
    }
    const caughtUp = new Promise<void>((resolve) => {
      this.caughtUpResolve = resolve;
    });
    this.checkCaughtUp();
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatch: (payload) => this.onBatch(payload),
    });
    await caughtUp;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    for (const m of batch.messages) {
      try {
        await this.options.apply(toIncoming(batch.topic, batch.partition, m));
        this.applied += 1;
      } catch (error) {
        this.log?.error(
          {
            topic: batch.topic,
            partition: batch.partition,
            offset: m.offset,
            error: error instanceof Error ? error.message : String(error),
          },
          'table view skipped a record it could not apply',
        );
      }
    }
    await payload.heartbeat();
  }

  private checkCaughtUp(): void {
    if (!this.caughtUpResolve) return;
    for (const [partition, target] of this.targets) {
      if ((this.reached.get(partition) ?? -1n) < target) return;
    }
    this.caughtUpResolve();
    this.caughtUpResolve = undefined;
  }
}
