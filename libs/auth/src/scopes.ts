/** The scopes Knutepunkt's APIs check (DESIGN.md "Security"). */
export const Scopes = {
  IngestWrite: 'knutepunkt:ingest.write',
  EpjRead: 'knutepunkt:epj.read',
  EpjAck: 'knutepunkt:epj.ack',
  ConsentRead: 'knutepunkt:consent.read',
  ConsentWrite: 'knutepunkt:consent.write',
  AuditRead: 'knutepunkt:audit.read',
  Admin: 'knutepunkt:admin',
} as const;

export type Scope = (typeof Scopes)[keyof typeof Scopes];

export const allScopes: readonly Scope[] = Object.values(Scopes);

/**
 * The `scope` claim as a set. RFC 9068 and RFC 8693 make it one space-separated string;
 * HelseID sends a JSON array of strings. Anything else is malformed (undefined).
 */
export function parseScopeClaim(claim: unknown): ReadonlySet<string> | undefined {
  if (claim === undefined) return new Set();
  if (typeof claim === 'string') return new Set(claim.split(' ').filter((s) => s.length > 0));
  if (Array.isArray(claim) && claim.every((s): s is string => typeof s === 'string')) {
    return new Set(claim.flatMap((s) => s.split(' ')).filter((s) => s.length > 0));
  }
  return undefined;
}

/** The scopes of `required` that `granted` lacks, in the order given. */
export function missingScopes(
  granted: ReadonlySet<string>,
  required: readonly string[],
): readonly string[] {
  return required.filter((scope) => !granted.has(scope));
}
