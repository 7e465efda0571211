import type { ConsentDirective, Registration, WelfareEvent } from '@knutepunkt/schemas';
import {
  aConsentDirective,
  aConsentPolicy,
  aConsentState,
  aFodselsnummer,
  aPatient,
  aPatientKey,
  aRegistration,
  aWelfareEvent,
  anEpjIdentifier,
  fixtureIds,
  identifierSystems,
  orgnrWithCheckDigit,
  testOrgnr,
} from '@knutepunkt/schemas/testing';
import {
  ConsentStateView,
  defaultPolicy,
  type MunicipalityPolicy,
  type PatientConsentState,
} from './consent-state-view';
import { attributeByDevice, decide, decideWithView, resolveSubject } from './decide';

const hour = 60 * 60 * 1000;
const optIn: MunicipalityPolicy = { mode: 'opt-in', holdFor: 'PT24H', holdForMs: 24 * hour };
const optOut: MunicipalityPolicy = { mode: 'opt-out', holdFor: 'PT24H', holdForMs: 24 * hour };
const now = Date.UTC(2025, 0, 15, 9, 0);
const device = { system: identifierSystems.deviceSerial, value: 'SN-000123' };

function stateWith(
  overrides: {
    readonly registration?: Partial<Registration> | null;
    readonly consents?: readonly ConsentDirective[];
    readonly patientKey?: string;
  } = {},
): PatientConsentState {
  return {
    ...aConsentState({
      registration:
        overrides.registration === null ? null : aRegistration(overrides.registration ?? {}),
      consents: overrides.consents ?? [aConsentDirective()],
    }),
    patientKey: overrides.patientKey ?? aPatientKey(),
  };
}

function eventAt(occurredAt: number, overrides: Partial<WelfareEvent> = {}): WelfareEvent {
  return aWelfareEvent({ occurredAt, receivedAt: occurredAt, ...overrides });
}

const withheld = (reason: string, operationOutcomeCode: string): unknown =>
  expect.objectContaining({ kind: 'withheld', reason, operationOutcomeCode });

