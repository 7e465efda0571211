import { liveChecks } from './live-expressions';
import { allRules } from './rules';

describe('liveChecks', () => {
  it('checks every recording rule once per record and label set', () => {
    const recording = allRules().filter((rule) => rule.record);
    const rules = liveChecks().filter((check) => check.kind === 'rule');
    expect(rules).toHaveLength(recording.length);
    expect(rules.map((check) => check.expr)).toContain(
      'orgnr_slo:knutepunkt_delivery_sli:ratio_rate5m{slo="urgent-60s"}',
    );
  });

  it('gives the dashboard variables their values, and any value to those without one', () => {
    const panels = liveChecks({ orgnr: '123456785' }).filter((check) => check.kind === 'panel');
    expect(panels.length).toBeGreaterThan(0);
    expect(panels.filter((check) => check.expr.includes('$'))).toEqual([]);
    const municipality = panels.filter((check) => check.source.includes('/ Municipality /'));
    expect(municipality.some((check) => check.expr.includes('orgnr="123456785"'))).toBe(true);
    expect(panels.some((check) => check.expr.includes('client=~".*"'))).toBe(true);
    expect(panels.some((check) => check.expr.includes('namespace=~".*"'))).toBe(true);
  });
});
