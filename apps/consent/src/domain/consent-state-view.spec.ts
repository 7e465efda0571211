import {
  aConsentPolicy,
  aConsentState,
  aFodselsnummer,
  aPatientKey,
  aRegistration,
  anEpjIdentifier,
  identifierSystems,
  orgnrWithCheckDigit,
  testOrgnr,
} from '@knutepunkt/schemas/testing';
import {
  ConsentStateView,
  defaultPolicy,
  municipalityPolicyOf,
  parseConsentStateKey,
} from './consent-state-view';

const patientKey = aPatientKey();
const patientStateKey = `${testOrgnr}:${patientKey}`;
const device = { system: identifierSystems.deviceSerial, value: 'SN-000123' };

function policyRecord(version: number, mode = 'opt-out', holdFor = 'PT30M') {
  return aConsentState({
    patientKey: null,
    registration: null,
    consents: [],
    policy: aConsentPolicy({ mode, holdFor }),
    version,
  });
}

describe('parseConsentStateKey', () => {
  it('splits a patient key and a municipality key', () => {
    expect(parseConsentStateKey(`${testOrgnr}:abc`)).toEqual({
      orgnr: testOrgnr,
      patientKey: 'abc',
    });
    expect(parseConsentStateKey(testOrgnr)).toEqual({ orgnr: testOrgnr, patientKey: null });
  });

  it('refuses an empty orgnr or patient key', () => {
    expect(parseConsentStateKey('')).toBeUndefined();
    expect(parseConsentStateKey(':abc')).toBeUndefined();
    expect(parseConsentStateKey(`${testOrgnr}:`)).toBeUndefined();
  });
});

