/**
 * Where progress lines go ("kafka: resolving jars…"). The CLI and ensureStack() write them to
 * stderr; a caller that wants silence passes its own sink to ensureStack().
 */
export type Reporter = (line: string) => void;

let current: Reporter = (line) => {
  process.stderr.write(`${line}\n`);
};

export function report(line: string): void {
  current(line);
}

/** Runs `fn` with progress going to `reporter`, then restores the previous one. */
export async function withReporter<T>(
  reporter: Reporter | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  if (reporter === undefined) return fn();
  const previous = current;
  current = reporter;
  try {
    return await fn();
  } finally {
    current = previous;
  }
}
