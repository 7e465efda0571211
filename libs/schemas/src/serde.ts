/**
 * Topic values in the Confluent wire format: magic byte 0, the schema id as a 4-byte
 * big-endian integer, then the Avro binary encoding.
 *
 * Framework-free. The registry client (@kafkajs/confluent-schema-registry) is used for
 * registration and for fetching writer schemas by id; encoding and decoding use cached avsc
 * types directly, because the library's `encode` is async and copies every message twice
 * (see bench/serde.bench.ts and the README for the figures).
 *
 * Decoding reads every message into the *current* schema of its record, resolving from the
 * writer schema named by the id when they differ, so consumers always see the shape of the
 * generated types, whichever compatible version the producer used.
 */
import type { Type } from 'avsc';
import { avroNamespace, shortNameOf } from './avro-json';
import {
  type ConfluentSchemaRegistryOptions,
  createConfluentSchemaRegistry,
  type SchemaRegistryPort,
} from './schema-registry';
import { SerdeError } from './serde-error';
import { hasValueSchema, type TopicSpec, staticTopics, valueSubject } from './topics';
import {
  isValueSchemaName,
  type ValueSchemaName,
  type ValueTypes,
  valueSchema,
  valueType,
} from './value-schemas';

/** Length of the Confluent header: magic byte and 4-byte schema id. */
export const confluentHeaderLength = 5;
const confluentMagicByte = 0;

/** A decoded message whose record is known only after reading its schema id. */
export type DecodedMessage = {
  [N in ValueSchemaName]: {
    readonly schemaName: N;
    readonly schemaId: number;
    readonly value: ValueTypes[N];
  };
}[ValueSchemaName];

export interface Serde {
  /**
   * Registers the topic's value schema under `<topic>-value` (BACKWARD) and remembers its id,
   * so `encode` can run synchronously. Idempotent and cheap once done; call it at startup for
   * the topics an app writes, and before the first write to a new `epjTopic(orgnr)`.
   */
  register(topic: TopicSpec<ValueSchemaName>): Promise<number>;
  /** Whether `register(topic)` has completed. */
  isRegistered(topic: TopicSpec): boolean;
  /** Encodes a value for a registered topic. Throws `SERDE.NOT_REGISTERED` or `SERDE.INVALID_VALUE`. */
  encode<N extends ValueSchemaName>(topic: TopicSpec<N>, value: ValueTypes[N]): Buffer;
  /**
   * Decodes a message of a topic into the current schema of the topic's record. The writer
   * schema is fetched once per id and cached. Rejects with a SerdeError (see its codes).
   */
  decode<N extends ValueSchemaName>(topic: TopicSpec<N>, message: Buffer): Promise<ValueTypes[N]>;
  /** Decodes a message of any Knutepunkt value record, telling which one it is. */
  decodeAny(message: Buffer): Promise<DecodedMessage>;
}

export type CreateSerdeOptions =
  | ConfluentSchemaRegistryOptions
  | {
      /** A registry implementation, e.g. the in-memory one of `@knutepunkt/schemas/testing`. */
      readonly registry: SchemaRegistryPort;
    };

export function createSerde(options: CreateSerdeOptions): Serde {
  const registry =
    'registry' in options ? options.registry : createConfluentSchemaRegistry(options);
  return new AvroSerde(registry);
}

/**
 * Registers the value schemas of the given topics (by default every topic with a fixed name),
 * one after the other, and returns their ids by topic name. Topics without a value schema
 * (DLQs) are skipped. Apps call it at boot before they produce.
 */
export async function registerAll(
  serde: Serde,
  topics: Iterable<TopicSpec> = staticTopics,
): Promise<ReadonlyMap<string, number>> {
  const schemaIds = new Map<string, number>();
  for (const topic of topics) {
    if (hasValueSchema(topic)) {
      // Sequential on purpose: boot-time only, and it keeps the registry's id order stable.
      schemaIds.set(topic.name, await serde.register(topic));
    }
  }
  return schemaIds;
}