describe('ConsentStateView', () => {
  it('finds a patient state by key, by identifier and by device after it is applied', () => {
    const view = new ConsentStateView();
    expect(view.lookup(testOrgnr, patientKey)).toBeUndefined();

    expect(view.apply(patientStateKey, aConsentState())).toEqual({ ok: true, applied: true });

    expect(view.lookup(testOrgnr, patientKey)?.registration?.registrationId).toBe('reg-0001');
    expect(view.byIdentifier(testOrgnr, anEpjIdentifier()).map((s) => s.patientKey)).toEqual([
      patientKey,
    ]);
    expect(view.byDevice(testOrgnr, device).map((s) => s.patientKey)).toEqual([patientKey]);
    expect(view.patientCount).toBe(1);
  });

  it('keeps municipalities apart', () => {
    const view = new ConsentStateView();
    view.apply(patientStateKey, aConsentState());
    const otherOrgnr = orgnrWithCheckDigit('88888888');
    expect(view.lookup(otherOrgnr, patientKey)).toBeUndefined();
    expect(view.byDevice(otherOrgnr, device)).toEqual([]);
    expect(view.byIdentifier(otherOrgnr, aFodselsnummer())).toEqual([]);
  });

  it('forgets a patient on a tombstone, indexes included', () => {
    const view = new ConsentStateView();
    view.apply(patientStateKey, aConsentState());
    expect(view.apply(patientStateKey, null)).toEqual({ ok: true, applied: true });
    expect(view.lookup(testOrgnr, patientKey)).toBeUndefined();
    expect(view.byDevice(testOrgnr, device)).toEqual([]);
    expect(view.byIdentifier(testOrgnr, aFodselsnummer())).toEqual([]);
    expect(view.patientCount).toBe(0);
  });

  it('re-indexes when a registration changes its devices and identifiers', () => {
    const view = new ConsentStateView();
    view.apply(patientStateKey, aConsentState());
    const newDevice = { system: identifierSystems.deviceSerial, value: 'SN-999' };
    view.apply(
      patientStateKey,
      aConsentState({
        version: 2,
        registration: aRegistration({
          identifiers: [aFodselsnummer()],
          devices: [{ identifier: newDevice, from: '2025-02-01', to: null }],
        }),
      }),
    );
    expect(view.byDevice(testOrgnr, device)).toEqual([]);
    expect(view.byDevice(testOrgnr, newDevice)).toHaveLength(1);
    expect(view.byIdentifier(testOrgnr, anEpjIdentifier())).toEqual([]);
    expect(view.byIdentifier(testOrgnr, aFodselsnummer())).toHaveLength(1);
  });

  it('ignores a replayed older or equal version', () => {
    const view = new ConsentStateView();
    view.apply(patientStateKey, aConsentState({ version: 5, consents: [] }));
    expect(view.apply(patientStateKey, aConsentState({ version: 5 }))).toEqual({
      ok: true,
      applied: false,
    });
    expect(view.apply(patientStateKey, aConsentState({ version: 4 }))).toEqual({
      ok: true,
      applied: false,
    });
    expect(view.lookup(testOrgnr, patientKey)?.consents).toEqual([]);
  });

  it('refuses a record whose key does not match its value, or a malformed key', () => {
    const view = new ConsentStateView();
    expect(view.apply(`${testOrgnr}:someone-else`, aConsentState())).toMatchObject({
      ok: false,
      code: 'CONSENT.STATE_KEY_MISMATCH',
    });
    expect(view.apply(`:${patientKey}`, aConsentState())).toMatchObject({
      ok: false,
      code: 'CONSENT.MALFORMED_STATE_KEY',
    });
    expect(view.lookup(testOrgnr, patientKey)).toBeUndefined();
  });

  describe('policy', () => {
    it('defaults to opt-in with a 24-hour hold when none is recorded', () => {
      const view = new ConsentStateView();
      expect(view.policy(testOrgnr)).toEqual({
        mode: 'opt-in',
        holdFor: 'PT24H',
        holdForMs: 24 * 60 * 60 * 1000,
      });
      expect(view.policy(testOrgnr)).toBe(defaultPolicy);
    });

    it('takes the recorded policy, parsed, and falls back to the default on its tombstone', () => {
      const view = new ConsentStateView();
      expect(view.apply(testOrgnr, policyRecord(1))).toEqual({ ok: true, applied: true });
      expect(view.policy(testOrgnr)).toEqual({
        mode: 'opt-out',
        holdFor: 'PT30M',
        holdForMs: 30 * 60 * 1000,
      });
      view.apply(testOrgnr, null);
      expect(view.policy(testOrgnr)).toBe(defaultPolicy);
    });

    it('switches on a newer version and ignores an older one', () => {
      const view = new ConsentStateView();
      view.apply(testOrgnr, policyRecord(1, 'opt-out'));
      view.apply(testOrgnr, policyRecord(2, 'opt-in'));
      expect(view.policy(testOrgnr).mode).toBe('opt-in');
      expect(view.apply(testOrgnr, policyRecord(1, 'opt-out'))).toEqual({
        ok: true,
        applied: false,
      });
      expect(view.policy(testOrgnr).mode).toBe('opt-in');
    });

    it('refuses an unknown mode or duration and keeps the policy it had', () => {
      const view = new ConsentStateView();
      view.apply(testOrgnr, policyRecord(1, 'opt-out'));
      expect(view.apply(testOrgnr, policyRecord(2, 'maybe'))).toMatchObject({
        ok: false,
        code: 'CONSENT.INVALID_POLICY',
      });
      expect(view.apply(testOrgnr, policyRecord(3, 'opt-in', 'P1M'))).toMatchObject({
        ok: false,
        code: 'CONSENT.INVALID_POLICY',
      });
      expect(view.policy(testOrgnr).mode).toBe('opt-out');
    });

    it('falls back to the policy given at onboarding, and a recorded policy overrides it', () => {
      const view = new ConsentStateView((orgnr) =>
        orgnr === testOrgnr ? aConsentPolicy({ mode: 'opt-out', holdFor: 'PT2H' }) : null,
      );
      expect(view.policySource(testOrgnr)).toEqual({
        policy: { mode: 'opt-out', holdFor: 'PT2H', holdForMs: 2 * 60 * 60 * 1000 },
        source: 'onboarding',
      });
      expect(view.policySource(orgnrWithCheckDigit('88888888')).source).toBe('default');
      view.apply(testOrgnr, policyRecord(1, 'opt-in'));
      expect(view.policySource(testOrgnr)).toMatchObject({
        policy: { mode: 'opt-in' },
        source: 'recorded',
      });
      expect(view.policyVersion(testOrgnr)).toBe(1);
    });

    it('ignores an onboarding policy it cannot parse and takes the default', () => {
      const view = new ConsentStateView(() => aConsentPolicy({ mode: 'sometimes' }));
      expect(view.policy(testOrgnr)).toBe(defaultPolicy);
    });

    it('is per municipality', () => {
      const view = new ConsentStateView();
      view.apply(testOrgnr, policyRecord(1, 'opt-out'));
      expect(view.policy(orgnrWithCheckDigit('88888888'))).toBe(defaultPolicy);
    });
  });
});

describe('municipalityPolicyOf', () => {
  it('parses holdFor', () => {
    expect(municipalityPolicyOf({ mode: 'opt-in', holdFor: 'P1D' })).toEqual({
      ok: true,
      policy: { mode: 'opt-in', holdFor: 'P1D', holdForMs: 24 * 60 * 60 * 1000 },
    });
  });
});
