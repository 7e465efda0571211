/** Something an app needs before it may take traffic: its Kafka client, its database. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, { readonly ok: boolean; readonly error?: string }>>;
}

/** Runs every check concurrently, each bounded by `timeoutMs`, and reports each by name. */
export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs: number,
): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async (c) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`no answer within ${timeoutMs} ms`));
        }, timeoutMs);
      });
      try {
        await Promise.race([c.check(), timeout]);
        return [c.name, { ok: true }] as const;
      } catch (error) {
        const reason: string = error instanceof Error ? error.message : String(error);
        return [c.name, { ok: false, error: reason }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const byName: Record<string, { readonly ok: boolean; readonly error?: string }> = {};
  for (const [name, result] of results) byName[name] = result;
  return { ready: results.every(([, r]) => r.ok), checks: byName };
}
