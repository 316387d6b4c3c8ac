import type { Weekday } from './schema.js';

/**
 * The contact center's day, in its own IANA time zone (not the process's: a container runs in UTC):
 * "today" in the stats and the fewest-calls strategy's daily counts start at its midnight. Pure, DST-aware
 * through Intl; the instant is always passed in.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's wall clock at an instant, to the second. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** mon … sun */
  weekday: Weekday;
}

export function wallClock(at: number, timeZone: string): WallClock {
  const p: Record<string, number> = {};
  let weekday = '';
  for (const part of formatter(timeZone).formatToParts(at)) {
    if (part.type === 'weekday') weekday = part.value.slice(0, 3).toLowerCase();
    else p[part.type] = Number(part.value);
  }
  return {
    weekday: weekday as Weekday,
    year: p.year ?? 0,
    month: p.month ?? 1,
    day: p.day ?? 1,
    hour: (p.hour ?? 0) % 24,
    minute: p.minute ?? 0,
    second: p.second ?? 0,
  };
}

interface Wall {
  year: number;
  month: number;
  day: number;
  /** The wall clock read as if it were UTC, in ms (whole seconds). */
  asUtc: number;
}

function wall(at: number, timeZone: string): Wall {
  const { weekday: _weekday, ...w } = wallClock(at, timeZone);
  return { ...w, asUtc: Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) };
}

/** How far the zone's wall clock is ahead of UTC at `at` (ms). */
export const offsetAt = (at: number, timeZone: string): number =>
  wall(at, timeZone).asUtc - (at - (((at % 1000) + 1000) % 1000));

const sameDate = (a: Wall, b: Wall) => a.year === b.year && a.month === b.month && a.day === b.day;

/** The first instant of the local day that contains `now` (its midnight, or the first minute after a skipped one). */
export function startOfDay(now: number, timeZone: string): number {
  const today = wall(now, timeZone);
  const midnightAsUtc = Date.UTC(today.year, today.month - 1, today.day);
  let at = midnightAsUtc - offsetAt(now, timeZone);
  at = midnightAsUtc - offsetAt(at, timeZone); // the offset at midnight may differ from now's (DST)
  if (sameDate(wall(at - 1, timeZone), today)) {
    // Midnight came earlier than the offset says (a repeated hour around it): step back to where the date starts.
    at = midnightAsUtc - offsetAt(at - 3_600_000, timeZone);
  }
  if (!sameDate(wall(at, timeZone), today)) {
    // Midnight does not exist that day (clocks jumped over it): the day starts when the date changes.
    let [lo, hi] = [at, now];
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2);
      if (sameDate(wall(mid, timeZone), today)) hi = mid;
      else lo = mid;
    }
    at = hi;
  }
  return at;
}

/** The calendar date (`YYYY-MM-DD`) of the site's wall clock at `at`. */
export function dateOf(at: number, timeZone: string): string {
  const w = wallClock(at, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** The calendar date `days` after (or before) a date, both `YYYY-MM-DD`. */
export const dateAfter = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The first instant of a calendar date (`YYYY-MM-DD`) in `timeZone`. */
export function startOfDate(date: string, timeZone: string): number {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  // Noon of that date, read as UTC and moved by the zone's offset then, is on that date in the zone.
  const noonAsUtc = Date.UTC(year, month - 1, day, 12);
  return startOfDay(noonAsUtc - offsetAt(noonAsUtc, timeZone), timeZone);
}

/** The first instant of the next local day (a day is 23 to 25 hours long around DST changes). */
export function startOfNextDay(now: number, timeZone: string): number {
  return startOfDay(startOfDay(now, timeZone) + 26 * 3_600_000, timeZone);
}

/** The process's own zone: the default when the configuration names none. */
export function processTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * The instant a wall clock shows in `timeZone` (`date` `YYYY-MM-DD`, the time of day in seconds). A time the
 * clocks jump over (spring forward) is read with the offset before the jump, so it lands just after it; a time
 * they show twice (fall back) is the first.
 */
export function instantOfWallClock(date: string, secondOfDay: number, timeZone: string): number {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  const asUtc = Date.UTC(year, month - 1, day) + secondOfDay * 1000;
  const before = asUtc - offsetAt(asUtc - 86_400_000, timeZone);
  const guess = asUtc - offsetAt(asUtc, timeZone);
  // Try the day before's offset first (the first of a repeated hour), then the one the guess lands in.
  for (const at of [before, guess, asUtc - offsetAt(guess, timeZone)]) {
    if (wall(at, timeZone).asUtc === asUtc) return at;
  }
  return before;
}
