import { vkpAlertCodes, vkpSeverityLevels, vkpTriageCodes } from '@knutepunkt/fhir';
import { urgencyOf, urgentAlertCodes } from './urgency-rules';
import { systems } from './vkp-systems';

const alertFacts = (code: string) => ({
  kind: 'Alert' as const,
  classifiers: [{ system: systems.alert, code, display: null }],
  severity: null,
  triage: null,
});

const urgentCodes = new Set<string>(urgentAlertCodes.map((entry) => entry.code));

describe('urgency rules', () => {
  it('name only codes the alert code system has, each with a reason', () => {
    for (const { code, why } of urgentAlertCodes) {
      expect(vkpAlertCodes.has(code)).toBe(true);
      expect(why.length).toBeGreaterThan(3);
    }
  });

  it.each(vkpAlertCodes.concepts.map((concept) => concept.code))(
    'decide alert code %s by the list alone',
    (code) => {
      expect(urgencyOf(alertFacts(code)) !== null).toBe(urgentCodes.has(code));
    },
  );

  it('cover safety alarms, falls and fire (DESIGN.md)', () => {
    expect([...urgentCodes]).toEqual(expect.arrayContaining(['3', '4.1', '4.11']));
  });

  it('do not make a nurse call for incontinence urgent, only the call itself', () => {
    expect(urgencyOf(alertFacts('7'))).toBe('alert code 7');
    expect(urgencyOf(alertFacts('7.1'))).toBeNull();
  });

  it('do not make a Note urgent for the alert code in its type', () => {
    expect(urgencyOf({ ...alertFacts('3'), kind: 'Note' })).toBeNull();
  });

  it.each(vkpSeverityLevels.concepts.map((concept) => concept.code))(
    'take severity %s as urgent from 30 up',
    (code) => {
      const facts = {
        ...alertFacts('1.17'),
        severity: { system: vkpSeverityLevels.url, code, display: null },
      };

      expect(urgencyOf(facts) !== null).toBe(Number(code) >= 30);
    },
  );

  it.each(vkpTriageCodes.concepts.map((concept) => concept.code))(
    'take triage %s as urgent when red or orange',
    (code) => {
      const facts = {
        kind: 'Measurement' as const,
        classifiers: [],
        severity: null,
        triage: { system: vkpTriageCodes.url, code, display: null },
      };

      expect(urgencyOf(facts) !== null).toBe(code === 'R' || code === 'O');
    },
  );
});
