/**
 * The consent decision for one welfare event (DESIGN.md "Consent API", issue 5;
 * docs/consent-decisions.md has the table). Pure: the caller supplies the state, the
 * municipality's policy and the clock.
 */
import { vkpOutcome, type VkpOperationOutcomeCode } from '@knutepunkt/fhir';
import type {
  ConsentDecision,
  ConsentDirective,
  Identifier,
  Patient,
  TimestampMillis,
  WelfareEvent,
  WelfareService,
} from '@knutepunkt/schemas';
import type {
  ConsentStateView,
  MunicipalityPolicy,
  PatientConsentState,
} from './consent-state-view';
import { isDateWithin, osloDateOf, type OsloDate } from './oslo-date';

/** Why an event is withheld or failed; the text goes into StatusChange.reason as is. */
export const withheldReasons = {
  'no registration': 'CONSENT.NO_REGISTRATION',
  'outside validity': 'CONSENT.OUTSIDE_VALIDITY',
  'service not registered': 'CONSENT.SERVICE_NOT_REGISTERED',
  reserved: 'CONSENT.RESERVED',
  'no consent': 'CONSENT.NO_CONSENT',
  'consent expired': 'CONSENT.CONSENT_EXPIRED',
  'no device loan': 'CONSENT.NO_DEVICE_LOAN',
  'ambiguous device loan': 'CONSENT.AMBIGUOUS_DEVICE_LOAN',
} as const;

export type WithheldReason = keyof typeof withheldReasons;
export type ConsentErrorCode = (typeof withheldReasons)[WithheldReason];

/**
 * The VKP operation-outcome code for each reason. No service relationship at the event's time
 * is 1.3 "ikke oppfylt tjenstlig behov"; a relationship whose consent condition forbids
 * journaling (reservation, no or expired consent) is 1.2 "ikke tillatt".
 */
export const vkpCodeByReason = {
  'no registration': vkpOutcome.missingActiveService,
  'outside validity': vkpOutcome.missingActiveService,
  'service not registered': vkpOutcome.missingActiveService,
  'no device loan': vkpOutcome.missingActiveService,
  'ambiguous device loan': vkpOutcome.missingActiveService,
  reserved: vkpOutcome.notAllowed,
  'no consent': vkpOutcome.notAllowed,
  'consent expired': vkpOutcome.notAllowed,
} as const satisfies Record<WithheldReason, VkpOperationOutcomeCode>;

export interface Refusal {
  readonly reason: WithheldReason;
  readonly code: ConsentErrorCode;
  readonly operationOutcomeCode: VkpOperationOutcomeCode;
}

export function refusal(reason: WithheldReason): Refusal {
  return { reason, code: withheldReasons[reason], operationOutcomeCode: vkpCodeByReason[reason] };
}

export type Decision =
  /** Journal it: publish `{ event, consent: decision }` on the consented topic. */
  | { readonly kind: 'consented'; readonly decision: ConsentDecision }
  /** Never journaled: a `withheld` StatusChange with the reason. */
  | ({ readonly kind: 'withheld' } & Refusal)
  /** Patient not registered yet: keep the event until `until`, then {@link expire} fails it. */
  | { readonly kind: 'held'; readonly until: TimestampMillis }
  /**
   * The event's hold period had already run out when it was decided (a late event for an
   * unregistered patient): the same outcome as a held event that expired — a `failed`
   * StatusChange with `no registration`.
   */
  | ({ readonly kind: 'failed' } & Refusal);

/** Who the event is about, once device loans and identifiers are resolved. */
export type Subject =
  /** Found: journal for this state's patient. */
  | {
      readonly kind: 'found';
      readonly state: PatientConsentState;
      readonly attributedViaDevice: boolean;
    }
  /** The event names a patient the consent service has no registration for (yet). */
  | { readonly kind: 'unregistered' }
  /** The event names only a device (or nothing) and no single loan covers its time. */
  | ({ readonly kind: 'unattributable' } & Refusal);

