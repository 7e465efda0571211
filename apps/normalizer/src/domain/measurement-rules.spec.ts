import {
  converted,
  panelRules,
  quantityRuleFor,
  quantityRules,
  ucumCodeBySpelling,
} from './measurement-rules';

describe('measurement rules', () => {
  it.each(quantityRules.map((rule) => [rule.name, rule] as const))(
    '%s: the UCUM unit converts to itself, the range is ordered, its LOINC code names it',
    (_name, rule) => {
      expect(rule.units[rule.unit.code]).toEqual({ factor: 1, offset: 0 });
      expect(rule.plausible.min).toBeLessThan(rule.plausible.max);
      expect(quantityRuleFor([{ system: 'http://loinc.org', code: rule.loinc.code }])).toBe(rule);
    },
  );

  it('give each code to one rule only', () => {
    const codes = quantityRules.flatMap((rule) =>
      rule.codes.map((code) => `${code.system}|${code.code}`),
    );

    expect(new Set(codes).size).toBe(codes.length);
  });

  it('require panel components that rules know', () => {
    const names = new Set(quantityRules.map((rule) => rule.name));

    for (const panel of panelRules) {
      for (const component of [...panel.requiredComponents, ...panel.ordered.flat()]) {
        expect(names.has(component)).toBe(true);
      }
    }
  });

  it('convert Fahrenheit without floating-point noise', () => {
    const fahrenheit = quantityRules.find((rule) => rule.name === 'Body temperature')!.units[
      '[degF]'
    ]!;

    expect(converted(98.6, fahrenheit)).toBe(37);
    expect(converted(32, fahrenheit)).toBe(0);
    expect(converted(212, fahrenheit)).toBe(100);
  });

  it('leave an unconverted value exactly as sent', () => {
    expect(converted(0.1 + 0.2, { factor: 1, offset: 0 })).toBe(0.1 + 0.2);
  });

  it('spell units into UCUM codes that are themselves known spellings', () => {
    for (const code of Object.values(ucumCodeBySpelling)) {
      expect(['[degF]', '[lb_av]', ...Object.keys(ucumCodeBySpelling)]).toContain(code);
    }
  });
});
