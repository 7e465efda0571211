/**
 * The library's own message shapes. Nothing outside libs/kafka sees a kafkajs type, so the
 * client can be swapped (kafkajs is in maintenance mode) without touching the services.
 */
export type MessageHeaders = Readonly<Record<string, string>>;

export interface OutgoingMessage {
  readonly topic: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers?: MessageHeaders;
}

export interface IncomingMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: MessageHeaders;
  /** Broker or producer timestamp, epoch milliseconds. */
  readonly timestamp: number;
}

export interface DecodedMessage<T> extends IncomingMessage {
  readonly payload: T;
}

/** Correlation headers every producer sets and every consumer binds (STYLE.md "Consumers"). */
export const CorrelationHeaders = {
  correlationId: 'correlation-id',
  causationId: 'causation-id',
  eventId: 'event-id',
} as const;

/** Headers on a dead-lettered message; the value and key are the original bytes. */
export const DeadLetterHeaders = {
  errorClass: 'dlq-error-class',
  errorCode: 'dlq-error-code',
  errorMessage: 'dlq-error-message',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
  consumerGroup: 'dlq-consumer-group',
} as const;