describe('decide', () => {
  describe('a registered recipient', () => {
    it('is consented under opt-out with basis no_reservation and the whole decision record', () => {
      const event = aWelfareEvent();
      expect(decide(event, stateWith(), optOut, now)).toEqual({
        kind: 'consented',
        decision: {
          decidedAt: now,
          basis: 'no_reservation',
          policyMode: 'opt-out',
          patient: event.patient,
          attributedViaDevice: false,
          registrationId: fixtureIds.registrationId,
          registeredIdentifiers: [aFodselsnummer(), anEpjIdentifier()],
          consentId: null,
          heldSince: null,
        },
      });
    });

    it('is consented under opt-in with an active consent, naming it', () => {
      const decision = decide(aWelfareEvent(), stateWith(), optIn, now);
      expect(decision).toMatchObject({
        kind: 'consented',
        decision: { basis: 'active_consent', policyMode: 'opt-in', consentId: 'consent-0001' },
      });
    });

    it('carries heldSince for a released event', () => {
      const heldSince = now - hour;
      expect(decide(aWelfareEvent(), stateWith(), optOut, now, { heldSince })).toMatchObject({
        kind: 'consented',
        decision: { heldSince, decidedAt: now },
      });
    });
  });

  describe('a patient not registered yet', () => {
    it('is held until the event time plus the hold period', () => {
      const event = eventAt(now - hour);
      expect(decide(event, undefined, optOut, now)).toEqual({
        kind: 'held',
        until: now - hour + 24 * hour,
      });
    });

    it('is held when only consents are recorded for them', () => {
      expect(decide(eventAt(now), stateWith({ registration: null }), optIn, now)).toEqual({
        kind: 'held',
        until: now + 24 * hour,
      });
    });

    it('fails with no registration (1.3) when the hold period had already run out', () => {
      const event = eventAt(now - 24 * hour);
      expect(decide(event, undefined, optOut, now)).toEqual({
        kind: 'failed',
        reason: 'no registration',
        code: 'CONSENT.NO_REGISTRATION',
        operationOutcomeCode: '1.3',
      });
      expect(decide(eventAt(now - 24 * hour + 1), undefined, optOut, now).kind).toBe('held');
    });

    it('uses the policy hold period', () => {
      const short = { mode: 'opt-out', holdFor: 'PT30M', holdForMs: 30 * 60 * 1000 } as const;
      expect(decide(eventAt(now - 31 * 60 * 1000), undefined, short, now).kind).toBe('failed');
      expect(decide(eventAt(now - 29 * 60 * 1000), undefined, short, now).kind).toBe('held');
    });
  });

  describe('registration validity, judged as an Oslo date', () => {
    const january = stateWith({ registration: { validFrom: '2025-01-01', validTo: '2025-01-31' } });

    it('withholds an event before validFrom or after validTo (outside validity, 1.3)', () => {
      expect(decide(eventAt(Date.UTC(2024, 11, 31, 12)), january, optOut, now)).toEqual({
        kind: 'withheld',
        reason: 'outside validity',
        code: 'CONSENT.OUTSIDE_VALIDITY',
        operationOutcomeCode: '1.3',
      });
      expect(decide(eventAt(Date.UTC(2025, 1, 1, 12)), january, optOut, now)).toEqual(
        withheld('outside validity', '1.3'),
      );
    });

    it('withholds an event at 23:30 UTC on the last valid day: it is already the next day in Oslo', () => {
      expect(decide(eventAt(Date.UTC(2025, 0, 31, 23, 30)), january, optOut, now)).toEqual(
        withheld('outside validity', '1.3'),
      );
      expect(decide(eventAt(Date.UTC(2025, 0, 31, 22, 59)), january, optOut, now).kind).toBe(
        'consented',
      );
    });

    it('consents an event at 23:30 UTC the day before validFrom: it is the first day in Oslo', () => {
      expect(decide(eventAt(Date.UTC(2024, 11, 31, 23, 30)), january, optOut, now).kind).toBe(
        'consented',
      );
      expect(decide(eventAt(Date.UTC(2024, 11, 31, 22, 59)), january, optOut, now).kind).toBe(
        'withheld',
      );
    });

    it('in summer time the Oslo day starts at 22:00 UTC', () => {
      const june = stateWith({ registration: { validFrom: '2025-06-01', validTo: '2025-06-30' } });
      expect(decide(eventAt(Date.UTC(2025, 5, 30, 21, 59)), june, optOut, now).kind).toBe(
        'consented',
      );
      expect(decide(eventAt(Date.UTC(2025, 5, 30, 22, 0)), june, optOut, now).kind).toBe(
        'withheld',
      );
    });
  });

  it('withholds an event of a service the patient is not registered for (1.3)', () => {
    const event = aWelfareEvent({ service: 'GPS' });
    expect(decide(event, stateWith(), optOut, now)).toEqual(
      withheld('service not registered', '1.3'),
    );
  });

  describe('reservations', () => {
    const reservation = aConsentDirective({ consentId: 'res-1', provision: 'deny' });

    it('withhold under opt-out (reserved, 1.2)', () => {
      expect(decide(aWelfareEvent(), stateWith({ consents: [reservation] }), optOut, now)).toEqual({
        kind: 'withheld',
        reason: 'reserved',
        code: 'CONSENT.RESERVED',
        operationOutcomeCode: '1.2',
      });
    });

    it('override a consent under opt-in, whichever was recorded first', () => {
      const permit = aConsentDirective();
      for (const consents of [
        [reservation, permit],
        [permit, reservation],
      ]) {
        expect(decide(aWelfareEvent(), stateWith({ consents }), optIn, now)).toEqual(
          withheld('reserved', '1.2'),
        );
      }
    });

    it('cover only their services', () => {
      const gpsOnly = aConsentDirective({ provision: 'deny', services: ['GPS'] });
      expect(decide(aWelfareEvent(), stateWith({ consents: [gpsOnly] }), optOut, now).kind).toBe(
        'consented',
      );
      const taOnly = aConsentDirective({ provision: 'deny', services: ['TA'] });
      expect(decide(aWelfareEvent(), stateWith({ consents: [taOnly] }), optOut, now).kind).toBe(
        'withheld',
      );
    });

    it('cover only their period, as Oslo dates', () => {
      const from20th = aConsentDirective({ provision: 'deny', periodStart: '2025-01-20' });
      const state = stateWith({ consents: [from20th] });
      expect(decide(eventAt(Date.UTC(2025, 0, 19, 22, 59)), state, optOut, now).kind).toBe(
        'consented',
      );
      expect(decide(eventAt(Date.UTC(2025, 0, 19, 23, 0)), state, optOut, now)).toEqual(
        withheld('reserved', '1.2'),
      );
    });

    it('once lifted (inactive with an end date) still withhold the days they covered', () => {
      const lifted = aConsentDirective({
        provision: 'deny',
        status: 'inactive',
        periodStart: '2025-01-01',
        periodEnd: '2025-01-10',
      });
      const state = stateWith({ consents: [lifted] });
      expect(decide(eventAt(Date.UTC(2025, 0, 5, 12)), state, optOut, now).kind).toBe('withheld');
      expect(decide(eventAt(Date.UTC(2025, 0, 15, 12)), state, optOut, now).kind).toBe('consented');
    });

    it('that were rejected or entered in error do not count', () => {
      for (const status of ['rejected', 'entered-in-error', 'draft', 'proposed']) {
        const denial = aConsentDirective({ provision: 'deny', status });
        expect(decide(aWelfareEvent(), stateWith({ consents: [denial] }), optOut, now).kind).toBe(
          'consented',
        );
      }
    });
  });

  describe('opt-in consent', () => {
    it('missing altogether withholds with no consent (1.2)', () => {
      expect(decide(aWelfareEvent(), stateWith({ consents: [] }), optIn, now)).toEqual({
        kind: 'withheld',
        reason: 'no consent',
        code: 'CONSENT.NO_CONSENT',
        operationOutcomeCode: '1.2',
      });
    });

    it('for another service only counts as no consent', () => {
      const mdOnly = aConsentDirective({ services: ['MD'] });
      expect(decide(aWelfareEvent(), stateWith({ consents: [mdOnly] }), optIn, now)).toEqual(
        withheld('no consent', '1.2'),
      );
    });

    it('whose period ended withholds with consent expired, judged in Oslo', () => {
      const ended = aConsentDirective({ periodEnd: '2025-01-14' });
      const state = stateWith({ consents: [ended] });
      expect(decide(eventAt(Date.UTC(2025, 0, 14, 22, 59)), state, optIn, now).kind).toBe(
        'consented',
      );
      expect(decide(eventAt(Date.UTC(2025, 0, 14, 23, 30)), state, optIn, now)).toEqual({
        kind: 'withheld',
        reason: 'consent expired',
        code: 'CONSENT.CONSENT_EXPIRED',
        operationOutcomeCode: '1.2',
      });
    });

    it('not yet started does not count', () => {
      const future = aConsentDirective({ periodStart: '2025-02-01' });
      expect(decide(aWelfareEvent(), stateWith({ consents: [future] }), optIn, now)).toEqual(
        withheld('consent expired', '1.2'),
      );
    });

    it('withdrawn stops later events but not earlier ones (a held or lagging event)', () => {
      const withdrawn = aConsentDirective({ status: 'inactive', periodEnd: '2025-01-20' });
      const state = stateWith({ consents: [withdrawn] });
      const decidedLater = Date.UTC(2025, 0, 25);
      expect(decide(eventAt(Date.UTC(2025, 0, 20, 12)), state, optIn, decidedLater)).toMatchObject({
        kind: 'consented',
        decision: { consentId: 'consent-0001' },
      });
      expect(decide(eventAt(Date.UTC(2025, 0, 21, 12)), state, optIn, decidedLater)).toEqual(
        withheld('consent expired', '1.2'),
      );
    });

    it('inactive without an end date (no telling when it stopped) permits nothing', () => {
      const inactive = aConsentDirective({ status: 'inactive', periodEnd: null });
      expect(decide(aWelfareEvent(), stateWith({ consents: [inactive] }), optIn, now)).toEqual(
        withheld('consent expired', '1.2'),
      );
    });

    it('with overlapping consents names the newest one in force', () => {
      const newer = aConsentDirective({ consentId: 'newer', services: ['TA'] });
      const expired = aConsentDirective({ consentId: 'expired', periodEnd: '2025-01-10' });
      const older = aConsentDirective({ consentId: 'older' });
      const state = stateWith({ consents: [expired, newer, older] });
      expect(decide(aWelfareEvent(), state, optIn, now)).toMatchObject({
        kind: 'consented',
        decision: { consentId: 'newer' },
      });
    });
  });

  it('follows a policy switch: the same state is judged by the policy given', () => {
    const noConsents = stateWith({ consents: [] });
    expect(decide(aWelfareEvent(), noConsents, optOut, now).kind).toBe('consented');
    expect(decide(aWelfareEvent(), noConsents, optIn, now).kind).toBe('withheld');
  });

  it('journals for the state patient when the event named another identifier of the registration', () => {
    const epjPatient = aPatient({ identifier: anEpjIdentifier() });
    const event = aWelfareEvent({ patient: epjPatient });
    expect(decide(event, stateWith(), optOut, now)).toMatchObject({
      kind: 'consented',
      decision: { patient: { identifier: aFodselsnummer(), patientKey: aPatientKey() } },
    });
  });
});

