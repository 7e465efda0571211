import { vkpAlertCodes, vkpCompositionCategories } from '@knutepunkt/fhir';
import { welfareEventKinds, type WelfareEventKind } from '@knutepunkt/schemas';
import { serviceRuleFor, serviceRules } from './service-rules';
import { systems } from './vkp-systems';

const alert = (code: string) => [{ system: systems.alert, code, display: null }];

describe('service rules', () => {
  it.each(vkpAlertCodes.concepts.map((concept) => concept.code))(
    'give alert code %s a service',
    (code) => {
      expect(serviceRuleFor('Alert', alert(code))).toBeDefined();
    },
  );

  it.each([
    ['1.1', 'MD'],
    ['1.23', 'MD'],
    ['2', 'GPS'],
    ['3', 'TA'],
    ['4.1', 'TA'],
    ['4.11', 'TA'],
    ['4.13', 'TA'],
    ['4.24', 'TA'],
    ['4.2', 'DT'],
    ['4.10', 'DT'],
    ['4.25', 'DT'],
    ['4', 'DT'],
    ['5.2.1', 'DHO'],
    ['6', 'TA'],
    ['7', 'TA'],
    ['7.1', 'TA'],
  ])('file alert code %s under %s', (code, service) => {
    expect(serviceRuleFor('Alert', alert(code))?.service).toBe(service);
  });

  it('match dotted descendants, not string prefixes (4.1 is not 4.10)', () => {
    expect(serviceRuleFor('Alert', alert('4.10'))?.service).toBe('DT');
    expect(serviceRuleFor('Alert', alert('4.1'))?.service).toBe('TA');
  });

  it.each([
    ['MedicationDispensing', 'MD'],
    ['DigitalVisit', 'DT'],
    ['Location', 'GPS'],
    ['Measurement', 'DHO'],
    ['QuestionnaireAnswer', 'DHO'],
  ] as const)('file every %s under %s', (kind, service) => {
    expect(serviceRuleFor(kind, [])?.service).toBe(service);
  });

  it.each(vkpCompositionCategories.concepts.map((concept) => concept.code))(
    'file a note of composition category %s',
    (code) => {
      expect(
        serviceRuleFor('Note', [{ system: systems.compositionCategory, code, display: null }]),
      ).toBeDefined();
    },
  );

  it('let an alert code in a note’s type decide before its category', () => {
    expect(
      serviceRuleFor('Note', [
        ...alert('1.1'),
        { system: systems.compositionCategory, code: '2', display: null },
      ])?.service,
    ).toBe('MD');
  });

  it('leave an alert without a VKP alert code unfiled', () => {
    expect(serviceRuleFor('Alert', [])).toBeUndefined();
  });

  it('give every kind at least one rule', () => {
    const kindsWithRules = new Set<WelfareEventKind>(
      serviceRules.flatMap((rule) =>
        rule.kind === undefined ? ['Alert' as const, 'Note' as const] : [rule.kind],
      ),
    );

    expect([...kindsWithRules].sort()).toEqual([...welfareEventKinds].sort());
  });

  it('say why, every one', () => {
    for (const rule of serviceRules) {
      expect(rule.why.length).toBeGreaterThan(5);
    }
  });

  it('name only codes the alert code system has', () => {
    for (const rule of serviceRules.filter((candidate) => candidate.system === systems.alert)) {
      expect(vkpAlertCodes.has(rule.code ?? '')).toBe(true);
    }
  });
});
