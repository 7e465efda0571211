/**
 * The schema registry as the serde needs it, and its implementation over
 * @kafkajs/confluent-schema-registry (HTTP client, retries, id → schema cache).
 */
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Type } from 'avsc';
import { SerdeError } from './serde-error';

export interface SchemaRegistryPort {
  /**
   * Registers an Avro schema (JSON text) under a subject whose compatibility is BACKWARD and
   * returns its id; registering a schema the subject already has returns the existing id.
   * Rejects with `SERDE.REGISTRATION_REJECTED` or `SERDE.REGISTRY_UNAVAILABLE`.
   */
  register(subject: string, schema: string): Promise<number>;
  /**
   * The writer schema of an id, compiled by avsc. Rejects with `SERDE.UNKNOWN_SCHEMA_ID`,
   * `SERDE.NOT_AVRO` or `SERDE.REGISTRY_UNAVAILABLE`.
   */
  writerType(schemaId: number): Promise<Type>;
}

export interface ConfluentSchemaRegistryOptions {
  /** e.g. `http://127.0.0.1:8081` */
  readonly registryUrl: string;
  /** Sent as the client id of registry requests. */
  readonly clientId?: string;
  readonly auth?: { readonly username: string; readonly password: string };
}

/** The HTTP status of an error of the registry client, when it carries one. */
function httpStatusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error) {
    const status: unknown = error.status;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}

function errorNameOf(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The registry over @kafkajs/confluent-schema-registry. On a subject's first registration the
 * library sets its compatibility to BACKWARD; later it refuses (SERDE.REGISTRATION_REJECTED)
 * when an operator has changed it, rather than silently overriding the operator.
 */
export function createConfluentSchemaRegistry(
  options: ConfluentSchemaRegistryOptions,
): SchemaRegistryPort {
  const client = new SchemaRegistry({
    host: options.registryUrl,
    clientId: options.clientId ?? 'knutepunkt',
    ...(options.auth === undefined ? {} : { auth: { ...options.auth } }),
  });

  return {
    async register(subject, schema) {
      try {
        const { id } = await client.register(
          { type: SchemaType.AVRO, schema },
          { subject, compatibility: COMPATIBILITY.BACKWARD },
        );
        return id;
      } catch (error: unknown) {
        const status = httpStatusOf(error);
        const rejected =
          status === 409 ||
          status === 422 ||
          errorNameOf(error) === 'ConfluentSchemaRegistryCompatibilityError' ||
          errorNameOf(error) === 'ConfluentSchemaRegistryArgumentError';
        throw new SerdeError(
          rejected ? 'SERDE.REGISTRATION_REJECTED' : 'SERDE.REGISTRY_UNAVAILABLE',
          `Registering ${subject} failed: ${messageOf(error)}`,
          { subject, cause: error },
        );
      }
    },

    async writerType(schemaId) {
      let schema: unknown;
      try {
        schema = await client.getSchema(schemaId);
      } catch (error: unknown) {
        const unknownId = httpStatusOf(error) === 404;
        throw new SerdeError(
          unknownId ? 'SERDE.UNKNOWN_SCHEMA_ID' : 'SERDE.REGISTRY_UNAVAILABLE',
          unknownId
            ? `The schema registry has no schema ${schemaId}`
            : `Fetching schema ${schemaId} failed: ${messageOf(error)}`,
          { schemaId, cause: error },
        );
      }
      // The client returns an avsc Type for Avro and its own wrappers for JSON Schema/Protobuf.
      if (!Type.isType(schema)) {
        throw new SerdeError('SERDE.NOT_AVRO', `Schema ${schemaId} is not an Avro schema`, {
          schemaId,
        });
      }
      return schema as Type;
    },
  };
}
