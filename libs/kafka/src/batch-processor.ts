import {
  errorClass,
  errorCode,
  errorMessage,
  isDependencyUnavailable,
  NonRetriableError,
} from './errors';
import {
  DeadLetterHeaders,
  type DecodedMessage,
  type IncomingMessage,
  type OutgoingMessage,
} from './messages';
import { backoffMs, type RetryPolicy } from './retry-policy';

export interface DeadLetter {
  readonly message: IncomingMessage;
  readonly error: unknown;
  readonly attempts: number;
}

export interface BatchProcessorPorts<T> {
  decode(message: IncomingMessage): Promise<T>;
  /** The application's work for consecutive messages of one partition, in offset order. */
  handle(messages: readonly DecodedMessage<T>[]): Promise<void>;
  /** Publishes to the dead-letter topic; must resolve only once the broker has it. */
  deadLetter(letters: readonly DeadLetter[]): Promise<void>;
  /** Keeps group membership alive during long work and waits. */
  heartbeat(): Promise<void>;
  /** False once a rebalance or shutdown took the partition away: stop, commit nothing more. */
  stillOwned(): boolean;
  sleep(ms: number): Promise<void>;
  onRetry?(error: unknown, attempt: number, size: number): void;
}

export interface BatchOutcome {
  /** Offset of the last message handled or dead-lettered; commit the one after it. */
  readonly lastDoneOffset: string | null;
  readonly handled: number;
  readonly deadLettered: number;
  readonly undecodable: number;
  /** True when processing stopped early because the partition was revoked. */
  readonly interrupted: boolean;
}

type Attempt = { ok: true } | { ok: false; error: unknown; attempts: number } | { ok: 'revoked' };

/**
 * Processes one fetched batch of a partition: bad bytes (a NonRetriableError from `decode`) go
 * straight to the dead-letter topic (they never reach the domain), the rest are handled as one batch with bounded retries;
 * when the batch keeps failing, each message is retried alone so one poison message is
 * dead-lettered and its neighbours still go through. A failure that says a dependency is down
 * (`isDependencyUnavailable`) is retried, with backoff, until the dependency is back or the
 * partition is revoked: it never sends a sound message to the dead-letter topic. Nothing is
 * reported done that was not handled or dead-lettered, so the caller commits only processed
 * offsets.
 */
export async function processBatch<T>(
  messages: readonly IncomingMessage[],
  policy: RetryPolicy,
  ports: BatchProcessorPorts<T>,
): Promise<BatchOutcome> {
  const decoded: DecodedMessage<T>[] = [];
  const letters: DeadLetter[] = [];
  for (const message of messages) {
    try {
      decoded.push({ ...message, payload: await ports.decode(message) });
    } catch (error) {
      // Bad bytes are dead-lettered; anything else (the schema registry unreachable) fails
      // the batch, uncommitted, so it is fetched and decoded again.
      if (!(error instanceof NonRetriableError)) throw error;
      letters.push({ message, error, attempts: 1 });
    }
  }
  const undecodable = letters.length;
  let handled = 0;

  const attempt = async (batch: readonly DecodedMessage<T>[]): Promise<Attempt> => {
    for (let n = 1; ; n++) {
      if (!ports.stillOwned()) return { ok: 'revoked' };
      try {
        await ports.handle(batch);
        return { ok: true };
      } catch (error) {
        // A dependency that is down (database restarting, broker away) is waited for, however
        // long: only a message that fails on its own merits is dead-lettered.
        const waitForDependency = isDependencyUnavailable(error);
        if (error instanceof NonRetriableError || (n >= policy.maxAttempts && !waitForDependency)) {
          return { ok: false, error, attempts: n };
        }
        ports.onRetry?.(error, n, batch.length);
        await ports.sleep(backoffMs(policy, Math.min(n, 16)));
        await ports.heartbeat();
      }
    }
  };

  let interrupted = false;
  if (decoded.length > 0) {
    const whole = await attempt(decoded);
    if (whole.ok === true) {
      handled = decoded.length;
    } else if (whole.ok === 'revoked') {
      interrupted = true;
    } else if (decoded.length === 1) {
      letters.push({
        message: decoded[0] as DecodedMessage<T>,
        error: whole.error,
        attempts: whole.attempts,
      });
    } else {
      for (const message of decoded) {
        const single = await attempt([message]);
        if (single.ok === 'revoked') {
          interrupted = true;
          break;
        }
        if (single.ok) handled++;
        else letters.push({ message, error: single.error, attempts: single.attempts });
        await ports.heartbeat();
      }
    }
  }

  if (interrupted) {
    // Dead letters found before the revocation are not published: the new owner of the
    // partition sees the same messages and reaches the same verdict.
    return { lastDoneOffset: null, handled: 0, deadLettered: 0, undecodable: 0, interrupted };
  }
  if (letters.length > 0) await ports.deadLetter(letters);
  const last = messages.at(-1);
  return {
    lastDoneOffset: last ? last.offset : null,
    handled,
    deadLettered: letters.length - undecodable,
    undecodable,
    interrupted,
  };
}

/**
 * The dead-letter message for a message that failed: the original key, bytes and headers,
 * plus the `dlq-*` headers saying why, where it came from and how often it was tried. Used by
 * the consumer, and by handlers that reject a message as a value rather than by throwing.
 */
export function deadLetterMessage(
  letter: DeadLetter,
  deadLetterTopic: string,
  consumerGroup: string,
  now: Date = new Date(),
): OutgoingMessage {
  const values = {
    errorClass: errorClass(letter.error),
    errorCode: errorCode(letter.error),
    errorMessage: errorMessage(letter.error),
    sourceTopic: letter.message.topic,
    sourcePartition: String(letter.message.partition),
    sourceOffset: letter.message.offset,
    attempts: String(letter.attempts),
    failedAt: now.toISOString(),
    consumerGroup,
  };
  const headers: Record<string, string> = { ...letter.message.headers };
  for (const [field, header] of Object.entries(DeadLetterHeaders)) {
    headers[header] = values[field as keyof typeof values];
  }
  return { topic: deadLetterTopic, key: letter.message.key, value: letter.message.value, headers };
}
