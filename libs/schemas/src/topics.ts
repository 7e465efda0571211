/**
 * The topic catalog: every Kafka topic of Knutepunkt as data. No topic name is written as a
 * string literal anywhere else in the repository: use `Topics.<stream>.name`, `epjTopic()`
 * and `dlqTopic()`.
 *
 * Sizing and retention are the production intent; `topicConfigEntries()` turns a spec into
 * broker configuration for a given replication factor (a one-broker dev stack included).
 */
import type { ValueSchemaName } from './value-schemas';

/** The Knutepunkt apps, as named in DESIGN.md. */
export const appNames = ['ingest', 'normalizer', 'consent', 'journal-writer', 'audit'] as const;
export type AppName = (typeof appNames)[number];

export type CleanupPolicy = 'delete' | 'compact';

/** One topic: its name, contract and configuration. */
export interface TopicSpec<V extends ValueSchemaName | null = ValueSchemaName | null> {
  /** The topic name, `knutepunkt.<stream>.v<major>`. */
  readonly name: string;
  /** The stream part of the name, e.g. `normalized.urgent`, `epj.123456785`. */
  readonly stream: string;
  /** The major version in the name: a breaking change is a new topic. */
  readonly majorVersion: number;
  /** What the message key is. Keys are strings. */
  readonly key: string;
  /** The Avro record of the value (subject `<name>-value`); null for raw bytes (DLQs). */
  readonly valueSchema: V;
  readonly description: string;
  readonly partitions: number;
  readonly cleanupPolicy: CleanupPolicy;
  /** How long messages are kept (retention.ms); null keeps them forever. */
  readonly retentionMs: number | null;
  /** min.insync.replicas in production (capped by the replication factor where there are fewer brokers). */
  readonly minInsyncReplicas: number;
  /** max.message.bytes: FHIR bodies up to 1 MiB plus envelope exceed Kafka's 1 MB default. */
  readonly maxMessageBytes: number;
  /**
   * `urgent` for the `.urgent` twins (alarms, falls, fire, severity >= 30, triage red/orange):
   * consumers read them in a consumer of their own, ahead of routine data.
   */
  readonly lane: 'urgent' | 'routine';
  /** Apps that write it (for ACLs and docs). */
  readonly producedBy: readonly AppName[];
  /** Apps that read it; EPJ topics are read by the municipalities' EPJ integrations. */
  readonly consumedBy: readonly AppName[];
}

export const topicPrefix = 'knutepunkt';
const majorVersion = 1;
const day = 24 * 60 * 60 * 1000;
const mebibyte = 1024 * 1024;
/** Room for a 1 MiB FHIR body and its envelope; normalized events also carry the originals. */
const largeMessageBytes = 4 * mebibyte;
const defaultMessageBytes = mebibyte;
const productionMinInsyncReplicas = 2;
const allApps: readonly AppName[] = appNames;
const writersOfLifecycle: readonly AppName[] = [
  'ingest',
  'normalizer',
  'consent',
  'journal-writer',
];

function topicName(stream: string, major: number): string {
  return `${topicPrefix}.${stream}.v${major}`;
}

type TopicInput<V extends ValueSchemaName | null> = Omit<
  TopicSpec<V>,
  'name' | 'majorVersion' | 'minInsyncReplicas' | 'lane'
> & { readonly lane?: 'urgent' | 'routine' };

function defineTopic<V extends ValueSchemaName | null>(input: TopicInput<V>): TopicSpec<V> {
  return Object.freeze({
    name: topicName(input.stream, majorVersion),
    majorVersion,
    minInsyncReplicas: productionMinInsyncReplicas,
    lane: 'routine',
    ...input,
  });
}

