/**
 * How Avro logical types look in TypeScript. avsc is used without logical-type
 * implementations, so values are their underlying Avro type; these aliases say what a field
 * means where the plain type would not.
 */

/**
 * Avro `long` with logicalType `timestamp-millis`: milliseconds since the Unix epoch, UTC.
 * A number rather than a `Date`: it costs no allocation per field on the hot path, survives
 * JSON and structured cloning unchanged, compares with `===`, and matches Kafka's own
 * message timestamps. Convert at the edges (`new Date(ms).toISOString()`).
 */
export type TimestampMillis = number;

/** Avro `string` with logicalType `uuid`: a UUID in its canonical lower-case text form. */
export type Uuid = string;