describe('attributeByDevice', () => {
  const first = stateWith({
    patientKey: 'first',
    registration: {
      registrationId: 'reg-first',
      devices: [{ identifier: device, from: '2025-01-01', to: '2025-01-10' }],
    },
  });
  const second = stateWith({
    patientKey: 'second',
    registration: {
      registrationId: 'reg-second',
      devices: [{ identifier: device, from: '2025-01-11', to: null }],
    },
  });

  it('finds the patient who had the device on the event date, loans being inclusive', () => {
    const on10th = attributeByDevice([first, second], testOrgnr, device, Date.UTC(2025, 0, 10, 12));
    expect(on10th).toEqual({ ok: true, state: first });
    const on11th = attributeByDevice([first, second], testOrgnr, device, Date.UTC(2025, 0, 11, 12));
    expect(on11th).toEqual({ ok: true, state: second });
  });

  it('judges the loan change-over in Oslo: 23:30 UTC on the 10th is the 11th', () => {
    const at = Date.UTC(2025, 0, 10, 23, 30);
    expect(attributeByDevice([first, second], testOrgnr, device, at)).toEqual({
      ok: true,
      state: second,
    });
  });

  it('refuses when no loan covers the time (no device loan, 1.3)', () => {
    expect(attributeByDevice([first], testOrgnr, device, Date.UTC(2025, 0, 15, 12))).toEqual({
      ok: false,
      refusal: {
        reason: 'no device loan',
        code: 'CONSENT.NO_DEVICE_LOAN',
        operationOutcomeCode: '1.3',
      },
    });
  });

  it('refuses another device, and another municipality', () => {
    const other = { system: identifierSystems.deviceSerial, value: 'SN-OTHER' };
    expect(attributeByDevice([first], testOrgnr, other, Date.UTC(2025, 0, 5)).ok).toBe(false);
    expect(
      attributeByDevice([first], orgnrWithCheckDigit('88888888'), device, Date.UTC(2025, 0, 5)).ok,
    ).toBe(false);
  });

  it('refuses overlapping loans rather than pick one', () => {
    const overlapping = stateWith({
      patientKey: 'overlapping',
      registration: { devices: [{ identifier: device, from: '2025-01-05', to: null }] },
    });
    expect(
      attributeByDevice([first, overlapping], testOrgnr, device, Date.UTC(2025, 0, 6, 12)),
    ).toMatchObject({ ok: false, refusal: { reason: 'ambiguous device loan' } });
  });
});

