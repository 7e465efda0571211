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
