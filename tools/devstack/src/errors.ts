/**
 * An expected failure with a message meant for a person (a port in use, a missing JDK, a
 * process that died while starting). The CLI prints only the message, without a stack trace.
 */
export class DevstackError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'DevstackError';
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
