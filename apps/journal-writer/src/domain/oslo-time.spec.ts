import { osloDateAndTime, osloTimeRelativeTo } from './oslo-time';

const utc = (iso: string): number => Date.parse(iso);

describe('osloDateAndTime', () => {
  it('shows winter time as UTC+1', () => {
    expect(osloDateAndTime(utc('2026-11-28T02:12:00Z'))).toBe('28.11.2026 kl. 03:12');
  });

  it('shows summer time as UTC+2', () => {
    expect(osloDateAndTime(utc('2026-07-01T10:05:59Z'))).toBe('01.07.2026 kl. 12:05');
  });

  it('moves a late UTC evening onto the next Oslo date', () => {
    expect(osloDateAndTime(utc('2026-12-31T23:30:00Z'))).toBe('01.01.2027 kl. 00:30');
  });

  // Summer time starts Sunday 29 March 2026 at 01:00 UTC: Oslo clocks jump from 02:00 to 03:00.
  describe('the spring switch, 2026-03-29', () => {
    it('is still winter time (UTC+1) at 00:30 UTC: 01:30 in Oslo', () => {
      expect(osloDateAndTime(utc('2026-03-29T00:30:00Z'))).toBe('29.03.2026 kl. 01:30');
    });

    it('is winter time one minute before the switch: 01:59', () => {
      expect(osloDateAndTime(utc('2026-03-29T00:59:00Z'))).toBe('29.03.2026 kl. 01:59');
    });

    it('is summer time (UTC+2) at the switch: 02:00 never shows, 03:00 does', () => {
      expect(osloDateAndTime(utc('2026-03-29T01:00:00Z'))).toBe('29.03.2026 kl. 03:00');
    });

    it('is summer time at 01:30 UTC: 03:30 in Oslo', () => {
      expect(osloDateAndTime(utc('2026-03-29T01:30:00Z'))).toBe('29.03.2026 kl. 03:30');
    });
  });

  // Summer time ends Sunday 25 October 2026 at 01:00 UTC: Oslo clocks fall back from 03:00 to
  // 02:00, so 02:00–02:59 happens twice.
  describe('the autumn switch, 2026-10-25', () => {
    it('is summer time (UTC+2) at 00:30 UTC: the first 02:30', () => {
      expect(osloDateAndTime(utc('2026-10-25T00:30:00Z'))).toBe('25.10.2026 kl. 02:30');
    });

    it('is winter time (UTC+1) at 01:30 UTC: the second 02:30', () => {
      expect(osloDateAndTime(utc('2026-10-25T01:30:00Z'))).toBe('25.10.2026 kl. 02:30');
    });

    it('is winter time after the repeated hour: 03:00 at 02:00 UTC', () => {
      expect(osloDateAndTime(utc('2026-10-25T02:00:00Z'))).toBe('25.10.2026 kl. 03:00');
    });
  });
});

describe('osloTimeRelativeTo', () => {
  it('gives only the clock time on the same Oslo date', () => {
    expect(osloTimeRelativeTo(utc('2026-11-28T02:20:00Z'), utc('2026-11-28T02:12:00Z'))).toBe(
      'kl. 03:20',
    );
  });

  it('gives the date too when the Oslo date differs, even on the same UTC date', () => {
    expect(osloTimeRelativeTo(utc('2026-11-28T23:10:00Z'), utc('2026-11-28T22:50:00Z'))).toBe(
      '29.11.2026 kl. 00:10',
    );
  });
});
