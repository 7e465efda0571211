import type { Bundle, Composition } from '@medplum/fhirtypes';
import type { AuthorizationRegister, Principal } from '@knutepunkt/auth';
import type { Logger } from '@knutepunkt/observability';
import type { Serde } from '@knutepunkt/schemas';
import { actorOf } from '@knutepunkt/service';
import {
  type EntryStatus,
  type EpjApi,
  type EpjResult,
  type PatientKeyOf,
  parseEntrySearch,
  searchBundle,
  searchParametersOf,
} from '../domain';
import { correlation, entryAuditMessage, entryStatusMessage } from '../journal-messages';
import type { JournalMetrics } from '../journal-metrics';
import type { OutboxRelay } from '../outbox/outbox-relay';
import type { JournalStore, StoredEntry } from '../persistence/journal-store';
import { epjAccess } from './epj-access';

export interface SearchRequest {
  readonly orgnr: string;
  readonly principal: Principal;
  readonly contentType: string | undefined;
  readonly body: string;
  readonly query: Readonly<Record<string, unknown>>;
  readonly baseUrl: string;
  readonly requestId: string;
  /** The API the request came through (default `epj`); JFT's takes filters in the URL too. */
  readonly api?: EpjApi;
}

export interface SearchDeps {
  readonly store: JournalStore;
  readonly register: AuthorizationRegister;
  readonly patientKeyOf: PatientKeyOf;
  readonly serde: Serde;
  readonly relay: OutboxRelay;
  readonly metrics: JournalMetrics;
  readonly logger: Logger;
}

/**
 * `POST /epj/{orgnr}/_search` (and JFT's `GET /v1/Composition`, `POST /v1/Composition/_search`
 * with the municipality from the token): one page of the municipality's entries in the store's order.
 * Every entry returned is an access to a patient's data and gets an AuditRecord naming the
 * EPJ client and the patient key; the first read of an entry also records `read` on its
 * submission. Both go through the outbox in one transaction with the read mark.
 */
export class SearchEntriesHandler {
  constructor(private readonly deps: SearchDeps) {}

  async handle(request: SearchRequest): Promise<EpjResult<Bundle>> {
    const { store, register, patientKeyOf, serde, relay, metrics } = this.deps;
    const access = epjAccess(register, request.principal.clientId, request.orgnr);
    if (!access.ok) return access;
    const body = searchParametersOf(request.contentType, request.body);
    if (!body.ok) return body;
    const search = parseEntrySearch(
      { orgnr: request.orgnr, body: body.value, query: request.query, api: request.api ?? 'epj' },
      patientKeyOf,
    );
    if (!search.ok) return search;

    const found = await store.search(search.value);
    const now = Date.now();
    const actor = actorOf(request.principal, 'epj');
    const firstRead = await store.recordReads(found, request.principal.clientId, (entry, first) => {
      const headers = correlation(request.requestId, entry);
      const audit = entryAuditMessage(serde, entry, {
        action: 'journal-entry.read',
        actor,
        at: now,
        requestId: request.requestId,
        details: { firstRead: String(first) },
      });
      return first ? [entryStatusMessage(serde, entry, 'read', now, headers), audit] : [audit];
    });
    if (found.length > 0) {
      metrics.entriesRead(request.orgnr, 'first_read', firstRead.size);
      metrics.entriesRead(request.orgnr, 'reread', found.length - firstRead.size);
      // Statuses and audit records are in the outbox already; the answer does not wait for Kafka.
      relay.kick().catch((error: unknown) => {
        this.deps.logger.warn(
          { err: error },
          'outbox relay failed after a read; the sweep retries',
        );
      });
    }
    return {
      ok: true,
      value: searchBundle({
        baseUrl: request.baseUrl,
        api: request.api ?? 'epj',
        search: search.value,
        now,
        entries: found.map((entry) => ({
          seq: entry.seq,
          composition: JSON.parse(entry.compositionJson) as Composition,
          status: statusAfterRead(entry),
        })),
      }),
    };
  }
}

function statusAfterRead(entry: StoredEntry): EntryStatus {
  return entry.journaledAt === null ? 'read' : 'journaled';
}
