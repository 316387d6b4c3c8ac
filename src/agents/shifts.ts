/**
 * Agents' shifts: the roster a supervisor keeps of who works when. The staffing forecast sets the agents on
 * shift beside the agents needed per interval, and each shift's time staffed (free, on calls, wrapping up)
 * is read against it: adherence. Pure: shifts and times in, checks and figures out.
 */

export interface Shift {
  id: string;
  agentId: string;
  /** Epoch ms, the first instant of the shift and the one after it. */
  start: number;
  end: number;
  note: string | null;
  createdAt: number;
}

export interface ShiftInput {
  agentId: string;
  start: number;
  end: number;
  note?: string | undefined;
}

/** A shift of at most this long (a double shift, not a week). */
export const MAX_SHIFT_HOURS = 16;
/** Shifts go on the roster up to a year ahead, and up to a week back (a shift worked but not put on). */
export const SHIFT_AHEAD_MS = 366 * 24 * 3_600_000;
export const SHIFT_BACK_MS = 7 * 24 * 3_600_000;
/** The most shifts one roster request adds (a month of a large team's). */
export const SHIFTS_PER_REQUEST = 2000;

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

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && b.start < a.end;

/** Seconds of [from, to) that a shift covers. */
export const secondsOnShift = (shift: { start: number; end: number }, from: number, to: number): number =>
  Math.max(0, Math.min(shift.end, to) - Math.max(shift.start, from)) / 1000;

/**
 * Per interval, how many agents are on shift on average (an agent whose shift ends half-way counts a half),
 * one decimal; only the shifts of `agentIds` (a queue's members) count.
 */
export function agentsOnShift(
  shifts: readonly Shift[],
  agentIds: ReadonlySet<string>,
  intervals: readonly { start: number; end: number }[],
): number[] {
  const counted = shifts.filter((s) => agentIds.has(s.agentId));
  return intervals.map(({ start, end }) => {
    const seconds = counted.reduce((sum, s) => sum + secondsOnShift(s, start, end), 0);
    return Math.round((seconds / ((end - start) / 1000)) * 10) / 10;
  });
}

/**
 * How a shift went so far: its seconds gone by (to `now`, at most its end) and the agent's seconds staffed
 * in them; adherence is the share, % one decimal (null before it starts).
 */
export function adherence(
  shift: { start: number; end: number },
  staffedSeconds: number,
  now: number,
): { elapsedSeconds: number; staffedSeconds: number; percent: number | null } {
  const elapsedSeconds = secondsOnShift(shift, shift.start, Math.min(now, shift.end));
  return {
    elapsedSeconds,
    staffedSeconds,
    percent: elapsedSeconds > 0 ? Math.round((staffedSeconds / elapsedSeconds) * 1000) / 10 : null,
  };
}
