/**
 * Errors of encoding, decoding and registering, with stable codes. A consumer's policy maps
 * them: `SERDE.REGISTRY_UNAVAILABLE` is worth a retry (see `isRetryableSerdeError`); every
 * other decoding error means the message can never be decoded and belongs in the DLQ.
 */
export type SerdeErrorCode =
  /** The message is shorter than the 5-byte Confluent header. */
  | 'SERDE.TRUNCATED_FRAME'
  /** The first byte is not the Confluent magic byte 0. */
  | 'SERDE.BAD_MAGIC_BYTE'
  /** The registry does not know the schema id in the header. */
  | 'SERDE.UNKNOWN_SCHEMA_ID'
  /** The writer schema is not Avro (JSON Schema or Protobuf). */
  | 'SERDE.NOT_AVRO'
  /** The writer schema is not the record this topic (or any Knutepunkt topic) carries. */
  | 'SERDE.UNEXPECTED_SCHEMA'
  /** The Avro payload does not decode with its writer schema. */
  | 'SERDE.CORRUPT_PAYLOAD'
  /** The value to encode does not match the schema. */
  | 'SERDE.INVALID_VALUE'
  /** `encode` was called for a topic whose schema has not been registered. */
  | 'SERDE.NOT_REGISTERED'
  /** The registry refused the schema (incompatible, invalid, or the subject's compatibility is not BACKWARD). */
  | 'SERDE.REGISTRATION_REJECTED'
  /** The registry could not be reached or failed. */
  | 'SERDE.REGISTRY_UNAVAILABLE';

export interface SerdeErrorDetails {
  readonly schemaId?: number;
  readonly topic?: string;
  readonly subject?: string;
  /** For `SERDE.INVALID_VALUE`: the paths of the offending fields, e.g. `body.no.knutepunkt.v1.Alert.code`. */
  readonly invalidPaths?: readonly string[];
  readonly cause?: unknown;
}

export class SerdeError extends Error {
  override readonly name = 'SerdeError';
  readonly schemaId: number | undefined;
  readonly topic: string | undefined;
  readonly subject: string | undefined;
  readonly invalidPaths: readonly string[];

  constructor(
    readonly code: SerdeErrorCode,
    message: string,
    details: SerdeErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.schemaId = details.schemaId;
    this.topic = details.topic;
    this.subject = details.subject;
    this.invalidPaths = details.invalidPaths ?? [];
  }
}

export function isSerdeError(error: unknown, code?: SerdeErrorCode): error is SerdeError {
  return error instanceof SerdeError && (code === undefined || error.code === code);
}

/** Whether retrying may help (the registry was unreachable), as opposed to dead-lettering. */
export function isRetryableSerdeError(error: unknown): boolean {
  return isSerdeError(error, 'SERDE.REGISTRY_UNAVAILABLE');
}
