import { z } from 'zod';

/** journal-writer's own settings (the shared ones are in libs/service's serviceEnv). */
export const journalWriterEnv = z.object({
  /** How often the outbox relay sweeps for messages nobody kicked it for (another replica's, a crash's). */
  JOURNAL_OUTBOX_SWEEP_INTERVAL_MS: z.coerce.number().int().min(10).max(600_000).default(1_000),
  /**
   * How often the oldest-unread and oldest-unacknowledged gauges are read from the database
   * (one query; a scrape reads the last result).
   */
  JOURNAL_METRICS_REFRESH_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(600_000)
    .default(15_000),
  /** Messages per produce round of the relay. */
  JOURNAL_OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(500),
});

export type JournalWriterEnv = z.infer<typeof journalWriterEnv>;
