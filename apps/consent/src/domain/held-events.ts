/**
 * Events held for a patient who is not registered yet (DESIGN.md "Consent API"): released in
 * their original order when the registration arrives, failed with `no registration` when the
 * hold period runs out. The durable store is the service's; this is the rule.
 */
import type { ConsentState, TimestampMillis, WelfareEvent } from '@knutepunkt/schemas';
import { refusal, sameIdentifier, type Refusal } from './decide';

export interface HeldEvent {
  readonly event: WelfareEvent;
  /** When it was first held (ConsentDecision.heldSince on release). */
  readonly heldSince: TimestampMillis;
  /** When the hold period ends (Decision `held`.until). */
  readonly until: TimestampMillis;
}

export interface Release {
  /** To decide again now, with `heldSince`, in this order. */
  readonly release: readonly HeldEvent[];
  readonly stillHeld: readonly HeldEvent[];
}

/**
 * The held events the new state lets go: those of its municipality that name its patient key,
 * or an identifier its registration ties in. A state without a registration releases nothing.
 * Released events are decided again — a registration for another service or period still
 * withholds them, with that reason, rather than holding them on.
 */
export function releaseOnRegistration(held: readonly HeldEvent[], newState: ConsentState): Release {
  const registration = newState.registration;
  if (registration === null || newState.patientKey === null) {
    return { release: [], stillHeld: held };
  }
  const release: HeldEvent[] = [];
  const stillHeld: HeldEvent[] = [];
  for (const entry of held) {
    const patient = entry.event.patient;
    const matches =
      entry.event.orgnr === newState.orgnr &&
      patient !== null &&
      (patient.patientKey === newState.patientKey ||
        registration.identifiers.some((identifier) =>
          sameIdentifier(identifier, patient.identifier),
        ));
    (matches ? release : stillHeld).push(entry);
  }
  return { release, stillHeld };
}

export interface FailedHeldEvent extends Refusal {
  readonly held: HeldEvent;
}

export interface Expiry {
  /** To report as `failed` with `no registration`, in their original order. */
  readonly failed: readonly FailedHeldEvent[];
  readonly stillHeld: readonly HeldEvent[];
}

/** The held events whose hold period has ended at `now` (`until` is exclusive). */
export function expire(held: readonly HeldEvent[], now: TimestampMillis): Expiry {
  const failed: FailedHeldEvent[] = [];
  const stillHeld: HeldEvent[] = [];
  for (const entry of held) {
    if (now >= entry.until) failed.push({ held: entry, ...refusal('no registration') });
    else stillHeld.push(entry);
  }
  return { failed, stillHeld };
}
