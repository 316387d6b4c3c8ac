import { describe, expect, it } from 'vitest';
import {
  evaluateSchedule,
  isValidDate,
  localTime,
  parseRange,
  type Schedule,
} from '../../../src/ivr/index.js';

const madrid: Schedule = {
  timeZone: 'Europe/Madrid',
  weekly: { mon: ['09:00-14:00', '16:00-19:00'], fri: ['09:00-24:00'] },
  holidays: ['2026-01-06', { date: '2026-12-24', name: 'Nochebuena', hours: ['09:00-13:00'] }],
};
const at = (iso: string) => evaluateSchedule(madrid, Date.parse(iso));

describe('business hours', () => {
  it('gives local time in the zone', () => {
    expect(localTime(Date.parse('2026-03-02T08:30:00Z'), 'Europe/Madrid')).toEqual({
      date: '2026-03-02',
      weekday: 'mon',
      minutes: 9 * 60 + 30,
      time: '09:30',
    });
    // crosses midnight into the next day in Tokyo
    expect(localTime(Date.parse('2026-03-02T20:00:00Z'), 'Asia/Tokyo')).toMatchObject({
      date: '2026-03-03',
      weekday: 'tue',
    });
  });

  it('open inside ranges, closed in the lunch gap and at the end (exclusive)', () => {
    expect(at('2026-03-02T08:30:00Z').state).toBe('open'); // 09:30 CET
    expect(at('2026-03-02T13:30:00Z').state).toBe('closed'); // 14:30
    expect(at('2026-03-02T15:30:00Z').state).toBe('open'); // 16:30
    expect(at('2026-03-02T18:00:00Z').state).toBe('closed'); // 19:00 exactly
    expect(at('2026-03-03T08:30:00Z').state).toBe('closed'); // Tuesday: no hours
  });

  it('handles DST (CEST is UTC+2)', () => {
    expect(at('2026-06-01T07:30:00Z').state).toBe('open'); // 09:30 CEST
    expect(at('2026-03-02T07:30:00Z').state).toBe('closed'); // 08:30 CET
  });

  it('24:00 end covers the last minute of the day', () => {
    expect(at('2026-03-06T22:59:00Z').state).toBe('open'); // Fri 23:59 CET
  });

  it('holidays close the day; half-day holidays open during their hours', () => {
    expect(at('2026-01-05T23:30:00Z')).toMatchObject({ state: 'holiday', holiday: '2026-01-06' }); // Tue 00:30 local on the 6th
    expect(at('2026-12-24T09:00:00Z').state).toBe('open'); // 10:00, Thursday (no weekly hours) but half day
    expect(at('2026-12-24T13:00:00Z')).toMatchObject({ state: 'holiday', holiday: 'Nochebuena' });
  });

  it('parses ranges and dates strictly', () => {
    expect(parseRange('09:00-17:30')).toEqual([540, 1050]);
    expect(parseRange('17:00-09:00')).toBeNull();
    expect(parseRange('9:00-17:00')).toBeNull();
    expect(isValidDate('2028-02-29')).toBe(true);
    expect(isValidDate('2026-02-29')).toBe(false);
  });

  it('throws on an unknown zone (the runtime turns that into the error path)', () => {
    expect(() => evaluateSchedule({ ...madrid, timeZone: 'Nope/Nope' }, 0)).toThrow(RangeError);
  });
});
