import { CustomTransportStrategy, Server, BaseRpcContext } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { BatchConsumer, type BatchConsumerDeps } from '../consumer';
import { LanePriority } from '../lane-priority';
import type { DecodedMessage, IncomingMessage } from '../messages';
import type { RetryPolicy } from '../retry-policy';

export type ConsumedBatch<T> = readonly DecodedMessage<T>[];

export class KafkaBatchContext extends BaseRpcContext<[topic: string, partition: number]> {
  get topic(): string {
    return this.args[0];
  }
  get partition(): number {
    return this.args[1];
  }
}

export interface KafkaBatchTransportOptions extends BatchConsumerDeps {
  /** The app's consumer group; the urgent lane uses `<groupId>.urgent`. */
  readonly groupId: string;
  readonly deadLetterTopic: string;
  readonly policy: RetryPolicy;
  readonly partitionsConsumedConcurrently?: number;
  /** The group's session timeout (default 30 s); tests shorten it. */
  readonly sessionTimeoutMs?: number;
  /** Urgent topics get a consumer of their own so routine backlog never delays them. */
  isUrgent(topic: string): boolean;
  decode(message: IncomingMessage): Promise<unknown>;
  /** Runs before consumers start: topic creation, schema registration. */
  beforeStart?(): Promise<void>;
}

/**
 * NestJS custom transport over libs/kafka's batch consumer, replacing the stock Kafka server
 * (one consumer for all topics, per-message handlers, a failing message retried forever).
 * Handlers are ordinary `@EventPattern(topic)` methods that receive a `ConsumedBatch<T>` of one
 * partition, in offset order; a handler that throws is retried, then its messages are
 * dead-lettered; offsets are committed only after the handler resolved.
 */
export class KafkaBatchTransport extends Server implements CustomTransportStrategy {
  private readonly consumers: BatchConsumer<unknown>[] = [];

  constructor(private readonly options: KafkaBatchTransportOptions) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.options.beforeStart?.();
      const topics = [...this.getHandlers().keys()];
      const urgent = topics.filter((t) => this.options.isUrgent(t));
      const routine = topics.filter((t) => !this.options.isUrgent(t));
      const lanes: [string, string[], 'urgent' | 'routine'][] = [
        [`${this.options.groupId}.urgent`, urgent, 'urgent'],
        [this.options.groupId, routine, 'routine'],
      ];
      // Shared by the two lanes: routine chunks wait while an urgent batch is handled.
      const priority = new LanePriority();
      for (const [groupId, laneTopics, kind] of lanes) {
        if (laneTopics.length === 0) continue;
        const consumer = new BatchConsumer<unknown>(
          {
            groupId,
            topics: laneTopics,
            deadLetterTopic: this.options.deadLetterTopic,
            policy: this.options.policy,
            partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
            ...(this.options.sessionTimeoutMs === undefined
              ? {}
              : { sessionTimeoutMs: this.options.sessionTimeoutMs }),
            ...(urgent.length > 0 && routine.length > 0 ? { lane: { kind, priority } } : {}),
            decode: (m) => this.options.decode(m),
            handle: (batch) => this.dispatch(batch),
          },
          this.options,
        );
        await consumer.start();
        this.consumers.push(consumer);
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
    this.consumers.length = 0;
  }

  on(): never {
    throw new Error('KafkaBatchTransport does not emit events');
  }

  // Nest's abstract signature; callers get the lane consumers.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
  unwrap<T>(): T {
    return this.consumers as unknown as T;
  }

  private async dispatch(batch: ConsumedBatch<unknown>): Promise<void> {
    const first = batch[0];
    if (!first) return;
    const handler = this.getHandlerByPattern(first.topic);
    if (!handler) throw new Error(`no handler for ${first.topic}`);
    const context = new KafkaBatchContext([first.topic, first.partition]);
    const result: unknown = await handler(batch, context);
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }
}
