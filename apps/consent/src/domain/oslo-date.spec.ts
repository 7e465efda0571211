import { isDateWithin, osloDateOf } from './oslo-date';

describe('osloDateOf', () => {
  it('gives the Oslo date, which in winter (UTC+1) turns an hour before UTC midnight', () => {
    expect(osloDateOf(Date.UTC(2025, 0, 31, 22, 59))).toBe('2025-01-31');
    expect(osloDateOf(Date.UTC(2025, 0, 31, 23, 0))).toBe('2025-02-01');
    expect(osloDateOf(Date.UTC(2025, 0, 31, 23, 30))).toBe('2025-02-01');
  });

  it('turns two hours before UTC midnight in summer (UTC+2)', () => {
    expect(osloDateOf(Date.UTC(2025, 5, 30, 21, 59))).toBe('2025-06-30');
    expect(osloDateOf(Date.UTC(2025, 5, 30, 22, 0))).toBe('2025-07-01');
  });

  it('follows the daylight-saving switch (30 March 2025, 01:00 UTC)', () => {
    expect(osloDateOf(Date.UTC(2025, 2, 29, 22, 59))).toBe('2025-03-29');
    expect(osloDateOf(Date.UTC(2025, 2, 29, 23, 0))).toBe('2025-03-30');
    expect(osloDateOf(Date.UTC(2025, 2, 30, 21, 59))).toBe('2025-03-30');
    expect(osloDateOf(Date.UTC(2025, 2, 30, 22, 0))).toBe('2025-03-31');
  });

  it('pads month and day', () => {
    expect(osloDateOf(Date.UTC(2025, 8, 4, 12))).toBe('2025-09-04');
  });
});

describe('isDateWithin', () => {
  it('includes both bounds', () => {
    expect(isDateWithin('2025-01-01', '2025-01-01', '2025-01-31')).toBe(true);
    expect(isDateWithin('2025-01-31', '2025-01-01', '2025-01-31')).toBe(true);
    expect(isDateWithin('2024-12-31', '2025-01-01', '2025-01-31')).toBe(false);
    expect(isDateWithin('2025-02-01', '2025-01-01', '2025-01-31')).toBe(false);
  });

  it('treats a null bound as open', () => {
    expect(isDateWithin('2099-01-01', '2025-01-01', null)).toBe(true);
    expect(isDateWithin('1900-01-01', null, '2025-01-31')).toBe(true);
    expect(isDateWithin('2025-01-01', null, null)).toBe(true);
  });
});

describe('osloDateOf, called in and out of order', () => {
  it('gives the same answers as fresh calls, across hour and day boundaries', () => {
    const start = Date.UTC(2025, 2, 29, 20);
    const instants = Array.from({ length: 60 }, (_, i) => start + ((i * 37) % 60) * 20 * 60 * 1000);
    const expected = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Oslo',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    for (const at of [...instants, ...instants.reverse()]) {
      expect(osloDateOf(at)).toBe(expected.format(at));
    }
  });
});
