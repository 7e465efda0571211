import type { Logger } from '@knutepunkt/observability';
import type { ConsentState } from '@knutepunkt/schemas';
import { aConsentState, aPatientKey, testOrgnr } from '@knutepunkt/schemas/testing';
import { DecisionState } from './decision-state';

const warnings: unknown[] = [];
const logger = { warn: (fields: unknown) => warnings.push(fields) } as unknown as Logger;
const patientKey = aPatientKey();
const key = `${testOrgnr}:${patientKey}`;
const state = (version: number): ConsentState => aConsentState({ patientKey, version });

describe('DecisionState', () => {
  it('announces registrations read from the topic only once caught up, and only when applied', () => {
    const decisions = new DecisionState(() => undefined, logger);
    const announced: number[] = [];
    decisions.onRegistrationFromTopic((s) => announced.push(s.version));
    decisions.applyFromTopic(key, state(1));
    decisions.markCaughtUp();
    decisions.applyFromTopic(key, state(2));
    // Its own publication got there first: the copy from the topic changes nothing.
    expect(decisions.apply(key, state(3))).toBe(true);
    decisions.applyFromTopic(key, state(3));
    expect(announced).toEqual([2]);
    expect(decisions.view.lookup(testOrgnr, patientKey)?.version).toBe(3);
  });

  it('logs and skips a record whose key does not match it', () => {
    const decisions = new DecisionState(() => undefined, logger);
    expect(decisions.apply(`${testOrgnr}:other`, state(1))).toBe(false);
    expect(warnings).toEqual([expect.objectContaining({ code: 'CONSENT.STATE_KEY_MISMATCH' })]);
  });
});
