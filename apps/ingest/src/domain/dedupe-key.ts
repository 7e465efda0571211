import { createHash } from 'node:crypto';
import type { FhirJson, ParsedSubmission } from './submission';
import { err, ok, type Result } from './result';
import type { IngestError } from './ingest-error';

const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;

/**
 * What makes two submissions of one client "the same" (DESIGN.md): the Idempotency-Key
 * header; else the Bundle's or resource's business identifier; else the resource id; else,
 * our addition, the exact bytes. The key is hashed so the table never holds vendor strings
 * that might carry personal data.
 */
export function dedupeKey(
  submission: ParsedSubmission,
  idempotencyKey: string | undefined,
): Result<string, IngestError> {
  if (idempotencyKey !== undefined) {
    if (!idempotencyKeyPattern.test(idempotencyKey)) {
      return err({
        code: 'INGEST.BAD_IDEMPOTENCY_KEY',
        message: 'Idempotency-Key must be 1-255 visible ASCII characters.',
      });
    }
    return ok(hashed('idempotency-key', idempotencyKey));
  }
  const identifier = businessIdentifier(submission.resource);
  if (identifier) return ok(hashed(`${submission.type}.identifier`, identifier));
  const id = submission.resource['id'];
  if (typeof id === 'string' && id.length > 0) return ok(hashed(`${submission.type}.id`, id));
  return ok(hashed('content', submission.contentHash));
}

function businessIdentifier(resource: FhirJson): string | undefined {
  const raw = resource['identifier'];
  const first: unknown = Array.isArray(raw) ? raw[0] : raw;
  if (typeof first !== 'object' || first === null) return undefined;
  const { system, value } = first as { system?: unknown; value?: unknown };
  if (typeof value !== 'string' || value.length === 0) return undefined;
  return `${typeof system === 'string' ? system : ''}|${value}`;
}

function hashed(kind: string, value: string): string {
  return `${kind}:${createHash('sha256').update(value, 'utf8').digest('base64url')}`;
}