/** The topics with a fixed name. */
export const Topics = {
  accepted: defineTopic({
    stream: 'accepted',
    key: 'patient key (submission id when ingest could not derive one)',
    valueSchema: 'AcceptedSubmission',
    description:
      'Submissions as received; written by ingest before it answers 202 (stage registered).',
    partitions: 6,
    cleanupPolicy: 'delete',
    // Two weeks: long enough to re-normalize after a normalizer fix.
    retentionMs: 14 * day,
    maxMessageBytes: largeMessageBytes,
    producedBy: ['ingest'],
    consumedBy: ['normalizer', 'audit'],
  }),
  normalized: defineTopic({
    stream: 'normalized',
    key: 'patient key',
    valueSchema: 'WelfareEvent',
    description: 'Canonical welfare events, routine lane.',
    partitions: 6,
    cleanupPolicy: 'delete',
    retentionMs: 7 * day,
    maxMessageBytes: largeMessageBytes,
    producedBy: ['normalizer'],
    consumedBy: ['consent', 'audit'],
  }),
  normalizedUrgent: defineTopic({
    stream: 'normalized.urgent',
    lane: 'urgent',
    key: 'patient key',
    valueSchema: 'WelfareEvent',
    description:
      'Canonical welfare events, urgent lane (alarms, falls, fire, severity >= 30, triage red/orange); consumed ahead of the routine lane.',
    partitions: 3,
    cleanupPolicy: 'delete',
    retentionMs: 7 * day,
    maxMessageBytes: largeMessageBytes,
    producedBy: ['normalizer'],
    consumedBy: ['consent', 'audit'],
  }),
  consented: defineTopic({
    stream: 'consented',
    key: 'patient key',
    valueSchema: 'ConsentedEvent',
    description: 'Welfare events cleared for journaling, with the consent decision; routine lane.',
    partitions: 6,
    cleanupPolicy: 'delete',
    retentionMs: 7 * day,
    maxMessageBytes: largeMessageBytes,
    producedBy: ['consent'],
    consumedBy: ['journal-writer', 'audit'],
  }),
  consentedUrgent: defineTopic({
    stream: 'consented.urgent',
    lane: 'urgent',
    key: 'patient key',
    valueSchema: 'ConsentedEvent',
    description: 'Welfare events cleared for journaling, urgent lane.',
    partitions: 3,
    cleanupPolicy: 'delete',
    retentionMs: 7 * day,
    maxMessageBytes: largeMessageBytes,
    producedBy: ['consent'],
    consumedBy: ['journal-writer', 'audit'],
  }),
  consentChanges: defineTopic({
    stream: 'consent.changes',
    key: '`<orgnr>:<patient key>`, or `<orgnr>` for the municipality policy',
    valueSchema: 'ConsentState',
    description: 'Current registration, consent and policy state; a tombstone deletes it.',
    partitions: 6,
    cleanupPolicy: 'compact',
    retentionMs: null,
    maxMessageBytes: defaultMessageBytes,
    producedBy: ['consent'],
    consumedBy: ['consent'],
  }),
  status: defineTopic({
    stream: 'status',
    key: 'submission id',
    valueSchema: 'StatusChange',
    description: 'Submission lifecycle stages; ingest projects them into the status API.',
    partitions: 6,
    cleanupPolicy: 'delete',
    // Ingest's projection is the durable copy; the topic only has to bridge an outage.
    retentionMs: 7 * day,
    maxMessageBytes: defaultMessageBytes,
    producedBy: ['normalizer', 'consent', 'journal-writer'],
    consumedBy: ['ingest', 'audit'],
  }),
  audit: defineTopic({
    stream: 'audit',
    key: 'patient key, or the actor (client id) when no patient is involved',
    valueSchema: 'AuditRecord',
    description: 'Every access to and movement of data, for the hash-chained audit log.',
    partitions: 6,
    cleanupPolicy: 'delete',
    retentionMs: 30 * day,
    maxMessageBytes: defaultMessageBytes,
    producedBy: writersOfLifecycle,
    consumedBy: ['audit'],
  }),
  registry: defineTopic({
    stream: 'registry',
    key: '`municipality:<orgnr>` or `client:<clientId>`',
    valueSchema: 'RegistryRecord',
    description:
      'The authorization register (municipalities and clients); a tombstone removes an entry.',
    // One partition: the register is small and its changes keep one total order.
    partitions: 1,
    cleanupPolicy: 'compact',
    retentionMs: null,
    maxMessageBytes: defaultMessageBytes,
    producedBy: ['ingest'],
    consumedBy: allApps,
  }),
} as const;

/** Every topic with a fixed name. */
export const staticTopics: readonly TopicSpec[] = Object.values(Topics);

