/**
 * The site's day (reports' days, the daily figures' reset, retention's sweep, rosters' dates) in zones whose
 * clocks change at midnight (Santiago, Asunción, Havana, Beirut: some dates have no midnight), by half an
 * hour (Lord Howe), by none, or off the hour (Kathmandu, Chatham), at seeded random moments of 2026, half
 * of them within a day of a change: the day holds the moment, starts on its date with the moment before on
 * the date before, the next day starts where it ends, and a day is 23 to 25 hours long.
 */
import { describe, expect, it } from 'vitest';
import { dateAfter, dateOf, startOfDate, startOfDay, startOfNextDay } from '../../../src/acd/site-day.js';
import { clockChanges, seededRng } from './helpers.js';

const ZONES = [
  'America/Santiago',
  'America/Asuncion',
  'America/Havana',
  'Asia/Beirut',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'Europe/London',
  'America/New_York',
];

describe('the site day', () => {
  it('holds the moment, starts on its date, runs 23 to 25 hours into the next, in zones with odd clock changes', () => {
    const random = seededRng(11);
    const failures: string[] = [];
    for (const zone of ZONES) {
      const near = clockChanges(zone, 1_800_000);
      for (let i = 0; i < 30; i++) {
        const change = near.length > 0 && i % 2 === 0 ? near[Math.floor(random() * near.length)] : undefined;
        const now =
          change !== undefined
            ? change + Math.floor((random() - 0.5) * 86_400_000)
            : Date.UTC(2026, 0, 1) + Math.floor(random() * 365 * 86_400_000);
        const what = `${zone} at ${new Date(now).toISOString()}`;
        const start = startOfDay(now, zone);
        const next = startOfNextDay(now, zone);
        const date = dateOf(now, zone);
        if (!(start <= now && now < next)) failures.push(`${what}: day ${start}..${next} does not hold it`);
        if (dateOf(start, zone) !== date)
          failures.push(`${what}: starts on ${dateOf(start, zone)}, not ${date}`);
        if (dateOf(start - 1000, zone) === date)
          failures.push(`${what}: the second before the start is ${date} too`);
        if (dateOf(next, zone) !== dateAfter(date, 1))
          failures.push(`${what}: the next day is ${dateOf(next, zone)}`);
        if (dateOf(next - 1000, zone) !== date)
          failures.push(`${what}: the day ends before ${new Date(next).toISOString()}`);
        const hours = (next - start) / 3_600_000;
        if (hours < 23 || hours > 25) failures.push(`${what}: a day of ${hours} hours`);
        if (startOfDate(date, zone) !== start)
          failures.push(`${what}: startOfDate ${startOfDate(date, zone)} ≠ ${start}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
