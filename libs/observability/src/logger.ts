import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Paths pino replaces before a line is written. Request and message bodies are never logged
 * at all; these catch what could slip in through headers or error objects.
 */
export const redactedPaths: readonly string[] = [
  'req.headers.authorization',
  'req.headers.dpop',
  'req.headers.cookie',
  'req.body',
  'res.body',
  'body',
  'payload',
  'patient',
  'identifier',
  '*.patient',
  '*.identifier',
  '*.password',
];

export function createLogger(app: string, level: string): Logger {
  return pino({
    name: app,
    level,
    base: { app },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...redactedPaths], censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
    // An error's own fields can carry data (a failed query's parameters): keep what
    // diagnoses it and drop the rest.
    serializers: { err: errorForLog },
  });
}

export function errorForLog(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    stack: error.stack,
    ...(error.cause === undefined ? {} : { cause: errorForLog(error.cause) }),
  };
}
