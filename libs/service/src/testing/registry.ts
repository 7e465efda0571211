import { registryKeys, registryRecordOf, type RegistryEntry } from '@knutepunkt/auth';
import { CoalescingProducer, createKafka, ensureTopics } from '@knutepunkt/kafka';
import { createSerde, registerAll, topicConfigEntries, Topics } from '@knutepunkt/schemas';
import { integrationEnv } from '@knutepunkt/testing';

/**
 * Publishes municipalities and clients on `knutepunkt.registry.v1`, as ingest's admin API
 * does, for tests of services that read the authorization register.
 */
export async function publishRegistryEntries(entries: readonly RegistryEntry[]): Promise<void> {
  const env = integrationEnv();
  const kafka = createKafka({
    brokers: (env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','),
    clientId: 'knutepunkt-test-registry',
  });
  const topic = Topics.registry;
  await ensureTopics(
    kafka,
    [
      {
        name: topic.name,
        partitions: topic.partitions,
        configEntries: topicConfigEntries(topic, { replicationFactor: 1 }),
      },
    ],
    1,
  );
  const serde = createSerde({ registryUrl: env['SCHEMA_REGISTRY_URL'] ?? '' });
  await registerAll(serde, [Topics.registry]);
  const producer = new CoalescingProducer(kafka);
  await producer.connect();
  try {
    await producer.send(
      entries.map((entry) => ({
        topic: Topics.registry.name,
        key:
          entry.kind === 'municipality'
            ? registryKeys.municipality(entry.municipality.orgnr)
            : registryKeys.client(entry.client.clientId),
        value: serde.encode(Topics.registry, registryRecordOf(entry, new Date(), 'test-admin')),
      })),
    );
  } finally {
    await producer.disconnect();
  }
}
