/** Shifts in words on the wallboard (src/web/common/shift-text.js). */
import { describe, expect, it } from 'vitest';
import { adherenceText, hoursText, shiftSpan, shiftTime } from '../../../src/web/common/shift-text.js';

describe('shift text', () => {
  it('says how much of a shift the agent was there', () => {
    expect(hoursText(6 * 3600)).toBe('6h');
    expect(hoursText(5 * 3600 + 24 * 60 + 59)).toBe('5h 24m');
    expect(hoursText(45 * 60)).toBe('45m');
    expect(adherenceText({ elapsedSeconds: 6 * 3600, staffedSeconds: 5.4 * 3600, percent: 90 })).toBe(
      '5h 24m of 6h (90 %)',
    );
    expect(adherenceText({ elapsedSeconds: 0, staffedSeconds: 0, percent: null })).toBe('–');
    expect(adherenceText(undefined)).toBe('not begun');
  });

  it("reads the form's day and times on the browser's clock, a night shift ending the next day", () => {
    const day = shiftSpan('2026-12-07', '09:00', '17:30');
    expect(new Date(day.start).getHours()).toBe(9);
    expect(Date.parse(day.end) - Date.parse(day.start)).toBe(8.5 * 3_600_000);
    const night = shiftSpan('2026-12-07', '22:00', '06:00');
    expect(new Date(night.end).getDate()).toBe(8);
    expect(Date.parse(night.end) - Date.parse(night.start)).toBe(8 * 3_600_000);
    expect(shiftTime(night.start, '2026-12-07')).toBe('22:00');
    expect(shiftTime(night.end, '2026-12-07')).toBe('Tue 8 Dec 06:00');
  });
});
