import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { avroSourceDir } from '../tools/avro-files';
import {
  type TopicSpec,
  Topics,
  appNames,
  consentedTopicFor,
  dlqTopic,
  dlqTopicPattern,
  epjTopic,
  epjTopicPattern,
  normalizedTopicFor,
  orgnrOfEpjTopic,
  staticTopics,
  topicConfigEntries,
  valueSubject,
} from './topics';
import { valueSchemaNames } from './value-schemas';

const namePattern = /^knutepunkt\.[a-z0-9]+(\.[a-z0-9-]+)*\.v[1-9][0-9]*$/;
const sampleTopics: readonly TopicSpec[] = [
  ...staticTopics,
  epjTopic('999999999'),
  ...appNames.map((app) => dlqTopic(app)),
];

describe('topic catalog', () => {
  it.each(sampleTopics.map((topic) => [topic.name, topic] as const))(
    '%s is named knutepunkt.<stream>.v<major>',
    (name, topic) => {
      expect(name).toMatch(namePattern);
      expect(name).toBe(`knutepunkt.${topic.stream}.v${topic.majorVersion}`);
    },
  );

  it('has every topic of DESIGN.md', () => {
    expect(staticTopics.map((topic) => topic.name).sort()).toEqual([
      'knutepunkt.accepted.v1',
      'knutepunkt.audit.v1',
      'knutepunkt.consent.changes.v1',
      'knutepunkt.consented.urgent.v1',
      'knutepunkt.consented.v1',
      'knutepunkt.normalized.urgent.v1',
      'knutepunkt.normalized.v1',
      'knutepunkt.registry.v1',
      'knutepunkt.status.v1',
    ]);
    expect(epjTopic('999999999').name).toBe('knutepunkt.epj.999999999.v1');
    expect(dlqTopic('journal-writer').name).toBe('knutepunkt.dlq.journal-writer.v1');
  });

  it.each(
    sampleTopics
      .filter((topic) => topic.valueSchema !== null)
      .map((topic) => [topic.name, topic.valueSchema]),
  )('%s has a value record (%s) with an .avsc file', (_name, valueSchema) => {
    expect(valueSchemaNames).toContain(valueSchema);
    expect(existsSync(join(avroSourceDir, `${String(valueSchema)}.avsc`))).toBe(true);
  });

  it('compacts the state topics and only those', () => {
    const compacted = sampleTopics.filter((topic) => topic.cleanupPolicy === 'compact');

    expect(compacted.map((topic) => topic.name).sort()).toEqual([
      Topics.consentChanges.name,
      Topics.registry.name,
    ]);
    for (const topic of compacted) {
      expect(topic.retentionMs).toBeNull();
    }
  });

  it('puts exactly the urgent twins in the urgent lane', () => {
    expect(
      staticTopics
        .filter((t) => t.lane === 'urgent')
        .map((t) => t.name)
        .sort(),
    ).toEqual(['knutepunkt.consented.urgent.v1', 'knutepunkt.normalized.urgent.v1']);
  });

  it('gives the urgent twins the same records as their routine topics', () => {
    expect(Topics.normalizedUrgent.valueSchema).toBe(Topics.normalized.valueSchema);
    expect(Topics.consentedUrgent.valueSchema).toBe(Topics.consented.valueSchema);
    expect(normalizedTopicFor(true)).toBe(Topics.normalizedUrgent);
    expect(normalizedTopicFor(false)).toBe(Topics.normalized);
    expect(consentedTopicFor(true)).toBe(Topics.consentedUrgent);
    expect(consentedTopicFor(false)).toBe(Topics.consented);
  });

  it('has unique names and sane sizes', () => {
    expect(new Set(sampleTopics.map((topic) => topic.name)).size).toBe(sampleTopics.length);
    for (const topic of sampleTopics) {
      expect(topic.partitions).toBeGreaterThanOrEqual(1);
      expect(topic.maxMessageBytes).toBeGreaterThanOrEqual(1024 * 1024);
    }
  });

  it('leaves DLQ values as raw bytes', () => {
    expect(dlqTopic('normalizer').valueSchema).toBeNull();
  });

  it('refuses an EPJ topic for anything but a 9-digit orgnr', () => {
    expect(() => epjTopic('12345678')).toThrow('Not an organisation number');
    expect(() => epjTopic('999999999.v2.x')).toThrow('Not an organisation number');
  });

  it('refuses a DLQ for an unknown app', () => {
    // A value from outside the type system, e.g. configuration.
    const app = 'not-an-app' as Parameters<typeof dlqTopic>[0];

    expect(() => dlqTopic(app)).toThrow('Unknown app');
  });

  it('recognises EPJ and DLQ topic names', () => {
    expect(orgnrOfEpjTopic(epjTopic('999999999').name)).toBe('999999999');
    expect(orgnrOfEpjTopic(Topics.accepted.name)).toBeNull();
    expect(epjTopicPattern.test(epjTopic('123456785').name)).toBe(true);
    expect(dlqTopicPattern.exec(dlqTopic('consent').name)?.[1]).toBe('consent');
  });

  it('names subjects by TopicNameStrategy', () => {
    expect(valueSubject(Topics.normalized)).toBe('knutepunkt.normalized.v1-value');
  });

  it('caps min.insync.replicas at the replication factor', () => {
    const entries = (replicationFactor: number): Record<string, string> =>
      Object.fromEntries(
        topicConfigEntries(Topics.registry, { replicationFactor }).map((entry) => [
          entry.name,
          entry.value,
        ]),
      );

    expect(entries(3)).toEqual({
      'cleanup.policy': 'compact',
      'retention.ms': '-1',
      'min.insync.replicas': '2',
      'max.message.bytes': '1048576',
    });
    expect(entries(1)['min.insync.replicas']).toBe('1');
  });
});
