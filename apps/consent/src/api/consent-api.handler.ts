import type { AuthorizationRegister, Principal } from '@knutepunkt/auth';
import type { MessageProducer, OutgoingMessage } from '@knutepunkt/kafka';
import type { Identifier, Serde } from '@knutepunkt/schemas';
import { actorOf, auditMessage, auditRecord } from '@knutepunkt/service';
import type { Environment } from '@knutepunkt/fhir';
import type { Logger } from '@knutepunkt/observability';
import { ConsentChangesPublisher } from '../changes/consent-changes.publisher';
import { DecisionState } from '../decide/decision-state';
import { EventDecider } from '../decide/event-decider';
import { parseJsonObject, type IdentifierRules } from '../domain/api-input';
import { accepted, refused, type ApiResult } from '../domain/consent-api-error';
import { parseConsentResource } from '../domain/consent-resource';
import { parsePolicyRequest } from '../domain/policy-request';
import { parseRegistrationRequest } from '../domain/registration-request';
import { parseConsentSearch, parseRegistrationSearch } from '../domain/search-request';
import type {
  AuditFactsOfChange,
  ChangeAuthor,
  ConsentChange,
  ConsentStore,
  PolicyChange,
  RegistrationChange,
  StoredConsent,
  StoredRegistration,
} from '../persistence/consent-store';
import type { PolicyMode } from '../domain';

export interface Caller {
  readonly principal: Principal;
  readonly requestId: string;
}

export interface EffectivePolicy {
  readonly mode: PolicyMode;
  readonly holdFor: string;
  /** `recorded` through this API, given at `onboarding`, or the service's `default`. */
  readonly source: 'recorded' | 'onboarding' | 'default';
}

/**
 * The consent API's use cases (DESIGN.md "Consent API"): check who may act for the
 * municipality, read the body, change the store, publish the change and apply it to this
 * replica's decision state before answering — so the next event is decided with it.
 */
export class ConsentApiHandler {
  constructor(
    private readonly store: ConsentStore,
    private readonly publisher: ConsentChangesPublisher,
    private readonly state: DecisionState,
    private readonly decider: EventDecider,
    private readonly register: AuthorizationRegister,
    private readonly producer: MessageProducer,
    private readonly serde: Serde,
    private readonly environment: Environment,
    private readonly identifierKeyOf: (orgnr: string, identifier: Identifier) => string,
    private readonly logger: Logger,
  ) {}

  async putRegistration(
    caller: Caller,
    orgnr: string,
    body: string,
  ): Promise<ApiResult<RegistrationChange['result']>> {
    const rules = this.authorize(caller, orgnr);
    if (!rules.ok) return rules;
    const parsed = parseJsonObject(body);
    if (!parsed.ok) return parsed;
    const request = parseRegistrationRequest(parsed.value, rules.value);
    if (!request.ok) return request;
    const change = await this.store.putRegistration(
      orgnr,
      request.value,
      this.author(caller, orgnr),
    );
    if (!change.ok) return change;
    return this.published(change.value);
  }

  async searchRegistrations(
    caller: Caller,
    orgnr: string,
    body: string,
  ): Promise<ApiResult<StoredRegistration[]>> {
    const rules = this.authorize(caller, orgnr);
    if (!rules.ok) return rules;
    const parsed = parseJsonObject(body.trim() === '' ? '{}' : body);
    if (!parsed.ok) return parsed;
    const search = parseRegistrationSearch(parsed.value);
    if (!search.ok) return search;
    const found = await this.store.searchRegistrations(orgnr, search.value);
    const audited = await this.auditRead(
      caller,
      orgnr,
      'registration.search',
      'Registration',
      search.value.identifier,
      found.length,
    );
    return audited.ok ? accepted(found) : audited;
  }

  async recordConsent(
    caller: Caller,
    orgnr: string,
    body: string,
  ): Promise<ApiResult<ConsentChange['result']>> {
    const rules = this.authorize(caller, orgnr);
    if (!rules.ok) return rules;
    const parsed = parseJsonObject(body);
    if (!parsed.ok) return parsed;
    const input = parseConsentResource(parsed.value, rules.value);
    if (!input.ok) return input;
    const change = await this.store.recordConsent(orgnr, input.value, this.author(caller, orgnr));
    if (!change.ok) return change;
    return this.published(change.value);
  }

  async searchConsents(
    caller: Caller,
    orgnr: string,
    body: string,
  ): Promise<ApiResult<StoredConsent[]>> {
    const rules = this.authorize(caller, orgnr);
    if (!rules.ok) return rules;
    const parsed = parseJsonObject(body.trim() === '' ? '{}' : body);
    if (!parsed.ok) return parsed;
    const search = parseConsentSearch(parsed.value);
    if (!search.ok) return search;
    const found = await this.store.searchConsents(orgnr, search.value);
    const audited = await this.auditRead(
      caller,
      orgnr,
      'consent.search',
      'Consent',
      search.value.patient,
      found.length,
    );
    return audited.ok ? accepted(found) : audited;
  }

