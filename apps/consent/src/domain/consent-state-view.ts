/**
 * The consent state a decision needs, in memory, kept current by applying the records of the
 * compacted `knutepunkt.consent.changes.v1` in order (issue 5: no database round trip per
 * event). Pure: the Kafka consumer feeds it, nothing here does I/O.
 *
 * Keys: `<orgnr>:<patientKey>` for a patient's state, `<orgnr>` for the municipality's policy;
 * a null value is a tombstone.
 */
import type { ConsentPolicy, ConsentState, Identifier } from '@knutepunkt/schemas';
import { parseIsoDuration } from './iso-duration';

export type PolicyMode = 'opt-in' | 'opt-out';

/** A municipality's policy, with `holdFor` already parsed. */
export interface MunicipalityPolicy {
  readonly mode: PolicyMode;
  /** As given, ISO 8601 (e.g. `PT24H`). */
  readonly holdFor: string;
  readonly holdForMs: number;
}

/**
 * The policy of a municipality that has none recorded. `holdFor` is DESIGN.md's default.
 * DESIGN.md names no default mode; `opt-in` is chosen because it fails closed: a municipality
 * that never stated its policy journals only what a recorded consent allows, and a missing
 * policy record can never journal data a reservation-only reading would have let through.
 */
export const defaultPolicy: MunicipalityPolicy = {
  mode: 'opt-in',
  holdFor: 'PT24H',
  holdForMs: 24 * 60 * 60 * 1000,
};

/** A patient's state: a ConsentState that belongs to a patient, not to the municipality. */
export type PatientConsentState = ConsentState & { readonly patientKey: string };

export type ConsentStateErrorCode =
  'CONSENT.MALFORMED_STATE_KEY' | 'CONSENT.STATE_KEY_MISMATCH' | 'CONSENT.INVALID_POLICY';

export type ApplyResult =
  | {
      readonly ok: true;
      /** False when the record was older than (or as old as) the state already held. */
      readonly applied: boolean;
    }
  | { readonly ok: false; readonly code: ConsentStateErrorCode; readonly message: string };

interface PolicyEntry {
  readonly policy: MunicipalityPolicy;
  readonly version: number;
}

/** A state key split into its parts; patientKey null for the municipality-level key. */
export interface ConsentStateKey {
  readonly orgnr: string;
  readonly patientKey: string | null;
}

/** Splits `<orgnr>:<patientKey>` or `<orgnr>`; an orgnr never contains a colon. */
export function parseConsentStateKey(key: string): ConsentStateKey | undefined {
  const colon = key.indexOf(':');
  const orgnr = colon === -1 ? key : key.slice(0, colon);
  const patientKey = colon === -1 ? null : key.slice(colon + 1);
  if (orgnr === '' || patientKey === '') return undefined;
  return { orgnr, patientKey };
}

/** Parses a policy record; unknown modes and durations are refused, never guessed. */
export function municipalityPolicyOf(
  policy: ConsentPolicy,
):
  | { readonly ok: true; readonly policy: MunicipalityPolicy }
  | { readonly ok: false; readonly message: string } {
  if (policy.mode !== 'opt-in' && policy.mode !== 'opt-out') {
    return { ok: false, message: `policy mode "${policy.mode}" is neither opt-in nor opt-out` };
  }
  const holdFor = parseIsoDuration(policy.holdFor);
  if (!holdFor.ok) return { ok: false, message: holdFor.message };
  return {
    ok: true,
    policy: { mode: policy.mode, holdFor: policy.holdFor, holdForMs: holdFor.millis },
  };
}

function patientStateKey(orgnr: string, patientKey: string): string {
  return `${orgnr}:${patientKey}`;
}

// NUL cannot occur in an orgnr or an identifier system, so these keys cannot collide.
function identifierKey(orgnr: string, identifier: Identifier): string {
  return `${orgnr}\u0000${identifier.system}\u0000${identifier.value}`;
}

/**
 * Where a municipality's policy comes from when the consent service has none recorded: the
 * policy given at onboarding (the registry's Municipality.policy); undefined or null when none.
 */
export type FallbackPolicySource = (orgnr: string) => ConsentPolicy | null | undefined;

export class ConsentStateView {
  constructor(private readonly fallbackPolicy: FallbackPolicySource = () => undefined) {}

  private readonly patients = new Map<string, PatientConsentState>();
  private readonly policies = new Map<string, PolicyEntry>();
  /** Patient identifier → patient keys of the registrations that tie it in. */
  private readonly identifierIndex = new Map<string, Set<string>>();
  /** Device identifier → patient keys of the registrations that list a loan of it. */
  private readonly deviceIndex = new Map<string, Set<string>>();

  /** Applies one record of the compacted topic; a null value deletes the state under the key. */
  apply(key: string, value: ConsentState | null): ApplyResult {
    const parsed = parseConsentStateKey(key);
    if (parsed === undefined) {
      return { ok: false, code: 'CONSENT.MALFORMED_STATE_KEY', message: `malformed state key` };
    }
    if (
      value !== null &&
      (value.orgnr !== parsed.orgnr || (value.patientKey ?? null) !== parsed.patientKey)
    ) {
      return {
        ok: false,
        code: 'CONSENT.STATE_KEY_MISMATCH',
        message: "the record's orgnr and patient key do not match its key",
      };
    }
    return parsed.patientKey === null
      ? this.applyPolicy(parsed.orgnr, value)
      : this.applyPatient(parsed.orgnr, parsed.patientKey, value);
  }

