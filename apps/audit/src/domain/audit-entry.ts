import type { AuditRecord } from '@knutepunkt/schemas';

/**
 * One fact for the audit log, before it is chained: who (actor), what (action, entity,
 * outcome), whose (orgnr, patient key), when (`at`), why (purpose), from where (app, request
 * id). `sourceId` makes it idempotent: the AuditRecord's `auditId`, or
 * `<topic>:<partition>:<offset>` for a lifecycle fact, so a redelivery appends nothing.
 */
export type AuditFact = Omit<AuditRecord, 'auditId'> & { readonly sourceId: string };

/** A row of the chain: the fact, its place, when it was appended, and the two hashes. */
export type ChainedEntry = AuditFact & {
  /** 1, 2, 3, … without gaps: a missing number is a deleted row. */
  readonly seq: number;
  /** When the audit service appended it, epoch milliseconds. */
  readonly recordedAt: number;
  /** The previous row's `hash`; {@link genesisHash} for row 1. */
  readonly prevHash: string;
  /** SHA-256 (hex) of {@link canonicalEntry} of this row. */
  readonly hash: string;
};

/** The last row of the chain: what the next row links to. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

/** The `prevHash` of the first row. */
export const genesisHash = '0'.repeat(64);

// PostgreSQL text cannot hold NUL, and UTF-8 cannot hold a lone surrogate: either would make
// the stored text differ from the hashed text. Both become U+FFFD before hashing.
const unstorable = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function storable(text: string): string;
function storable(text: string | null): string | null;
function storable(text: string | null): string | null {
  return text === null ? null : text.replace(unstorable, '\ufffd');
}

/** The fact with every text made storable exactly as it will be hashed. */
export function storableFact(fact: AuditFact): AuditFact {
  return {
    sourceId: storable(fact.sourceId),
    at: fact.at,
    actor: {
      kind: fact.actor.kind,
      clientId: storable(fact.actor.clientId),
      orgnr: storable(fact.actor.orgnr),
      system: storable(fact.actor.system),
    },
    action: storable(fact.action),
    entity: { type: storable(fact.entity.type), id: storable(fact.entity.id) },
    outcome: fact.outcome,
    orgnr: storable(fact.orgnr),
    patientKey: storable(fact.patientKey),
    purpose: storable(fact.purpose),
    app: storable(fact.app),
    requestId: storable(fact.requestId),
    details: Object.fromEntries(
      Object.entries(fact.details).map(([key, value]) => [storable(key), storable(value)]),
    ),
  };
}
