import { allRules, durationSeconds, withAlertHoldsShortened, type RuleGroup } from './rules';

describe('withAlertHoldsShortened (the live check’s copy of the rules)', () => {
  const groups: RuleGroup[] = [
    {
      name: 'g',
      rules: [
        { record: 'r', expr: 'vector(1)' },
        { alert: 'Long', expr: 'up == 0', for: '5m', labels: { severity: 'critical' } },
        { alert: 'Short', expr: 'up == 0', for: '2s' },
        { alert: 'AtOnce', expr: 'up == 0' },
      ],
    },
  ];

  it('shortens every alert hold to the given seconds and leaves shorter holds and everything else alone', () => {
    expect(withAlertHoldsShortened(groups, 5)).toEqual([
      {
        name: 'g',
        rules: [
          { record: 'r', expr: 'vector(1)' },
          { alert: 'Long', expr: 'up == 0', for: '5s', labels: { severity: 'critical' } },
          { alert: 'Short', expr: 'up == 0', for: '2s' },
          { alert: 'AtOnce', expr: 'up == 0' },
        ],
      },
    ]);
  });

  it('leaves the input unchanged', () => {
    withAlertHoldsShortened(groups, 1);
    expect(groups[0]?.rules[1]?.for).toBe('5m');
  });

  it('shortens every hold of the repository’s rules', () => {
    const shortened = allRules(withAlertHoldsShortened([{ name: 'all', rules: allRules() }], 5));
    const holds = shortened.flatMap((rule) => (rule.for === undefined ? [] : [rule.for]));
    expect(holds.length).toBeGreaterThan(0);
    expect(holds.every((hold) => durationSeconds(hold) <= 5)).toBe(true);
  });

  it('refuses a hold that is not whole seconds', () => {
    expect(() => withAlertHoldsShortened(groups, 0.5)).toThrow(/whole seconds/);
  });
});

describe('durationSeconds', () => {
  it.each([
    ['0s', 0],
    ['90s', 90],
    ['5m', 300],
    ['1h30m', 5400],
    ['1d', 86_400],
    ['1500ms', 2],
  ])('%s is %d s', (text, seconds) => {
    expect(durationSeconds(text)).toBe(seconds);
  });

  it('refuses what is not a duration', () => {
    expect(() => durationSeconds('5 minutes')).toThrow(/not a Prometheus duration/);
  });
});