/** The schema id of a message in the Confluent wire format. Throws a SerdeError for a bad header. */
export function readSchemaId(message: Buffer): number {
  if (message.length < confluentHeaderLength) {
    throw new SerdeError(
      'SERDE.TRUNCATED_FRAME',
      `Message of ${message.length} bytes is shorter than the ${confluentHeaderLength}-byte Confluent header`,
    );
  }
  if (message[0] !== confluentMagicByte) {
    throw new SerdeError(
      'SERDE.BAD_MAGIC_BYTE',
      `Message starts with byte ${String(message[0])}, not the Confluent magic byte 0`,
    );
  }
  return message.readInt32BE(1);
}

type Resolver = ReturnType<Type['createResolver']>;

interface Registration {
  readonly schemaId: number;
  readonly schemaName: ValueSchemaName;
  readonly type: Type;
}

interface Reader {
  readonly schemaName: ValueSchemaName;
  readonly type: Type;
  /** Absent when the writer schema is the current one (same canonical form). */
  readonly resolver: Resolver | undefined;
}

/** Encode buffers start at this size and grow to the largest message seen. */
const initialScratchBytes = 64 * 1024;

class AvroSerde implements Serde {
  private readonly registrations = new Map<string, Registration>();
  private readonly pendingRegistrations = new Map<string, Promise<number>>();
  private readonly readers = new Map<number, Reader>();
  private readonly pendingReaders = new Map<number, Promise<Reader>>();
  /**
   * Messages are encoded into this buffer behind a pre-written header and copied out once.
   * avsc's own `toBuffer` encodes twice for values over 1 KiB and the library then copies
   * again to prepend the header.
   */
  private scratch = Buffer.allocUnsafe(initialScratchBytes);

  constructor(private readonly registry: SchemaRegistryPort) {}

  register(topic: TopicSpec<ValueSchemaName>): Promise<number> {
    const done = this.registrations.get(topic.name);
    if (done !== undefined) {
      return Promise.resolve(done.schemaId);
    }
    let pending = this.pendingRegistrations.get(topic.name);
    if (pending === undefined) {
      pending = this.registerNow(topic).finally(() => this.pendingRegistrations.delete(topic.name));
      this.pendingRegistrations.set(topic.name, pending);
    }
    return pending;
  }

  isRegistered(topic: TopicSpec): boolean {
    return this.registrations.has(topic.name);
  }

  encode<N extends ValueSchemaName>(topic: TopicSpec<N>, value: ValueTypes[N]): Buffer {
    const registration = this.registrations.get(topic.name);
    if (registration === undefined) {
      throw new SerdeError(
        'SERDE.NOT_REGISTERED',
        `Schema of ${topic.name} is not registered: call register() at startup`,
        { topic: topic.name },
      );
    }
    let end: number;
    try {
      end = this.encodeIntoScratch(registration, value);
    } catch {
      throw invalidValueError(registration, value, topic.name);
    }
    const message = Buffer.allocUnsafe(end);
    this.scratch.copy(message, 0, 0, end);
    return message;
  }

  async decode<N extends ValueSchemaName>(
    topic: TopicSpec<N>,
    message: Buffer,
  ): Promise<ValueTypes[N]> {
    const schemaId = readSchemaId(message);
    const reader = this.readers.get(schemaId) ?? (await this.loadReader(schemaId));
    if (reader.schemaName !== topic.valueSchema) {
      throw new SerdeError(
        'SERDE.UNEXPECTED_SCHEMA',
        `Schema ${schemaId} is ${reader.schemaName}, but ${topic.name} carries ${topic.valueSchema}`,
        { schemaId, topic: topic.name },
      );
    }
    // The reader type is the compiled schema of ValueTypes[N], so the value has that shape.
    return readPayload(reader, message, schemaId) as ValueTypes[N];
  }

  async decodeAny(message: Buffer): Promise<DecodedMessage> {
    const schemaId = readSchemaId(message);
    const reader = this.readers.get(schemaId) ?? (await this.loadReader(schemaId));
    const value: unknown = readPayload(reader, message, schemaId);
    // As in decode(): the value has the shape of the reader's record.
    return { schemaName: reader.schemaName, schemaId, value } as DecodedMessage;
  }

