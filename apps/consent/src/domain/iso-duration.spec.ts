import { parseIsoDuration } from './iso-duration';

const hour = 60 * 60 * 1000;

describe('parseIsoDuration', () => {
  it.each([
    ['PT24H', 24 * hour],
    ['P1D', 24 * hour],
    ['PT30M', 30 * 60 * 1000],
    ['PT45S', 45 * 1000],
    ['PT0.5S', 500],
    ['PT1,5S', 1500],
    ['P1DT12H', 36 * hour],
    ['P2W', 14 * 24 * hour],
    ['PT1H30M15S', hour + 30 * 60 * 1000 + 15 * 1000],
    ['PT0S', 0],
  ])('reads %s', (text, millis) => {
    expect(parseIsoDuration(text)).toEqual({ ok: true, millis });
  });

  it.each([
    '',
    'P',
    'PT',
    'P1DT',
    '24H',
    'PT24h',
    'P1M',
    'P1Y',
    'PT-1H',
    'P1.5D',
    'PT24H ',
    'PT1H2H',
  ])('refuses %j with a stable code', (text) => {
    const result = parseIsoDuration(text);
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ code: 'CONSENT.INVALID_DURATION' });
  });
});
