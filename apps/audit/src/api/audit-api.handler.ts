import type { AuthorizationRegister, Principal } from '@knutepunkt/auth';
import { Scopes } from '@knutepunkt/auth';
import type { AuditOutcome, AuditRecord } from '@knutepunkt/schemas';
import { actorOf, auditRecord } from '@knutepunkt/service';
import type { AuditEvent, Bundle, Parameters } from '@medplum/fhirtypes';
import {
  auditError,
  auditEventBundle,
  innsynLimit,
  innsynQueryOf,
  innsynText,
  searchQueryOf,
  type AuditError,
  type AuditQuery,
  type AuditResult,
  type ChainedEntry,
  type CallerScope,
  type DerivePatientKey,
  type VerifyReport,
} from '../domain';
import type { AuditLog } from '../persistence/audit-log.store';

export interface RequestContext {
  readonly principal: Principal;
  readonly requestId: string;
}

export interface InnsynAnswer {
  readonly bundle: Bundle<AuditEvent>;
  readonly text: string;
}

/**
 * The audit API's use cases. Each one is itself audited: an AuditRecord (`audit.search`,
 * `audit.innsyn`, `audit.verify`) is published on `knutepunkt.audit.v1` — one per patient key
 * looked up, so the patient's own innsyn shows who looked — and acknowledged by Kafka before
 * the answer goes out; if it cannot be, the caller gets 503 and no data.
 */
export class AuditApiHandler {
  constructor(
    private readonly log: AuditLog,
    private readonly register: AuthorizationRegister,
    private readonly derive: DerivePatientKey,
    private readonly publish: (records: readonly AuditRecord[]) => Promise<void>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async search(
    body: unknown,
    cursor: string | undefined,
    context: RequestContext,
  ): Promise<AuditResult<Bundle<AuditEvent>>> {
    const query = searchQueryOf(body, this.scopeOf(context.principal), this.derive, cursor);
    if (!query.ok) return this.refused('audit.search', query.error, context);
    const rows = await this.log.search(query.value);
    const last = rows.at(-1);
    const next =
      last !== undefined && rows.length === query.value.count
        ? `/audit/_search?_cursor=${last.seq}`
        : undefined;
    const recorded = await this.record('audit.search', 'success', query.value, rows, context, {
      results: String(rows.length),
      ...filtersOf(query.value),
    });
    if (!recorded.ok) return recorded;
    return {
      ok: true,
      value: auditEventBundle(rows, {
        type: 'searchset',
        at: this.clock(),
        ...(next !== undefined && { next }),
      }),
    };
  }

  async innsyn(body: unknown, context: RequestContext): Promise<AuditResult<InnsynAnswer>> {
    const query = innsynQueryOf(body, this.scopeOf(context.principal), this.derive);
    if (!query.ok) return this.refused('audit.innsyn', query.error, context);
    const rows = await this.log.search(query.value);
    const recorded = await this.record('audit.innsyn', 'success', query.value, rows, context, {
      results: String(rows.length),
    });
    if (!recorded.ok) return recorded;
    const at = this.clock();
    return {
      ok: true,
      value: {
        bundle: auditEventBundle(rows, { type: 'collection', at }),
        text: innsynText(rows, { at, limit: innsynLimit }),
      },
    };
  }

  async verify(context: RequestContext): Promise<AuditResult<VerifyReport>> {
    const report = await this.log.verify();
    const recorded = await this.record('audit.verify', 'success', null, [], context, {
      valid: String(report.valid),
      entries: String(report.entries),
      ...(report.firstBrokenAt !== null && { firstBrokenAt: String(report.firstBrokenAt) }),
    });
    return recorded.ok ? { ok: true, value: report } : recorded;
  }

  /** An admin may read every municipality's log; any other client the ones it is registered for. */
  private scopeOf(principal: Principal): CallerScope {
    if (principal.scopes.has(Scopes.Admin))
      return { all: true, orgnrs: this.register.municipalities().map((m) => m.orgnr) };
    return { all: false, orgnrs: this.register.client(principal.clientId)?.municipalities ?? [] };
  }

  private async refused<T>(
    action: string,
    error: AuditError,
    context: RequestContext,
  ): Promise<AuditResult<T>> {
    const outcome = error.code === 'AUDIT.MUNICIPALITY_NOT_ALLOWED' ? 'denied' : 'failed';
    const recorded = await this.record(action, outcome, null, [], context, { error: error.code });
    if (!recorded.ok) return recorded;
    return { ok: false, error };
  }

  private async record(
    action: string,
    outcome: AuditOutcome,
    query: AuditQuery | null,
    rows: readonly ChainedEntry[],
    context: RequestContext,
    details: Record<string, string>,
  ): Promise<AuditResult<null>> {
    const single =
      query && query.orgnrs !== 'all' && query.orgnrs.length === 1 ? query.orgnrs[0] : null;
    // One record per municipality where the patient's rows were seen, under the patient's key
    // there, so the patient's own innsyn shows who looked. A lookup that found nothing is
    // recorded once, without a patient key (one per municipality searched would be noise).
    const seen = new Set(rows.map((r) => r.orgnr));
    const keys = (query?.patientKeys ?? []).filter((k) => seen.has(k.orgnr));
    const subjects = keys.length > 0 ? keys : [{ orgnr: single ?? null, key: null }];
    const records = subjects.map(({ orgnr, key: patientKey }) =>
      auditRecord('audit', {
        actor: actorOf(context.principal, 'auditor'),
        action,
        entity: { type: 'AuditLog', id: action.slice('audit.'.length) },
        outcome,
        orgnr,
        patientKey,
        purpose: action === 'audit.innsyn' ? 'innsyn' : 'audit',
        requestId: context.requestId,
        at: this.clock(),
        details,
      }),
    );
    try {
      await this.publish(records);
      return { ok: true, value: null };
    } catch {
      return auditError(
        'AUDIT.NOT_RECORDED',
        'This use of the audit log could not be recorded; nothing is answered until it can be. Try again shortly.',
      );
    }
  }
}

function filtersOf(query: AuditQuery): Record<string, string> {
  const used = [
    query.patientKeys !== null && 'patient',
    query.actor !== null && 'actor',
    query.action !== null && 'action',
    query.from !== null && 'from',
    query.to !== null && 'to',
  ].filter((f): f is string => typeof f === 'string');
  return used.length > 0 ? { filters: used.join(',') } : {};
}

/** The innsyn answer as FHIR: a Parameters with the Bundle and the Norwegian text. */
export function innsynParameters(answer: InnsynAnswer): Parameters {
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'bundle', resource: answer.bundle },
      { name: 'text', valueString: answer.text },
    ],
  };
}