  private async registerNow(topic: TopicSpec<ValueSchemaName>): Promise<number> {
    const schemaName = topic.valueSchema;
    const type = valueType(schemaName);
    const schemaId = await this.registry.register(
      valueSubject(topic),
      JSON.stringify(valueSchema(schemaName)),
    );
    this.registrations.set(topic.name, { schemaId, schemaName, type });
    // The registry answered with the id of exactly this schema: no need to fetch it back.
    if (!this.readers.has(schemaId)) {
      this.readers.set(schemaId, { schemaName, type, resolver: undefined });
    }
    return schemaId;
  }

  private loadReader(schemaId: number): Promise<Reader> {
    let pending = this.pendingReaders.get(schemaId);
    if (pending === undefined) {
      // Failures are not cached: an id unknown now is looked up again with the next message.
      pending = this.registry
        .writerType(schemaId)
        .then((writer) => {
          const reader = readerFor(writer, schemaId);
          this.readers.set(schemaId, reader);
          return reader;
        })
        .finally(() => this.pendingReaders.delete(schemaId));
      this.pendingReaders.set(schemaId, pending);
    }
    return pending;
  }

  private encodeIntoScratch(registration: Registration, value: unknown): number {
    let end = this.encodeWithHeader(registration, value);
    if (end < 0) {
      // avsc returns minus the number of missing bytes when the buffer is too small.
      this.scratch = Buffer.allocUnsafe(
        Math.max(this.scratch.length * 2, this.scratch.length - end),
      );
      end = this.encodeWithHeader(registration, value);
    }
    return end;
  }

  private encodeWithHeader(registration: Registration, value: unknown): number {
    this.scratch[0] = confluentMagicByte;
    this.scratch.writeInt32BE(registration.schemaId, 1);
    return registration.type.encode(value, this.scratch, confluentHeaderLength);
  }
}

function readerFor(writer: Type, schemaId: number): Reader {
  const writerName = writer.name ?? '';
  const schemaName = shortNameOf(writerName);
  if (writerName !== `${avroNamespace}.${schemaName}` || !isValueSchemaName(schemaName)) {
    throw new SerdeError(
      'SERDE.UNEXPECTED_SCHEMA',
      `Schema ${schemaId} is ${writerName || writer.typeName}, not a Knutepunkt value record`,
      { schemaId },
    );
  }
  const type = valueType(schemaName);
  if (type.equals(writer)) {
    return { schemaName, type, resolver: undefined };
  }
  try {
    return { schemaName, type, resolver: type.createResolver(writer) };
  } catch (error: unknown) {
    throw new SerdeError(
      'SERDE.UNEXPECTED_SCHEMA',
      `Schema ${schemaId} (${writerName}) cannot be read as the current ${schemaName}: ${messageOf(error)}`,
      { schemaId, cause: error },
    );
  }
}

function readPayload(reader: Reader, message: Buffer, schemaId: number): unknown {
  let decoded: { value: unknown; offset: number };
  try {
    decoded = reader.type.decode(message, confluentHeaderLength, reader.resolver);
  } catch (error: unknown) {
    throw new SerdeError(
      'SERDE.CORRUPT_PAYLOAD',
      `Payload of schema ${schemaId} does not decode: ${messageOf(error)}`,
      {
        schemaId,
        cause: error,
      },
    );
  }
  if (decoded.offset !== message.length) {
    throw new SerdeError(
      'SERDE.CORRUPT_PAYLOAD',
      decoded.offset < 0
        ? `Payload of schema ${schemaId} is truncated`
        : `Payload of schema ${schemaId} has ${message.length - decoded.offset} trailing bytes`,
      { schemaId },
    );
  }
  return decoded.value;
}

/**
 * avsc's own message quotes the offending value, which may be a national identity number:
 * the error names only the paths of the invalid fields, and avsc's error is not attached.
 */
function invalidValueError(registration: Registration, value: unknown, topic: string): SerdeError {
  const invalidPaths: string[] = [];
  registration.type.isValid(value, {
    errorHook: (path: string[]) => {
      invalidPaths.push(path.join('.'));
    },
  });
  const where = invalidPaths.length > 0 ? ` at ${invalidPaths.join(', ')}` : '';
  return new SerdeError(
    'SERDE.INVALID_VALUE',
    `Value is not a valid ${registration.schemaName} for ${topic}${where}`,
    { schemaId: registration.schemaId, topic, invalidPaths },
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
