import { WEEKDAYS, type WeeklyHours, type Weekday } from './schema.js';
import { dateAfter, dateOf, instantOfWallClock, wallClock } from './site-day.js';

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
 * Candidates are window starts read on each local date with the offset that date has there (a clock change
 * of an hour, of half an hour on Lord Howe, between now and then included), each verified with Intl. A start
 * the clocks skip opens as they land: the minutes around it are looked at.
 */
export function nextOpening(hours: WeeklyHours, now: number): number | null {
  if (isWithinWeeklyHours(hours, now)) return now;
  const today = dateOf(now, hours.timeZone);
  const closed = new Set(hours.closedDates?.map((d) => d.date));
  const candidates: { at: number; date: string; start: number }[] = [];
  const horizon = 7 + closed.size;
  for (let ahead = 0; ahead <= horizon; ahead++) {
    const date = dateAfter(today, ahead);
    const weekday = WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()]!;
    for (const window of hours.windows) {
      if (!window.days.includes(weekday)) continue;
      const start = parseClock(window.start);
      const at = instantOfWallClock(date, start * 60, hours.timeZone);
      if (at > now - SEARCH_AROUND_MS) candidates.push({ at, date, start });
    }
  }
  candidates.sort((a, b) => a.at - b.at);
  const opensAt = (at: number) =>
    at > now && isWithinWeeklyHours(hours, at) && !isWithinWeeklyHours(hours, at - 60_000);
  for (const { at, date, start } of candidates) {
    if (opensAt(at)) return at;
    // Only a start the clocks skipped (its instant shows another time) opens elsewhere: as they land. A
    // start already gone, on a closed day or inside another window opens nothing; that window's own start does.
    if (closed.has(date) || localWeekTime(at, hours.timeZone).minuteOfDay === start % 1440) continue;
    for (let t = at - SEARCH_AROUND_MS; t <= at + SEARCH_AROUND_MS; t += 60_000) if (opensAt(t)) return t;
  }
  return null;
}

/** How far around a window's start an opening is looked for: past any clock change (two hours on Troll). */
const SEARCH_AROUND_MS = 3 * 3_600_000;
