/**
 * Agents' shifts: the roster a supervisor keeps of who works when, with the breaks planned inside each
 * (lunch, a coffee break). The staffing forecast sets the agents on shift (not on a break) beside the agents
 * needed per interval, and each shift is read against what the agent did: adherence, the share of the shift
 * gone by in which the agent did as planned (staffed while working; away while on a break). Pure: shifts and
 * times in, checks and figures out.
 */

import { dateAfter, dateOf, instantOfWallClock, wallClock } from '../acd/site-day.js';
import { STAFFED_STATES } from '../acd/staffing.js';

/** A break planned inside a shift; epoch ms, as the shift's. */
export interface ShiftBreak {
  start: number;
  end: number;
  /** What it is ("Lunch"), or null. */
  label: string | null;
}

export interface Shift {
  id: string;
  agentId: string;
  /** Epoch ms, the first instant of the shift and the one after it. */
  start: number;
  end: number;
  note: string | null;
  createdAt: number;
  /** By start; none overlap, each inside the shift. */
  breaks: ShiftBreak[];
}

export interface ShiftInput {
  agentId: string;
  start: number;
  end: number;
  note?: string | undefined;
  breaks?: readonly { start: number; end: number; label?: string | null | undefined }[] | undefined;
}

/** A shift of at most this long (a double shift, not a week). */
export const MAX_SHIFT_HOURS = 16;
/** Shifts go on the roster up to a year ahead, and up to a week back (a shift worked but not put on). */
export const SHIFT_AHEAD_MS = 366 * 24 * 3_600_000;
export const SHIFT_BACK_MS = 7 * 24 * 3_600_000;
/** The most shifts one roster request adds (a month of a large team's). */
export const SHIFTS_PER_REQUEST = 2000;
/** The most breaks in one shift, and the longest a break's label may be. */
export const BREAKS_PER_SHIFT = 6;
export const BREAK_LABEL_MAX = 40;

export type ShiftRefusal =
  | { code: 'SHIFT_INVALID'; reason: string }
  | { code: 'SHIFT_OVERLAP'; reason: string; shift?: Shift };

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Why these shifts may not go on the roster beside `existing`, each named by `place(i)` ("items.2"), or
 * none: an end not after its start, longer than 16 hours, more than a week back or a year ahead, an agent
 * on two shifts at once (with one on the roster, or another in the list).
 */
export function shiftProblems(
  asked: readonly ShiftInput[],
  existing: readonly Shift[],
  now: number,
  place: (i: number) => string,
): ShiftRefusal[] {
  const problems: ShiftRefusal[] = [];
  const invalid = (i: number, reason: string) =>
    problems.push({ code: 'SHIFT_INVALID', reason: `${place(i)}: ${reason}` });
  asked.forEach((s, i) => {
    if (!(s.end > s.start)) invalid(i, `ends (${iso(s.end)}) before it starts (${iso(s.start)})`);
    else if (s.end - s.start > MAX_SHIFT_HOURS * 3_600_000)
      invalid(i, `is ${((s.end - s.start) / 3_600_000).toFixed(1)} hours long: at most ${MAX_SHIFT_HOURS}`);
    else if (s.end < now - SHIFT_BACK_MS) invalid(i, 'ended more than a week ago');
    else if (s.start > now + SHIFT_AHEAD_MS) invalid(i, 'starts more than a year ahead');
    else for (const reason of breakProblems(s)) invalid(i, reason);
  });
  if (problems.length > 0) return problems;
  asked.forEach((s, i) => {
    const onRoster = existing.find((e) => e.agentId === s.agentId && overlaps(e, s));
    if (onRoster) {
      problems.push({
        code: 'SHIFT_OVERLAP',
        reason: `${place(i)}: ${s.agentId} is on a shift then already (${iso(onRoster.start)} to ${iso(onRoster.end)})`,
        shift: onRoster,
      });
      return;
    }
    const j = asked.findIndex((o, k) => k < i && o.agentId === s.agentId && overlaps(o, s));
    if (j >= 0)
      problems.push({
        code: 'SHIFT_OVERLAP',
        reason: `${place(i)}: ${s.agentId} is on ${place(j)} then already`,
      });
  });
  return problems;
}

/**
 * What is wrong with a shift's breaks, each named by its place ("break 2"): more than BREAKS_PER_SHIFT, an
 * end not after its start, outside the shift, on another break, a label too long.
 */
function breakProblems(s: ShiftInput): string[] {
  const breaks = s.breaks ?? [];
  if (breaks.length > BREAKS_PER_SHIFT) return [`has ${breaks.length} breaks: at most ${BREAKS_PER_SHIFT}`];
  const problems: string[] = [];
  breaks.forEach((b, j) => {
    const which = `break ${j + 1}`;
    if (!(b.end > b.start)) problems.push(`${which} ends (${iso(b.end)}) before it starts (${iso(b.start)})`);
    else if (b.start < s.start || b.end > s.end)
      problems.push(`${which} (${iso(b.start)} to ${iso(b.end)}) is not inside the shift`);
    else {
      const k = breaks.findIndex((o, m) => m < j && o.end > o.start && overlaps(o, b));
      if (k >= 0) problems.push(`${which} is during break ${k + 1}`);
    }
    if ((b.label?.length ?? 0) > BREAK_LABEL_MAX)
      problems.push(`${which}: its label is longer than ${BREAK_LABEL_MAX} characters`);
  });
  return problems;
}

