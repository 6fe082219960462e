import { describe, expect, it } from 'vitest';
import { ExperimentError } from '../errors.js';
import { fitsBefore, formatDeadline, parseUntil } from './until.js';

describe('parseUntil', () => {
  const now = new Date(2026, 10, 22, 9, 0, 0); // local time, so these hold in any time zone

  it('reads HH:MM as the next such local time (today, or tomorrow once it has passed)', () => {
    expect(parseUntil('09:30', now)).toBe(new Date(2026, 10, 22, 9, 30).getTime());
    expect(parseUntil('9:30', now)).toBe(new Date(2026, 10, 22, 9, 30).getTime());
    expect(parseUntil('08:00', now)).toBe(new Date(2026, 10, 23, 8, 0).getTime());
    expect(parseUntil('09:00', now)).toBe(new Date(2026, 10, 23, 9, 0).getTime()); // "now" is already past
    expect(parseUntil('00:00', new Date(2026, 11, 31, 23, 0))).toBe(new Date(2027, 0, 1, 0, 0).getTime());
  });

  it('reads ISO date-times: local without a zone, UTC with Z, or with an offset; the past is allowed', () => {
    expect(parseUntil('2026-11-22T17:30', now)).toBe(new Date(2026, 10, 22, 17, 30).getTime());
    expect(parseUntil('2026-11-22T17:30Z', now)).toBe(Date.UTC(2026, 10, 22, 17, 30));
    expect(parseUntil('2026-11-22T17:30:15+01:00', now)).toBe(Date.UTC(2026, 10, 22, 16, 30, 15));
    expect(parseUntil('2000-01-01T00:00Z', now)).toBe(Date.UTC(2000, 0, 1));
  });

  it('refuses anything else, naming the source, the value and the accepted forms', () => {
    for (const bad of [
      '1',
      'May 5',
      '24:00',
      '12:60',
      '2026-11-22',
      '2026-13-01T00:00',
      '2026-02-29T10:00',
      '2026-11-31T17:30',
      '2026-11-22T24:00',
      '2026-11-22T17:60Z',
      'tomorrow',
      '',
    ]) {
      expect(() => parseUntil(bad, now), bad).toThrow(ExperimentError);
    }
    expect(() => parseUntil('5pm', now, 'DP_BENCH_UNTIL')).toThrow(
      /^DP_BENCH_UNTIL '5pm' is not a time; fix: HH:MM .* ISO date-time/,
    );
    expect(parseUntil('2028-02-29T10:00Z', now)).toBe(Date.UTC(2028, 1, 29, 10)); // a leap day is a day
  });

  it('refuses a time of day in DP_BENCH_UNTIL, which a later dp bench of the same script would read as tomorrow', () => {
    expect(() => parseUntil('17:30', now, 'DP_BENCH_UNTIL')).toThrow(
      /^DP_BENCH_UNTIL '17:30' is a time of day, .*; fix: an ISO date-time/,
    );
    expect(parseUntil('2026-11-22T17:30', now, 'DP_BENCH_UNTIL')).toBe(new Date(2026, 10, 22, 17, 30).getTime());
  });
});

describe('fitsBefore', () => {
  it('starts a run that ends by the deadline, not one that ends after it, and one with no estimate while time is left', () => {
    expect(fitsBefore(60, 0, 60_000)).toBe(true);
    expect(fitsBefore(60.001, 0, 60_000)).toBe(false);
    expect(fitsBefore(1, 10_000, 5_000)).toBe(false); // the deadline has passed
    expect(fitsBefore(0, 4_000, 5_000)).toBe(true); // nothing to price it by, and time is left
    expect(fitsBefore(0, 10_000, 5_000)).toBe(false); // but nothing starts once the time is up
  });
});

describe('formatDeadline', () => {
  it('prints local date and time to the minute', () => {
    expect(formatDeadline(new Date(2026, 0, 5, 7, 3, 59).getTime())).toBe('2026-01-05 07:03');
  });
});