export interface DecideOptions {
  /** When the event was first held, for an event released from hold; null otherwise. */
  readonly heldSince?: TimestampMillis | null;
}

/**
 * Decides one event. `state` is the patient's state (undefined when nothing is recorded);
 * `attributedViaDevice` says it was found through a device loan.
 */
export function decide(
  event: WelfareEvent,
  state: PatientConsentState | undefined,
  policy: MunicipalityPolicy,
  now: TimestampMillis,
  options: DecideOptions & { readonly attributedViaDevice?: boolean } = {},
): Decision {
  const heldSince = options.heldSince ?? null;
  if (state?.registration == null) {
    // Measured from the event's own time, as DESIGN.md's hold period is: an event that was
    // already older than the hold period when it arrived fails at once.
    const until = event.occurredAt + policy.holdForMs;
    return now < until
      ? { kind: 'held', until }
      : { kind: 'failed', ...refusal('no registration') };
  }
  const registration = state.registration;
  const eventDate = osloDateOf(event.occurredAt);
  if (!isDateWithin(eventDate, registration.validFrom, registration.validTo)) {
    return { kind: 'withheld', ...refusal('outside validity') };
  }
  if (!registration.services.includes(event.service)) {
    return { kind: 'withheld', ...refusal('service not registered') };
  }
  const condition = consentCondition(state.consents, event.service, eventDate, policy);
  if (!condition.ok) return { kind: 'withheld', ...condition.refusal };

  const preferred = registration.identifiers[0];
  const namedPatient = event.patient;
  const patient: Patient | undefined =
    namedPatient !== null && namedPatient.patientKey === state.patientKey
      ? namedPatient
      : preferred === undefined
        ? undefined
        : { identifier: preferred, patientKey: state.patientKey };
  // A registration always ties at least one identifier (the API refuses one without); without
  // one there is nobody to journal for.
  if (patient === undefined) return { kind: 'withheld', ...refusal('no registration') };

  return {
    kind: 'consented',
    decision: {
      decidedAt: now,
      basis: policy.mode === 'opt-in' ? 'active_consent' : 'no_reservation',
      policyMode: policy.mode,
      patient,
      attributedViaDevice: options.attributedViaDevice ?? false,
      registrationId: registration.registrationId,
      registeredIdentifiers: registration.identifiers,
      consentId: condition.consentId,
      heldSince,
    },
  };
}

/**
 * Finds who the event is about in the view: by the patient key it names, else by its patient
 * identifier through a registration that ties it in, else — for an event naming only a
 * device — through the device loan covering the event's time.
 */
export function resolveSubject(event: WelfareEvent, view: ConsentStateView): Subject {
  const named = event.patient;
  if (named !== null) {
    const byKey = view.lookup(event.orgnr, named.patientKey);
    if (byKey?.registration != null) {
      return { kind: 'found', state: byKey, attributedViaDevice: false };
    }
    const byIdentifier = view.byIdentifier(event.orgnr, named.identifier);
    // Two registrations claiming one identifier is ambiguous: treat the patient as unknown
    // rather than journal into the wrong record.
    const [only, ...others] = byIdentifier;
    if (only !== undefined && others.length === 0) {
      return { kind: 'found', state: only, attributedViaDevice: false };
    }
    return { kind: 'unregistered' };
  }
  const deviceIdentifier = event.device?.identifier ?? null;
  if (deviceIdentifier === null) return { kind: 'unattributable', ...refusal('no device loan') };
  const attributed = attributeByDevice(
    view.byDevice(event.orgnr, deviceIdentifier),
    event.orgnr,
    deviceIdentifier,
    event.occurredAt,
  );
  return attributed.ok
    ? { kind: 'found', state: attributed.state, attributedViaDevice: true }
    : { kind: 'unattributable', ...attributed.refusal };
}

