import { describe, expect, it } from 'vitest';
import { startOfDate, startOfDay, startOfNextDay } from '../../../src/acd/site-day.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe("the site's day in its own time zone", () => {
  it('starts at local midnight, whatever zone the process runs in', () => {
    // 02:30 UTC on 2 Dec is still 1 Dec in New York (UTC-5): that day began at 05:00 UTC.
    expect(iso(startOfDay(at('2026-12-02T02:30:00Z'), 'America/New_York'))).toBe('2026-12-01T05:00:00.000Z');
    expect(iso(startOfDay(at('2026-12-02T02:30:00Z'), 'UTC'))).toBe('2026-12-02T00:00:00.000Z');
    expect(iso(startOfDay(at('2026-12-02T02:30:00Z'), 'Asia/Kolkata'))).toBe('2026-12-01T18:30:00.000Z');
    expect(iso(startOfNextDay(at('2026-12-02T02:30:00Z'), 'America/New_York'))).toBe(
      '2026-12-02T05:00:00.000Z',
    );
    // Exactly at midnight the day is the new one.
    expect(iso(startOfDay(at('2026-12-01T05:00:00Z'), 'America/New_York'))).toBe('2026-12-01T05:00:00.000Z');
    expect(iso(startOfDay(at('2026-12-01T04:59:59.999Z'), 'America/New_York'))).toBe(
      '2026-11-30T05:00:00.000Z',
    );
  });

  it('follows daylight saving: the offset at midnight, not the one now', () => {
    // New York, 8 March 2026: clocks go 02:00 → 03:00 (EST → EDT). Midnight was still EST (05:00 UTC).
    expect(iso(startOfDay(at('2026-03-08T20:00:00Z'), 'America/New_York'))).toBe('2026-03-08T05:00:00.000Z');
    // The next day starts at EDT midnight: that day was 23 hours long.
    expect(iso(startOfNextDay(at('2026-03-08T20:00:00Z'), 'America/New_York'))).toBe(
      '2026-03-09T04:00:00.000Z',
    );
    // 1 November 2026: 02:00 EDT → 01:00 EST, a 25-hour day.
    expect(iso(startOfDay(at('2026-11-01T23:00:00Z'), 'America/New_York'))).toBe('2026-11-01T04:00:00.000Z');
    expect(iso(startOfNextDay(at('2026-11-01T23:00:00Z'), 'America/New_York'))).toBe(
      '2026-11-02T05:00:00.000Z',
    );
  });

  it('starts a day whose midnight was skipped when its date begins', () => {
    // Chile, 6 September 2026: at midnight clocks jump to 01:00 (UTC-4 → UTC-3); the day starts at 01:00 local.
    expect(iso(startOfDay(at('2026-09-06T15:00:00Z'), 'America/Santiago'))).toBe('2026-09-06T04:00:00.000Z');
    expect(iso(startOfNextDay(at('2026-09-05T15:00:00Z'), 'America/Santiago'))).toBe(
      '2026-09-06T04:00:00.000Z',
    );
  });

  it('finds the start of a calendar date in any zone, from UTC+14 to UTC-11', () => {
    expect(iso(startOfDate('2026-12-01', 'America/New_York'))).toBe('2026-12-01T05:00:00.000Z');
    expect(iso(startOfDate('2026-12-01', 'Pacific/Kiritimati'))).toBe('2026-11-30T10:00:00.000Z');
    expect(iso(startOfDate('2026-12-01', 'Pacific/Pago_Pago'))).toBe('2026-12-01T11:00:00.000Z');
    expect(iso(startOfDate('2026-09-06', 'America/Santiago'))).toBe('2026-09-06T04:00:00.000Z');
  });
});