  async putPolicy(
    caller: Caller,
    orgnr: string,
    body: string,
  ): Promise<ApiResult<PolicyChange['result'] & { readonly effective: EffectivePolicy }>> {
    const rules = this.authorize(caller, orgnr);
    if (!rules.ok) return rules;
    const parsed = parseJsonObject(body);
    if (!parsed.ok) return parsed;
    const policy = parsePolicyRequest(parsed.value);
    if (!policy.ok) return policy;
    const change = await this.store.setPolicy(orgnr, policy.value, this.author(caller, orgnr));
    const published = await this.published(change);
    if (!published.ok) return published;
    return accepted({ ...published.value, effective: this.effectivePolicy(orgnr) });
  }

  getPolicy(caller: Caller, orgnr: string): ApiResult<EffectivePolicy> {
    const rules = this.authorize(caller, orgnr);
    if (!rules.ok) return rules;
    return accepted(this.effectivePolicy(orgnr));
  }

  private effectivePolicy(orgnr: string): EffectivePolicy {
    const { policy, source } = this.state.view.policySource(orgnr);
    return { mode: policy.mode, holdFor: policy.holdFor, source };
  }

  /**
   * Publishes the change's outbox rows and applies the states to this replica's view, then
   * releases the held events a registration lets go. Kafka down: the change is committed
   * and the relay publishes it later; the caller is told so (503).
   */
  private async published<T>(change: {
    readonly result: T;
    readonly outboxIds: readonly string[];
  }): Promise<ApiResult<T>> {
    let states;
    try {
      states = await this.publisher.publish(change.outboxIds);
    } catch {
      return refused(
        'CONSENT.KAFKA_UNAVAILABLE',
        'The change is recorded but could not be published yet; it takes effect when Kafka is back. Repeating the same request is safe.',
      );
    }
    for (const { key, state } of states) this.state.apply(key, state);
    try {
      for (const { state } of states) await this.decider.releaseFor(state);
    } catch (error) {
      // The change stands; the held events are decided again by the sweep.
      this.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'releasing held events failed; the sweep will decide them',
      );
    }
    return accepted(change.result);
  }

  /** May the caller act for this municipality, and which identifier systems does it accept? */
  private authorize(caller: Caller, orgnr: string): ApiResult<IdentifierRules> {
    const verdict = this.register.mayActFor(caller.principal, orgnr);
    if (!verdict.ok) return refused('CONSENT.MUNICIPALITY_NOT_ALLOWED', verdict.message);
    const municipality = this.register.municipality(orgnr);
    if (municipality === undefined) {
      return refused(
        'CONSENT.UNKNOWN_MUNICIPALITY',
        `Municipality ${orgnr} is not connected to Knutepunkt.`,
      );
    }
    return accepted({
      environment: this.environment,
      municipalitySystems: municipality.identifierSystems,
    });
  }

  private author(caller: Caller, orgnr: string): ChangeAuthor {
    return {
      clientId: caller.principal.clientId,
      auditMessage: (facts: AuditFactsOfChange): OutgoingMessage =>
        auditMessage(
          this.serde,
          auditRecord('consent', {
            actor: actorOf(caller.principal, this.actorKind(caller)),
            action: facts.action,
            entity: { type: facts.entityType, id: facts.entityId },
            outcome: 'success',
            orgnr,
            patientKey: facts.patientKey,
            purpose: 'administration',
            requestId: caller.requestId,
            ...(facts.details === undefined ? {} : { details: facts.details }),
          }),
        ),
    };
  }

  /**
   * Searches read personal data: each is audited, naming the patient when one was asked for.
   * No answer is given that could not be audited.
   */
  private async auditRead(
    caller: Caller,
    orgnr: string,
    action: string,
    entityType: string,
    patient: Identifier | null,
    matches: number,
  ): Promise<ApiResult<null>> {
    const message = auditMessage(
      this.serde,
      auditRecord('consent', {
        actor: actorOf(caller.principal, this.actorKind(caller)),
        action,
        entity: { type: entityType, id: 'search' },
        outcome: 'success',
        orgnr,
        patientKey: patient === null ? null : this.identifierKeyOf(orgnr, patient),
        purpose: 'administration',
        requestId: caller.requestId,
        details: { matches: String(matches) },
      }),
    );
    try {
      await this.producer.send([message]);
      return accepted(null);
    } catch {
      return refused(
        'CONSENT.KAFKA_UNAVAILABLE',
        'The search could not be recorded on the audit log, so it is not answered; try again shortly.',
      );
    }
  }

  /** Municipal administrators and Knutepunkt's own admins both act as administrators here. */
  private actorKind(_caller: Caller): 'admin' {
    return 'admin';
  }
}
