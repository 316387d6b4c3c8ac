/**
 * Business hours and holidays, evaluated in the schedule's IANA time zone with Intl. Pure: the
 * instant is always passed in.
 */
import type { Holiday, Schedule, TimeRange, Weekday } from './types.js';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface LocalTime {
  /** `YYYY-MM-DD` */
  readonly date: string;
  readonly weekday: Weekday;
  /** Minutes since local midnight. */
  readonly minutes: number;
  /** `HH:MM` */
  readonly time: string;
}

export interface ScheduleState {
  readonly state: 'open' | 'closed' | 'holiday';
  readonly local: LocalTime;
  readonly holiday?: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True if Intl knows the zone. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock date/time of `epochMs` in `timeZone`. Throws RangeError on an unknown zone. */
export function localTime(epochMs: number, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochMs))) parts[p.type] = p.value;
  const hour = Number(parts.hour) % 24;
  const minute = Number(parts.minute);
  const weekday = (parts.weekday ?? '').toLowerCase().slice(0, 3) as Weekday;
  const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday, minutes: hour * 60 + minute, time };
}

const RANGE_RE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `'HH:MM-HH:MM'` to minutes `[start, end)`; null if malformed or empty. */
export function parseRange(range: TimeRange): readonly [number, number] | null {
  const m = RANGE_RE.exec(range);
  if (!m) return null;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  if (end > 24 * 60 || end <= start) return null;
  return [start, end];
}

/** True for a real calendar date `YYYY-MM-DD`. */
export function isValidDate(date: string): boolean {
  const m = DATE_RE.exec(date);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === date;
}

function normalizeHoliday(h: string | Holiday): Holiday {
  return typeof h === 'string' ? { date: h } : h;
}

function inRanges(ranges: readonly TimeRange[] | undefined, minutes: number): boolean {
  for (const r of ranges ?? []) {
    const p = parseRange(r);
    if (p && minutes >= p[0] && minutes < p[1]) return true;
  }
  return false;
}

/** Open, closed or holiday at `epochMs`. Malformed ranges never match (the checker reports them). */
export function evaluateSchedule(schedule: Schedule, epochMs: number): ScheduleState {
  const local = localTime(epochMs, schedule.timeZone);
  for (const raw of schedule.holidays ?? []) {
    const h = normalizeHoliday(raw);
    if (h.date !== local.date) continue;
    if (h.hours && inRanges(h.hours, local.minutes)) return { state: 'open', local };
    return { state: 'holiday', local, holiday: h.name ?? h.date };
  }
  return { state: inRanges(schedule.weekly[local.weekday], local.minutes) ? 'open' : 'closed', local };
}

/** Problems with a schedule, as messages (empty when fine). */
export function scheduleProblems(schedule: Schedule): string[] {
  const problems: string[] = [];
  if (!isValidTimeZone(schedule.timeZone)) problems.push(`unknown time zone '${schedule.timeZone}'`);
  for (const [day, ranges] of Object.entries(schedule.weekly)) {
    if (!WEEKDAYS.includes(day as Weekday))
      problems.push(`unknown weekday '${day}' (use ${WEEKDAYS.join(', ')})`);
    for (const r of ranges ?? []) {
      if (!parseRange(r))
        problems.push(`bad time range '${r}' on ${day} (use 'HH:MM-HH:MM', start before end)`);
    }
  }
  for (const raw of schedule.holidays ?? []) {
    const h = normalizeHoliday(raw);
    if (!isValidDate(h.date)) problems.push(`bad holiday date '${h.date}' (use YYYY-MM-DD)`);
    for (const r of h.hours ?? []) {
      if (!parseRange(r)) problems.push(`bad time range '${r}' on holiday ${h.date}`);
    }
  }
  return problems;
}
