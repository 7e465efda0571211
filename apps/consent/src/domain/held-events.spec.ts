import type { WelfareEvent } from '@knutepunkt/schemas';
import {
  aConsentState,
  aFodselsnummer,
  aPatient,
  aRegistration,
  aWelfareEvent,
  anEpjIdentifier,
  orgnrWithCheckDigit,
} from '@knutepunkt/schemas/testing';
import { decide } from './decide';
import { defaultPolicy } from './consent-state-view';
import { expire, releaseOnRegistration, type HeldEvent } from './held-events';

const t0 = Date.UTC(2025, 0, 15, 8);
const hour = 60 * 60 * 1000;

function held(eventId: string, event: Partial<WelfareEvent> = {}): HeldEvent {
  return {
    event: aWelfareEvent({ eventId, occurredAt: t0, ...event }),
    heldSince: t0,
    until: t0 + 24 * hour,
  };
}

const ids = (entries: readonly HeldEvent[]) => entries.map((entry) => entry.event.eventId);

describe('releaseOnRegistration', () => {
  const stranger = aPatient({ identifier: aFodselsnummer(9) });
  const queue = [
    held('a'),
    held('b', { patient: stranger }),
    held('c', { patient: aPatient({ identifier: anEpjIdentifier() }) }),
    held('d'),
    held('e', { orgnr: orgnrWithCheckDigit('88888888') }),
  ];

  it("releases the patient's events in their original order and keeps the rest", () => {
    const { release, stillHeld } = releaseOnRegistration(queue, aConsentState());
    expect(ids(release)).toEqual(['a', 'c', 'd']);
    expect(ids(stillHeld)).toEqual(['b', 'e']);
  });

  it('releases nothing for a state without a registration', () => {
    const { release, stillHeld } = releaseOnRegistration(
      queue,
      aConsentState({ registration: null }),
    );
    expect(release).toEqual([]);
    expect(stillHeld).toBe(queue);
  });

  it('lets a released event be decided with its heldSince', () => {
    const state = aConsentState({ registration: aRegistration() });
    const [first] = releaseOnRegistration(queue, state).release;
    const decision = decide(
      first!.event,
      { ...state, patientKey: state.patientKey! },
      defaultPolicy,
      t0 + hour,
      {
        heldSince: first!.heldSince,
      },
    );
    expect(decision).toMatchObject({ kind: 'consented', decision: { heldSince: t0 } });
  });
});

describe('expire', () => {
  const queue = [held('a'), { ...held('b'), until: t0 + 2 * hour }, held('c')];

  it('fails the events whose hold ended with no registration (1.3), keeping order', () => {
    const { failed, stillHeld } = expire(queue, t0 + 24 * hour);
    expect(
      failed.map((entry) => [entry.held.event.eventId, entry.reason, entry.operationOutcomeCode]),
    ).toEqual([
      ['a', 'no registration', '1.3'],
      ['b', 'no registration', '1.3'],
      ['c', 'no registration', '1.3'],
    ]);
    expect(stillHeld).toEqual([]);
  });

  it('keeps the events whose hold has not ended', () => {
    const { failed, stillHeld } = expire(queue, t0 + 2 * hour);
    expect(failed.map((entry) => entry.held.event.eventId)).toEqual(['b']);
    expect(failed[0]?.code).toBe('CONSENT.NO_REGISTRATION');
    expect(ids(stillHeld)).toEqual(['a', 'c']);
    expect(expire(queue, t0 + 2 * hour - 1).failed).toEqual([]);
  });
});