/** Resolves the subject and decides, with the municipality's policy from the view. */
export function decideWithView(
  event: WelfareEvent,
  view: ConsentStateView,
  now: TimestampMillis,
  options: DecideOptions = {},
): Decision {
  const subject = resolveSubject(event, view);
  const policy = view.policy(event.orgnr);
  switch (subject.kind) {
    case 'found':
      return decide(event, subject.state, policy, now, {
        ...options,
        attributedViaDevice: subject.attributedViaDevice,
      });
    case 'unregistered':
      return decide(event, undefined, policy, now, options);
    case 'unattributable':
      return {
        kind: 'withheld',
        reason: subject.reason,
        code: subject.code,
        operationOutcomeCode: subject.operationOutcomeCode,
      };
  }
}

export type Attribution =
  | { readonly ok: true; readonly state: PatientConsentState }
  | { readonly ok: false; readonly refusal: Refusal };

/**
 * The patient who had the device at `occurredAt` (judged as an Oslo date, loans being dates).
 * Overlapping loans of one device are refused at registration; should two still cover the
 * time, the event is withheld rather than journaled for either.
 */
export function attributeByDevice(
  states: readonly PatientConsentState[],
  orgnr: string,
  deviceIdentifier: Identifier,
  occurredAt: TimestampMillis,
): Attribution {
  const date = osloDateOf(occurredAt);
  const holders = states.filter(
    (state) =>
      state.orgnr === orgnr &&
      (state.registration?.devices ?? []).some(
        (loan) =>
          sameIdentifier(loan.identifier, deviceIdentifier) &&
          isDateWithin(date, loan.from, loan.to),
      ),
  );
  const [holder, ...others] = holders;
  if (holder === undefined) return { ok: false, refusal: refusal('no device loan') };
  if (others.length > 0) return { ok: false, refusal: refusal('ambiguous device loan') };
  return { ok: true, state: holder };
}

export function sameIdentifier(a: Identifier, b: Identifier): boolean {
  return a.system === b.system && a.value === b.value;
}

type ConditionResult =
  | { readonly ok: true; readonly consentId: string | null }
  | { readonly ok: false; readonly refusal: Refusal };

/**
 * The policy's consent condition. A reservation (deny) in force refuses under both modes and
 * overrides any consent; under opt-in a consent (permit) in force is also needed.
 */
function consentCondition(
  directives: readonly ConsentDirective[],
  service: WelfareService,
  date: OsloDate,
  policy: MunicipalityPolicy,
): ConditionResult {
  const covering = directives.filter((directive) => covers(directive, service));
  if (covering.some((directive) => directive.provision === 'deny' && inForce(directive, date))) {
    return { ok: false, refusal: refusal('reserved') };
  }
  if (policy.mode === 'opt-out') return { ok: true, consentId: null };
  // Directives are newest first, so the most recently recorded consent is the one named.
  const permit = covering.find(
    (directive) => directive.provision === 'permit' && inForce(directive, date),
  );
  if (permit !== undefined) return { ok: true, consentId: permit.consentId };
  const hadPermit = covering.some((directive) => directive.provision === 'permit');
  return { ok: false, refusal: refusal(hadPermit ? 'consent expired' : 'no consent') };
}

/** An empty service list covers every service (ConsentDirective.services). */
function covers(directive: ConsentDirective, service: WelfareService): boolean {
  return directive.services.length === 0 || directive.services.includes(service);
}

/**
 * Whether a directive governs an event on `date`. An `active` one does within its period. An
 * `inactive` one (withdrawn consent, lifted reservation) still governs the days of its period
 * when that period was closed: so withdrawing a consent by ending it stops later events but
 * not a held or lagging event from before. Without an end date there is no telling when it
 * stopped, so it governs nothing. Other statuses (draft, proposed, rejected,
 * entered-in-error) never govern.
 */
function inForce(directive: ConsentDirective, date: OsloDate): boolean {
  const governing =
    directive.status === 'active' ||
    (directive.status === 'inactive' && directive.periodEnd !== null);
  return governing && isDateWithin(date, directive.periodStart, directive.periodEnd);
}
