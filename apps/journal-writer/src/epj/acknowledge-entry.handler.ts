import type { AuthorizationRegister, Principal } from '@knutepunkt/auth';
import type { Logger } from '@knutepunkt/observability';
import type { Serde } from '@knutepunkt/schemas';
import { actorOf } from '@knutepunkt/service';
import { type EpjResult, epjFail } from '../domain';
import { correlation, entryAuditMessage, entryStatusMessage } from '../journal-messages';
import type { JournalMetrics } from '../journal-metrics';
import type { OutboxRelay } from '../outbox/outbox-relay';
import type { JournalStore } from '../persistence/journal-store';
import { epjAccess } from './epj-access';

export interface AcknowledgeRequest {
  readonly orgnr: string;
  readonly entryId: string;
  readonly principal: Principal;
  readonly requestId: string;
}

export interface AcknowledgeDeps {
  readonly store: JournalStore;
  readonly register: AuthorizationRegister;
  readonly serde: Serde;
  readonly relay: OutboxRelay;
  readonly metrics: JournalMetrics;
  readonly logger: Logger;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `POST /epj/{orgnr}/Composition/{id}/$journaling-acknowledged` (and JFT's
 * `POST /v1/Composition/{id}/$journaling-acknowledged`): the EPJ has the entry in the
 * patient's journal. The first acknowledgement records `journaled` (and `read`, when the EPJ
 * took the entry from its topic and never searched for it); a repeat changes nothing. Every
 * call is audited.
 */
export class AcknowledgeEntryHandler {
  constructor(private readonly deps: AcknowledgeDeps) {}

  async handle(
    request: AcknowledgeRequest,
  ): Promise<EpjResult<{ readonly firstAcknowledgement: boolean }>> {
    const { store, register, serde, relay, metrics } = this.deps;
    const access = epjAccess(register, request.principal.clientId, request.orgnr);
    if (!access.ok) return access;
    const notFound = epjFail(
      'EPJ.ENTRY_NOT_FOUND',
      'No journal entry with this id for this municipality.',
    );
    if (!uuidPattern.test(request.entryId)) return notFound;

    const now = Date.now();
    const actor = actorOf(request.principal, 'epj');
    const outcome = await store.acknowledge(
      request.orgnr,
      request.entryId.toLowerCase(),
      request.principal.clientId,
      (entry, change) => {
        const headers = correlation(request.requestId, entry);
        return [
          ...(change.firstRead ? [entryStatusMessage(serde, entry, 'read', now, headers)] : []),
          ...(change.firstAcknowledgement
            ? [entryStatusMessage(serde, entry, 'journaled', now, headers)]
            : []),
          entryAuditMessage(serde, entry, {
            action: 'journal-entry.acknowledge',
            actor,
            at: now,
            requestId: request.requestId,
            details: { repeat: String(!change.firstAcknowledgement) },
          }),
        ];
      },
    );
    if (outcome.kind === 'not-found') {
      metrics.acknowledged(request.orgnr, 'not_found');
      return notFound;
    }
    metrics.acknowledged(request.orgnr, outcome.firstAcknowledgement ? 'journaled' : 'repeat');
    relay.kick().catch((error: unknown) => {
      this.deps.logger.warn({ err: error }, 'outbox relay failed after an acknowledgement');
    });
    return { ok: true, value: { firstAcknowledgement: outcome.firstAcknowledgement } };
  }
}