  /** The patient's state, or undefined when nothing is recorded for them. */
  lookup(orgnr: string, patientKey: string): PatientConsentState | undefined {
    return this.patients.get(patientStateKey(orgnr, patientKey));
  }

  /** The states whose registration ties in the given patient identifier. */
  byIdentifier(orgnr: string, identifier: Identifier): readonly PatientConsentState[] {
    return this.statesOf(orgnr, this.identifierIndex.get(identifierKey(orgnr, identifier)));
  }

  /** The states whose registration lists a loan (of any period) of the given device. */
  byDevice(orgnr: string, identifier: Identifier): readonly PatientConsentState[] {
    return this.statesOf(orgnr, this.deviceIndex.get(identifierKey(orgnr, identifier)));
  }

  /**
   * The municipality's policy: the one recorded on the topic, else the fallback (the policy
   * given at onboarding) when it is valid, else {@link defaultPolicy}.
   */
  policy(orgnr: string): MunicipalityPolicy {
    return this.policySource(orgnr).policy;
  }

  /** The policy and where it came from (`recorded`, `onboarding` or `default`). */
  policySource(orgnr: string): {
    readonly policy: MunicipalityPolicy;
    readonly source: 'recorded' | 'onboarding' | 'default';
  } {
    const recorded = this.policies.get(orgnr);
    if (recorded !== undefined) return { policy: recorded.policy, source: 'recorded' };
    const fallback = this.fallbackPolicy(orgnr);
    if (fallback != null) {
      const parsed = municipalityPolicyOf(fallback);
      if (parsed.ok) return { policy: parsed.policy, source: 'onboarding' };
    }
    return { policy: defaultPolicy, source: 'default' };
  }

  /** The version of the recorded policy, 0 when none is recorded. */
  policyVersion(orgnr: string): number {
    return this.policies.get(orgnr)?.version ?? 0;
  }

  /** Number of patient states held (for a gauge). */
  get patientCount(): number {
    return this.patients.size;
  }

  private applyPolicy(orgnr: string, value: ConsentState | null): ApplyResult {
    if (value === null || value.policy === null) {
      this.policies.delete(orgnr);
      return { ok: true, applied: true };
    }
    const current = this.policies.get(orgnr);
    if (current !== undefined && value.version <= current.version) {
      return { ok: true, applied: false };
    }
    const parsed = municipalityPolicyOf(value.policy);
    if (!parsed.ok) {
      return { ok: false, code: 'CONSENT.INVALID_POLICY', message: parsed.message };
    }
    this.policies.set(orgnr, { policy: parsed.policy, version: value.version });
    return { ok: true, applied: true };
  }

  private applyPatient(orgnr: string, patientKey: string, value: ConsentState | null): ApplyResult {
    const key = patientStateKey(orgnr, patientKey);
    const current = this.patients.get(key);
    if (value !== null && current !== undefined && value.version <= current.version) {
      return { ok: true, applied: false };
    }
    if (current !== undefined) this.unindex(current);
    if (value === null) {
      this.patients.delete(key);
      return { ok: true, applied: true };
    }
    const state: PatientConsentState = { ...value, patientKey };
    this.patients.set(key, state);
    this.index(state);
    return { ok: true, applied: true };
  }

  private index(state: PatientConsentState): void {
    const registration = state.registration;
    if (registration === null) return;
    for (const identifier of registration.identifiers) {
      addTo(this.identifierIndex, identifierKey(state.orgnr, identifier), state.patientKey);
    }
    for (const loan of registration.devices) {
      addTo(this.deviceIndex, identifierKey(state.orgnr, loan.identifier), state.patientKey);
    }
  }

  private unindex(state: PatientConsentState): void {
    const registration = state.registration;
    if (registration === null) return;
    for (const identifier of registration.identifiers) {
      removeFrom(this.identifierIndex, identifierKey(state.orgnr, identifier), state.patientKey);
    }
    for (const loan of registration.devices) {
      removeFrom(this.deviceIndex, identifierKey(state.orgnr, loan.identifier), state.patientKey);
    }
  }

  private statesOf(orgnr: string, patientKeys: Set<string> | undefined): PatientConsentState[] {
    const states: PatientConsentState[] = [];
    for (const patientKey of patientKeys ?? []) {
      const state = this.lookup(orgnr, patientKey);
      if (state !== undefined) states.push(state);
    }
    return states;
  }
}

function addTo(index: Map<string, Set<string>>, key: string, patientKey: string): void {
  const keys = index.get(key);
  if (keys === undefined) index.set(key, new Set([patientKey]));
  else keys.add(patientKey);
}

function removeFrom(index: Map<string, Set<string>>, key: string, patientKey: string): void {
  const keys = index.get(key);
  if (keys === undefined) return;
  keys.delete(patientKey);
  if (keys.size === 0) index.delete(key);
}