/** The `normalized` topic of an event's lane. */
export function normalizedTopicFor(urgent: boolean): TopicSpec<'WelfareEvent'> {
  return urgent ? Topics.normalizedUrgent : Topics.normalized;
}

/** The `consented` topic of an event's lane. */
export function consentedTopicFor(urgent: boolean): TopicSpec<'ConsentedEvent'> {
  return urgent ? Topics.consentedUrgent : Topics.consented;
}

const orgnrPattern = /^\d{9}$/;

/** Matches EPJ topic names; group 1 is the orgnr. */
export const epjTopicPattern = /^knutepunkt\.epj\.(\d{9})\.v1$/;

/**
 * The journal entry topic of one municipality, `knutepunkt.epj.<orgnr>.v1`: one per
 * municipality so Kafka ACLs can give each EPJ integration only its own. Throws for anything
 * but 9 digits, so no input can shape another topic's name.
 */
export function epjTopic(orgnr: string): TopicSpec<'JournalEntry'> {
  if (!orgnrPattern.test(orgnr)) {
    throw new Error(`Not an organisation number (9 digits): ${JSON.stringify(orgnr)}`);
  }
  return defineTopic({
    stream: `epj.${orgnr}`,
    key: 'patient key',
    valueSchema: 'JournalEntry',
    description: `Journal entries for the EPJ of municipality ${orgnr}.`,
    partitions: 3,
    cleanupPolicy: 'delete',
    // EPJ integrations may be down over a long weekend or a maintenance window.
    retentionMs: 30 * day,
    maxMessageBytes: largeMessageBytes,
    producedBy: ['journal-writer'],
    consumedBy: [],
  });
}

/** The orgnr of an EPJ topic name, or null when it is not one. */
export function orgnrOfEpjTopic(name: string): string | null {
  return epjTopicPattern.exec(name)?.[1] ?? null;
}

/** Matches dead-letter topic names; group 1 is the app. */
export const dlqTopicPattern = /^knutepunkt\.dlq\.([a-z][a-z0-9-]*)\.v1$/;

/**
 * The dead-letter topic of an app, `knutepunkt.dlq.<app>.v1`. Values are the original bytes;
 * headers carry the error class, message, source topic/partition/offset and attempts.
 */
export function dlqTopic(app: AppName): TopicSpec<null> {
  if (!(appNames as readonly string[]).includes(app)) {
    throw new Error(`Unknown app ${JSON.stringify(app)}`);
  }
  return defineTopic({
    stream: `dlq.${app}`,
    key: 'the original message key',
    valueSchema: null,
    description: `Messages ${app} could not process, as they were.`,
    // Low volume, read by people and replay tools: one ordered partition.
    partitions: 1,
    cleanupPolicy: 'delete',
    retentionMs: 30 * day,
    maxMessageBytes: largeMessageBytes,
    producedBy: [app],
    consumedBy: [],
  });
}

/** The schema registry subject of a topic's values (TopicNameStrategy). */
export function valueSubject(topic: TopicSpec): string {
  return `${topic.name}-value`;
}

/** Whether a topic carries Avro values (i.e. is not a DLQ). */
export function hasValueSchema(topic: TopicSpec): topic is TopicSpec<ValueSchemaName> {
  return topic.valueSchema !== null;
}

export interface TopicConfigEntry {
  readonly name: string;
  readonly value: string;
}

/**
 * Broker configuration of a topic (the `configEntries` of a create-topics request).
 * min.insync.replicas is capped at the replication factor: a one-broker development stack
 * could not accept acks=all writes otherwise.
 */
export function topicConfigEntries(
  topic: TopicSpec,
  options: { readonly replicationFactor: number },
): TopicConfigEntry[] {
  return [
    { name: 'cleanup.policy', value: topic.cleanupPolicy },
    { name: 'retention.ms', value: String(topic.retentionMs ?? -1) },
    {
      name: 'min.insync.replicas',
      value: String(Math.max(1, Math.min(topic.minInsyncReplicas, options.replicationFactor))),
    },
    { name: 'max.message.bytes', value: String(topic.maxMessageBytes) },
  ];
}