/** A shift's breaks as kept: by start, labels trimmed (blank is none). */
export const breaksOf = (s: ShiftInput): ShiftBreak[] =>
  (s.breaks ?? [])
    .map((b) => ({ start: b.start, end: b.end, label: b.label?.trim() || null }))
    .sort((a, b) => a.start - b.start);

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && b.start < a.end;

/** The spans of a shift the agent is to work: the shift without its breaks. */
export function workingSpans(shift: { start: number; end: number; breaks: readonly ShiftBreak[] }): {
  start: number;
  end: number;
}[] {
  const spans: { start: number; end: number }[] = [];
  let from = shift.start;
  for (const b of shift.breaks) {
    if (b.start > from) spans.push({ start: from, end: b.start });
    from = Math.max(from, b.end);
  }
  if (shift.end > from) spans.push({ start: from, end: shift.end });
  return spans;
}

/** What a shift has the agent doing at `at`: working, on one of its breaks, or nothing (outside it). */
export function plannedAt(
  shift: { start: number; end: number; breaks: readonly ShiftBreak[] },
  at: number,
):
  | { activity: 'working'; until: number }
  | { activity: 'break'; until: number; label: string | null }
  | undefined {
  if (at < shift.start || at >= shift.end) return undefined;
  const onBreak = shift.breaks.find((b) => b.start <= at && at < b.end);
  if (onBreak) return { activity: 'break', until: onBreak.end, label: onBreak.label };
  const next = shift.breaks.find((b) => b.start > at);
  return { activity: 'working', until: next?.start ?? shift.end };
}

/** Seconds of [from, to) that a shift covers. */
export const secondsOnShift = (shift: { start: number; end: number }, from: number, to: number): number =>
  Math.max(0, Math.min(shift.end, to) - Math.max(shift.start, from)) / 1000;

/**
 * Per interval, how many agents are on shift on average (an agent whose shift ends half-way counts a half,
 * one on a break does not count), one decimal; only the shifts of `agentIds` (a queue's members) count.
 */
export function agentsOnShift(
  shifts: readonly Shift[],
  agentIds: ReadonlySet<string>,
  intervals: readonly { start: number; end: number }[],
): number[] {
  const counted = shifts.filter((s) => agentIds.has(s.agentId));
  return intervals.map(({ start, end }) => {
    const seconds = counted.reduce(
      (sum, s) => sum + workingSpans(s).reduce((sub, w) => sub + secondsOnShift(w, start, end), 0),
      0,
    );
    return Math.round((seconds / ((end - start) / 1000)) * 10) / 10;
  });
}

/** Seconds of a shift's breaks gone by at `now`. */
const breakSecondsBy = (shift: { breaks: readonly ShiftBreak[] }, now: number): number =>
  shift.breaks.reduce((sum, b) => sum + secondsOnShift(b, b.start, now), 0);

/**
 * How a shift went so far, to `now` (at most its end): its seconds gone by, of those its breaks', the
 * agent's seconds staffed while to work and while on a break. Adherence is the share of the seconds gone by
 * spent as planned (staffed while to work, away on a break), % one decimal (null before it starts); a shift
 * without breaks is the time staffed of the time gone by.
 */
export function adherence(
  shift: { start: number; end: number; breaks: readonly ShiftBreak[] },
  staffed: { working: number; onBreak: number },
  now: number,
): {
  elapsedSeconds: number;
  staffedSeconds: number;
  breakSeconds: number;
  staffedOnBreakSeconds: number;
  percent: number | null;
} {
  const until = Math.min(now, shift.end);
  const elapsedSeconds = secondsOnShift(shift, shift.start, until);
  const breakSeconds = breakSecondsBy(shift, until);
  const figures = {
    elapsedSeconds,
    staffedSeconds: staffed.working,
    breakSeconds,
    staffedOnBreakSeconds: staffed.onBreak,
  };
  return { ...figures, percent: share(keptSeconds(figures), elapsedSeconds) };
}

type AdherenceFigures = Omit<ReturnType<typeof adherence>, 'percent'>;

/** Seconds spent as planned: staffed while to work, away on the breaks. */
const keptSeconds = (a: AdherenceFigures): number =>
  a.staffedSeconds + Math.max(0, a.breakSeconds - a.staffedOnBreakSeconds);

/** `part` of `whole` as %, one decimal; null of nothing. */
const share = (part: number, whole: number): number | null =>
  whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;

