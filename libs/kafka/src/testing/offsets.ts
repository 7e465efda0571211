import type { Admin } from 'kafkajs';

/** Every record ever written to `topic`: the sum of its partitions' end offsets. */
export async function recordsOn(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, o) => sum + Number(o.high), 0);
}

/** What consumer group `groupId` has committed on `topic`, summed over its partitions. */
export async function recordsCommitted(
  admin: Admin,
  groupId: string,
  topic: string,
): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

/** The records on `topic` that `groupId` has not committed past (its lag). */
export async function recordsBehind(admin: Admin, groupId: string, topic: string): Promise<number> {
  return (await recordsOn(admin, topic)) - (await recordsCommitted(admin, groupId, topic));
}
