import { loadConfig } from '@knutepunkt/config';
import { createKafka, ensureTopics } from '@knutepunkt/kafka';
import {
  appNames,
  createSerde,
  dlqTopic,
  registerAll,
  staticTopics,
  topicConfigEntries,
} from '@knutepunkt/schemas';
import { kafkaConnection, schemaRegistryOptions, serviceEnv } from '@knutepunkt/service';

/**
 * The catalog's deployment steps, run by the Helm hook Jobs before the services roll:
 * `topics` creates every fixed topic and each app's DLQ with its configuration; `schemas`
 * registers every value schema (BACKWARD). Both are idempotent. The EPJ topic of a
 * municipality is created when it is onboarded.
 */
async function main(command: string | undefined): Promise<void> {
  const config = loadConfig(serviceEnv, process.env);
  switch (command ?? '') {
    case 'topics': {
      const kafka = createKafka(kafkaConnection(config, 'knutepunkt-catalog'));
      const topics = [...staticTopics, ...appNames.map((app) => dlqTopic(app))];
      const replicationFactor = config.KAFKA_REPLICATION_FACTOR;
      const result = await ensureTopics(
        kafka,
        topics.map((t) => ({
          name: t.name,
          partitions: t.partitions,
          configEntries: topicConfigEntries(t, { replicationFactor }),
        })),
        replicationFactor,
      );
      console.log(
        JSON.stringify({
          created: result.created,
          existing: result.existing.length,
          drift: result.drift,
        }),
      );
      if (result.drift.length > 0) process.exitCode = 2;
      return;
    }
    case 'schemas': {
      const serde = createSerde(schemaRegistryOptions(config));
      const ids = await registerAll(serde, staticTopics);
      console.log(JSON.stringify(Object.fromEntries(ids)));
      return;
    }
    default:
      throw new Error('usage: catalog <topics|schemas>');
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
