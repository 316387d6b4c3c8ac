import { WEEKDAYS, type WeeklyHours, type Weekday } from './schema.js';
import { dateOf, wallClock } from './site-day.js';

/** "HH:MM" → minutes since local midnight ("24:00" → 1440). */
export function parseClock(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

export interface LocalWeekTime {
  weekday: Weekday;
  /** Minutes since local midnight. */
  minuteOfDay: number;
}

/** Local weekday and time of day at instant `now` in `timeZone` (DST-aware via Intl). */
export function localWeekTime(now: number, timeZone: string): LocalWeekTime {
  const wall = wallClock(now, timeZone);
  return { weekday: wall.weekday, minuteOfDay: wall.hour * 60 + wall.minute };
}

/** Whether `now` falls inside any weekly window (start inclusive, end exclusive), on a day not closed. */
export function isWithinWeeklyHours(hours: WeeklyHours, now: number): boolean {
  const wall = wallClock(now, hours.timeZone);
  if (hours.closedDates?.length) {
    const date = dateOf(now, hours.timeZone);
    if (hours.closedDates.some((d) => d.date === date)) return false;
  }
  const minuteOfDay = wall.hour * 60 + wall.minute;
  return hours.windows.some(
    (w) =>
      w.days.includes(wall.weekday) && minuteOfDay >= parseClock(w.start) && minuteOfDay < parseClock(w.end),
  );
}

/**
 * The next instant (≥ now, at a whole minute) at which the hours are open, or null if never within 8 days
 * (plus a day for each closed date, so that a run of them is looked past).
 * Candidates are window starts computed in local wall-clock minutes; each is verified with Intl and
 * nudged by an hour either way to absorb a DST change between now and the candidate.
 */
export function nextOpening(hours: WeeklyHours, now: number): number | null {
  if (isWithinWeeklyHours(hours, now)) return now;
  const local = localWeekTime(now, hours.timeZone);
  const today = WEEKDAYS.indexOf(local.weekday);
  const minuteStart = now - (now % 60_000);
  const candidates: number[] = [];
  const horizon = 7 + (hours.closedDates?.length ?? 0);
  for (let day = 0; day <= horizon; day++) {
    const weekday = WEEKDAYS[(today + day) % 7]!;
    for (const window of hours.windows) {
      if (!window.days.includes(weekday)) continue;
      const ahead = day * 1440 + parseClock(window.start) - local.minuteOfDay;
      if (ahead > 0) candidates.push(minuteStart + ahead * 60_000);
    }
  }
  candidates.sort((a, b) => a - b);
  for (const candidate of candidates) {
    for (const at of [candidate - 3_600_000, candidate, candidate + 3_600_000]) {
      if (at > now && isWithinWeeklyHours(hours, at) && !isWithinWeeklyHours(hours, at - 60_000)) return at;
    }
  }
  return null;
}