describe('decideWithView', () => {
  const patientKey = aPatientKey();
  const key = `${testOrgnr}:${patientKey}`;

  function viewWith(policyMode?: string): ConsentStateView {
    const view = new ConsentStateView();
    view.apply(key, aConsentState({ consents: [] }));
    if (policyMode !== undefined) {
      view.apply(
        testOrgnr,
        aConsentState({
          patientKey: null,
          registration: null,
          consents: [],
          policy: aConsentPolicy({ mode: policyMode }),
        }),
      );
    }
    return view;
  }

  it('uses the default opt-in policy when the municipality has none', () => {
    expect(decideWithView(aWelfareEvent(), viewWith(), now)).toEqual(withheld('no consent', '1.2'));
  });

  it('applies a change to the next event', () => {
    const view = viewWith('opt-out');
    expect(decideWithView(aWelfareEvent(), view, now).kind).toBe('consented');
    view.apply(
      key,
      aConsentState({ version: 2, consents: [aConsentDirective({ provision: 'deny' })] }),
    );
    expect(decideWithView(aWelfareEvent(), view, now)).toEqual(withheld('reserved', '1.2'));
    view.apply(key, null);
    expect(decideWithView(aWelfareEvent(), view, now)).toMatchObject({ kind: 'held' });
  });

  it('attributes a device-only event through the loan and says so', () => {
    const event = aWelfareEvent({ patient: null });
    expect(decideWithView(event, viewWith('opt-out'), now)).toMatchObject({
      kind: 'consented',
      decision: {
        attributedViaDevice: true,
        patient: { identifier: aFodselsnummer(), patientKey },
        registrationId: fixtureIds.registrationId,
      },
    });
  });

  it('withholds a device-only event no loan covers, and one naming neither patient nor device identifier', () => {
    const view = viewWith('opt-out');
    const unknownDevice = aWelfareEvent({
      patient: null,
      device: {
        id: null,
        identifier: { system: device.system, value: 'SN-X' },
        type: null,
        vendor: null,
        model: null,
      },
    });
    expect(decideWithView(unknownDevice, view, now)).toEqual(withheld('no device loan', '1.3'));
    expect(decideWithView(aWelfareEvent({ patient: null, device: null }), view, now)).toEqual(
      withheld('no device loan', '1.3'),
    );
  });

  it('finds the registration through another identifier it ties in', () => {
    const event = aWelfareEvent({ patient: aPatient({ identifier: anEpjIdentifier() }) });
    expect(resolveSubject(event, viewWith())).toMatchObject({
      kind: 'found',
      state: { patientKey },
      attributedViaDevice: false,
    });
  });

  it('holds an event for a patient it does not know', () => {
    const stranger = aPatient({ identifier: aFodselsnummer(7) });
    const event = aWelfareEvent({ patient: stranger });
    expect(resolveSubject(event, viewWith())).toEqual({ kind: 'unregistered' });
    expect(decideWithView(event, viewWith('opt-out'), now)).toEqual({
      kind: 'held',
      until: event.occurredAt + defaultPolicy.holdForMs,
    });
  });
});
