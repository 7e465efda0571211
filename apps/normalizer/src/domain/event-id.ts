/**
 * Event ids are name-based UUIDs (version 5, RFC 9562 §5.5) of the submission id and the
 * resource's place in it, so normalizing the same submission again yields the same ids and
 * consumers can deduplicate on them. Node's SHA-1 does the work; the `uuid` package would add a
 * dependency for these few lines.
 */
import { createHash } from 'node:crypto';

/**
 * The namespace of Knutepunkt event ids: UUID v5 of the URL namespace and
 * `https://knutepunkt.no/ns/welfare-event-id` (fixed forever: changing it changes every id).
 */
export const eventIdNamespace = 'cabdc87a-47b5-5476-8c57-26d7f6869a86';

/** RFC 9562 name-based UUID, version 5 (SHA-1), of `name` in `namespace`. */
export function uuidV5(namespace: string, name: string): string {
  const namespaceHex = namespace.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(namespaceHex)) {
    throw new Error('The namespace of a UUID v5 must be a UUID');
  }
  const hash = createHash('sha1')
    .update(Buffer.from(namespaceHex, 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of the event a submission's resource became. `resourceKey` names the resource within
 * the submission: its `fullUrl` when unique in the Bundle, else `entry[<index>]`, or
 * `resource` for a resource submitted on its own.
 */
export function eventIdOf(submissionId: string, resourceKey: string): string {
  return uuidV5(eventIdNamespace, `${submissionId.toLowerCase()}|${resourceKey}`);
}
