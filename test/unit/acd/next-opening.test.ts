/**
 * When callback hours next open, asked at seeded random moments of 2026 (many of them within a day of a
 * clock change) in zones with an hour's change, half an hour's (Lord Howe), none, a quarter-hour offset
 * (Kathmandu), the southern summer (Sydney, Chatham): the answer is open, later than or at the moment asked,
 * a minute before it closed, and nothing between was open. (Before this, a half-hour change ahead made it
 * "never" for the week around it.)
 */
import { describe, expect, it } from 'vitest';
import { isWithinWeeklyHours, nextOpening } from '../../../src/acd/hours.js';
import type { WeeklyHours } from '../../../src/acd/schema.js';
import { clockChanges, seededRng } from './helpers.js';

const ZONES = [
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'Australia/Sydney',
  'Pacific/Chatham',
  'Asia/Kathmandu',
  'Asia/Tokyo',
];

/** Hours that open around the changes (02:00–03:00 local) as well as office hours, and a closed day. */
const hours = (timeZone: string): WeeklyHours => ({
  timeZone,
  windows: [
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:30' },
    { days: ['sun'], start: '02:15', end: '04:00' },
    { days: ['sat'], start: '10:00', end: '24:00' },
  ],
  closedDates: [{ date: '2026-12-25' }, { date: '2026-04-03' }],
});

describe('nextOpening', () => {
  it('finds the first open minute, across clock changes of an hour and of half an hour', () => {
    const random = seededRng(7);
    const failures: string[] = [];
    let asked = 0;
    for (const zone of ZONES) {
      const wanted = hours(zone);
      const near = clockChanges(zone);
      for (let i = 0; i < 12; i++) {
        // Half the moments within a day of a change (when the zone has one), the others anywhere in the year.
        const change = near.length > 0 && i % 2 === 0 ? near[Math.floor(random() * near.length)] : undefined;
        const now =
          change !== undefined
            ? change + Math.floor((random() - 0.5) * 86_400_000)
            : Date.UTC(2026, 0, 1) + Math.floor(random() * 365 * 86_400_000);
        asked++;
        const at = nextOpening(wanted, now);
        const what = `${zone} at ${new Date(now).toISOString()}`;
        if (at === null) {
          failures.push(`${what}: never`);
          continue;
        }
        if (at < now) failures.push(`${what}: ${new Date(at).toISOString()} is before it`);
        if (!isWithinWeeklyHours(wanted, at))
          failures.push(`${what}: ${new Date(at).toISOString()} is not open`);
        if (at > now && isWithinWeeklyHours(wanted, at - 60_000))
          failures.push(`${what}: ${new Date(at).toISOString()} was open a minute before`);
        // Nothing open earlier (every window here stays open over an hour, so five-minute steps meet it).
        for (let t = now - (now % 60_000) + 60_000; t < at; t += 5 * 60_000) {
          if (isWithinWeeklyHours(wanted, t)) {
            failures.push(
              `${what}: open at ${new Date(t).toISOString()}, before ${new Date(at).toISOString()}`,
            );
            break;
          }
        }
      }
    }
    expect(asked).toBe(ZONES.length * 12);
    expect(failures).toEqual([]);
  });

  it('opens a window starting in the hour the clocks skip as they land', () => {
    // New York springs forward at 02:00 on 8 March 2026: the Sunday window's 02:15 never shows; 03:00 does.
    const asked = Date.parse('2026-03-08T05:30:00Z'); // Sunday 00:30 there, the Saturday window over
    expect(new Date(nextOpening(hours('America/New_York'), asked) ?? 0).toISOString()).toBe(
      '2026-03-08T07:00:00.000Z',
    );
    // Lord Howe falls back half an hour at 02:00 on 5 April 2026: the Sunday window opens at 02:15 +10:30.
    const howe = Date.parse('2026-04-04T13:14:00Z'); // Sunday 00:14 there, +11:00
    expect(new Date(nextOpening(hours('Australia/Lord_Howe'), howe) ?? 0).toISOString()).toBe(
      '2026-04-04T15:45:00.000Z',
    );
  });
});