/**
 * An agent's shifts over a range summed: their count, the time gone by, to work and on breaks, staffed; the
 * adherence of it all (the seconds spent as planned of the seconds gone by) and the conformance (the time
 * staffed, breaks included, of the time to work gone by: over 100 % when the agent worked through breaks or
 * stayed on).
 */
export function adherenceOver(shifts: readonly AdherenceFigures[]): AdherenceFigures & {
  shifts: number;
  workSeconds: number;
  percent: number | null;
  conformancePercent: number | null;
} {
  const sum = (pick: (a: AdherenceFigures) => number) => shifts.reduce((total, a) => total + pick(a), 0);
  const figures = {
    elapsedSeconds: sum((a) => a.elapsedSeconds),
    staffedSeconds: sum((a) => a.staffedSeconds),
    breakSeconds: sum((a) => a.breakSeconds),
    staffedOnBreakSeconds: sum((a) => a.staffedOnBreakSeconds),
  };
  const workSeconds = figures.elapsedSeconds - figures.breakSeconds;
  return {
    shifts: shifts.length,
    ...figures,
    workSeconds,
    percent: share(sum(keptSeconds), figures.elapsedSeconds),
    conformancePercent: share(figures.staffedSeconds + figures.staffedOnBreakSeconds, workSeconds),
  };
}

/** The most days one copy of the roster spans (two weeks: a fortnightly rota). */
export const COPY_DAYS_MAX = 14;

/** The same wall-clock time `days` later in `timeZone` (09:00 stays 09:00 across a change of the clocks). */
export function sameClockDaysLater(at: number, days: number, timeZone: string): number {
  const w = wallClock(at, timeZone);
  return instantOfWallClock(
    dateAfter(dateOf(at, timeZone), days),
    w.hour * 3600 + w.minute * 60 + w.second,
    timeZone,
  );
}

/**
 * Shifts copied `days` later on the contact center's clock (a week's roster put on the next): the same
 * agents, times, notes and breaks.
 */
export function copiedShifts(shifts: readonly Shift[], days: number, timeZone: string): ShiftInput[] {
  const later = (at: number) => sameClockDaysLater(at, days, timeZone);
  return shifts.map((s) => ({
    agentId: s.agentId,
    start: later(s.start),
    end: later(s.end),
    note: s.note ?? undefined,
    breaks: s.breaks.map((b) => ({ start: later(b.start), end: later(b.end), label: b.label })),
  }));
}

const STAFFED = new Set<string>(STAFFED_STATES);

/**
 * Whether an agent's seat keeps to their roster at `at`: the shift under way (of `shifts`, the agent's), what
 * it plans, and `kept`: staffed while to work, away (not ready, signed out) on a break. Undefined off shift:
 * nothing is planned, so nothing is missed.
 */
export function keepingTo(
  shifts: readonly Shift[],
  seatState: string,
  at: number,
): { shift: Shift; planned: NonNullable<ReturnType<typeof plannedAt>>; kept: boolean } | undefined {
  for (const shift of shifts) {
    const planned = plannedAt(shift, at);
    if (!planned) continue;
    const staffed = STAFFED.has(seatState);
    return { shift, planned, kept: planned.activity === 'working' ? staffed : !staffed };
  }
  return undefined;
}

/** The next instant after `at` at which one of these shifts starts, ends, or a break of it does. */
export function nextPlanChangeAt(shifts: readonly Shift[], at: number): number | undefined {
  let next: number | undefined;
  for (const s of shifts)
    for (const t of [s.start, s.end, ...s.breaks.flatMap((b) => [b.start, b.end])])
      if (t > at && (next === undefined || t < next)) next = t;
  return next;
}

/**
 * Shifts to add so a day's roster covers the agents to schedule: per interval (in order, back to back) the
 * agents short (`short`, whole agents), covered by shifts of `intervalsPerShift` intervals, each starting at the
 * earliest interval still short (as late as the day allows a whole shift: one near its end starts earlier). A
 * shift covering the earliest shortfall from there on covers the most of what follows, so no fewer shifts
 * can do. The shifts by start, each with how many agents.
 */
export function shiftsToCover(
  intervals: readonly { start: number; end: number; short: number }[],
  intervalsPerShift: number,
): { start: number; end: number; agents: number }[] {
  const n = intervals.length;
  const k = Math.max(1, Math.min(n, intervalsPerShift));
  const covered = intervals.map(() => 0);
  const starts = new Map<number, number>();
  intervals.forEach((interval, i) => {
    while ((covered[i] ?? 0) < interval.short) {
      const from = Math.min(i, n - k);
      for (let j = from; j < from + k; j++) covered[j] = (covered[j] ?? 0) + 1;
      starts.set(from, (starts.get(from) ?? 0) + 1);
    }
  });
  return [...starts]
    .sort(([a], [b]) => a - b)
    .map(([from, agents]) => ({
      start: intervals[from]?.start ?? 0,
      end: intervals[from + k - 1]?.end ?? 0,
      agents,
    }));
}
