/**
 * Thrown (or rejected) by a handler when retrying cannot help: the message is invalid for
 * this consumer. The consumer dead-letters it at once instead of retrying.
 */
export class NonRetriableError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NonRetriableError';
  }
}

/** The bytes on the topic could not be turned into the expected record. */
export class UndecodableMessageError extends NonRetriableError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('KAFKA.UNDECODABLE', message, options);
    this.name = 'UndecodableMessageError';
  }
}

export function errorCode(error: unknown): string {
  if (error instanceof NonRetriableError) return error.code;
  return 'KAFKA.HANDLER_FAILED';
}

export function errorClass(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // A header is no place for an essay; the full error is in the consumer's log.
  return text.length > 1000 ? `${text.slice(0, 997)}...` : text;
}

/** Node's socket errors: the peer is down, restarting or unreachable. */
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/**
 * PostgreSQL SQLSTATEs that say the server, not the statement, is the problem: class 08
 * (connection exception), 57P01-57P03 (shutting down, crashed, starting), 53300 (too many
 * connections), and 40001/40P01 (serialization failure, deadlock: try again).
 */
const unavailableSqlStates = /^(08...|57P0[123]|53300|40001|40P01)$/;
/** kafkajs errors that mean the broker is away rather than the record bad. */
const brokerAwayErrors = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
  'KafkaJSTimeout',
]);
/** What pg and pg-pool say, without a code, when the server goes away mid-query. */
const connectionLostMessage =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/;

/**
 * True when the error says a dependency is down (the database restarting, the broker away, the
 * schema registry unreachable), not that the message is bad. Such a failure is retried until the
 * dependency is back: dead-lettering it would lose an event that nothing is wrong with. Looks
 * through the wrapping (`cause`, TypeORM's `driverError`, kafkajs' `originalError`).
 */
export function isDependencyUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof NonRetriableError) return false;
    const { code, name, message } = current as {
      code?: unknown;
      name?: unknown;
      message?: unknown;
    };
    if (typeof code === 'string' && (unreachableCodes.has(code) || unavailableSqlStates.test(code)))
      return true;
    if (typeof name === 'string' && brokerAwayErrors.has(name)) return true;
    if (typeof message === 'string' && connectionLostMessage.test(message)) return true;
    const wrapper = current as { cause?: unknown; driverError?: unknown; originalError?: unknown };
    current = wrapper.driverError ?? wrapper.originalError ?? wrapper.cause;
  }
  return false;
}
