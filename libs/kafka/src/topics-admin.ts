import type { Admin, Kafka } from 'kafkajs';

/** A topic to create: the catalog in libs/schemas says what its configuration is. */
export interface TopicDefinition {
  readonly name: string;
  readonly partitions: number;
  readonly configEntries: readonly { readonly name: string; readonly value: string }[];
}

export interface EnsureTopicsResult {
  readonly created: readonly string[];
  readonly existing: readonly string[];
  /** Existing topics whose partition count is below the catalog's: the catalog grew. */
  readonly drift: readonly string[];
}

/**
 * Creates every catalog topic that does not exist yet, with its configuration. Run by each
 * service at boot (idempotent; concurrent runs are fine: "already exists" is success) and by
 * the Helm hook job in production.
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: readonly TopicDefinition[],
  replicationFactor: number,
): Promise<EnsureTopicsResult> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await ensureWithAdmin(admin, topics, replicationFactor);
  } finally {
    await admin.disconnect();
  }
}

async function ensureWithAdmin(
  admin: Admin,
  topics: readonly TopicDefinition[],
  replicationFactor: number,
): Promise<EnsureTopicsResult> {
  const present = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !present.has(t.name));
  if (missing.length > 0) {
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          replicationFactor,
          configEntries: [...t.configEntries],
        })),
      });
    } catch (error) {
      // Another service created some of them first; re-read and carry on.
      if (!String(error).includes('already exists')) throw error;
    }
  }
  const existingTopics = topics.filter((t) => present.has(t.name));
  const drift: string[] = [];
  if (existingTopics.length > 0) {
    const metadata = await admin.fetchTopicMetadata({ topics: existingTopics.map((t) => t.name) });
    for (const meta of metadata.topics) {
      const wanted = existingTopics.find((t) => t.name === meta.name);
      if (wanted && meta.partitions.length < wanted.partitions) drift.push(meta.name);
    }
  }
  return {
    created: missing.map((t) => t.name),
    existing: existingTopics.map((t) => t.name),
    drift,
  };
}
