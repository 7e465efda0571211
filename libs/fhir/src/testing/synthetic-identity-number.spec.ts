import { parseIdentityNumber } from '../identity/identity-number';
import { syntheticIdentityNumber } from './index';

describe('syntheticIdentityNumber', () => {
  it.each([
    [{}, 'fodselsnummer', 'tenor'],
    [{ kind: 'd-number' }, 'd-number', 'tenor'],
    [{ source: 'syntpop' }, 'fodselsnummer', 'syntpop'],
    [{ kind: 'd-number', source: 'syntpop' }, 'd-number', 'syntpop'],
  ] as const)('with %j gives synthetic %s numbers from %s', (options, kind, source) => {
    for (let seed = 0; seed < 2_000; seed += 13) {
      const number = syntheticIdentityNumber(seed, options);

      expect(parseIdentityNumber(number)).toMatchObject({
        ok: true,
        value: {
          kind,
          classification: 'synthetic',
          syntheticSource: source,
          checkDigitRule: 'classic',
        },
      });
    }
  });

  it('gives numbers that only the 2032 rule accepts when asked to', () => {
    for (let seed = 0; seed < 500; seed += 7) {
      const number = syntheticIdentityNumber(seed, { checkDigitRule: '2032' });

      expect(parseIdentityNumber(number)).toMatchObject({
        ok: true,
        value: { classification: 'synthetic', checkDigitRule: '2032' },
      });
    }
  });

  it('is deterministic in the seed', () => {
    expect(syntheticIdentityNumber(42)).toBe(syntheticIdentityNumber(42));
  });

  it('gives different numbers for different seeds, also for seeds that share a birth date', () => {
    const seeds = [
      ...Array.from({ length: 5_000 }, (_, seed) => seed),
      ...Array.from({ length: 9 }, (_, slot) => 17 + (slot + 1) * 33_600),
    ];
    const numbers = new Set(seeds.map((seed) => syntheticIdentityNumber(seed)));

    expect(numbers.size).toBe(seeds.length);
  });

  it.each([-1, 1.5, Number.NaN])('refuses the seed %p', (seed) => {
    expect(() => syntheticIdentityNumber(seed)).toThrow('non-negative integer');
  });
});
