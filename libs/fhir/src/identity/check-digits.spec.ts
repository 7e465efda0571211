import { checkDigitRuleOf, permittedFirstCheckDigits, secondCheckDigit } from './check-digits';

describe('identity-number check digits', () => {
  it('computes k1 and k2 of a Tenor example by the classic rule (worked by hand)', () => {
    // 0·3+2·7+8·6+5·1+0·8+0·9+9·4+7·5+2·2 = 142; 142 mod 11 = 10; k1 = 11 − 10 = 1.
    expect(permittedFirstCheckDigits('028500972').classic).toBe(1);
    // 0·5+2·4+8·3+5·2+0·7+0·6+9·5+7·4+2·3+1·2 = 123; 123 mod 11 = 2; k2 = 9.
    expect(secondCheckDigit('0285009721')).toBe(9);
    expect(checkDigitRuleOf('02850097219')).toBe('classic');
  });

  it('permits three more first check digits under the 2032 rule', () => {
    expect(permittedFirstCheckDigits('028500972')).toEqual({ classic: 1, rule2032: [2, 3, 4] });
    expect(permittedFirstCheckDigits('178588300')).toEqual({ classic: 0, rule2032: [1, 2, 3] });
  });

  it('drops a first check digit of 10 under either rule', () => {
    // 1·3 = 3; classic k1 = 11 − 3 = 8, then 9, 10 (dropped) and 0.
    expect(permittedFirstCheckDigits('100000000')).toEqual({ classic: 8, rule2032: [9, 0] });
    // 1·1 = 1; classic k1 = 11 − 1 = 10 (dropped): only the 2032 rule gives a k1 (0, 1, 2).
    expect(permittedFirstCheckDigits('000100000')).toEqual({ classic: null, rule2032: [0, 1, 2] });
  });

  it('tells a 2032-rule number from a classic one', () => {
    expect(checkDigitRuleOf('17858830001')).toBe('classic');
    expect(checkDigitRuleOf('17858830028')).toBe('2032');
  });

  it('gives no second check digit when the rule yields 10', () => {
    // 6·2 = 12; 12 mod 11 = 1; 11 − 1 = 10: no valid k2.
    expect(secondCheckDigit('0000000006')).toBeNull();
  });

  it('refuses a first check digit that neither rule permits', () => {
    // 028500972: permitted 1, 2, 3, 4; 5 is not.
    expect(checkDigitRuleOf('02850097259')).toBeNull();
  });
});
