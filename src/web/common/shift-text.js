// Shifts in words, as the wallboard's Shifts section and the agent's softphone show them (pure; unit-tested
// in test/unit/web/).
import { DAYS, dayAfter, localDay, MONTHS } from './calendar.js';

/** Seconds as "7h 30m" / "45m" (whole minutes). */
export function hoursText(seconds) {
  const minutes = Math.floor(Math.max(0, seconds) / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${h}h${m > 0 ? ` ${m}m` : ''}` : `${m}m`;
}

/**
 * How a shift went so far: "5h 24m of 6h (90 %)" (staffed of the time gone by); with a break gone by, "5h of
 * 5h 30m at work; 30m of breaks kept (100 %)", or "…; 30m of breaks, staffed 10m of them (…)"; "not begun"
 * before it starts; "–" when nothing of it has gone by yet. The % is the service's adherence.
 * @param {{ elapsedSeconds: number, staffedSeconds: number, breakSeconds?: number,
 *   staffedOnBreakSeconds?: number, percent: number | null } | undefined} adherence
 */
export function adherenceText(adherence) {
  if (!adherence) return 'not begun';
  if (adherence.percent === null) return '–';
  const breaks = adherence.breakSeconds ?? 0;
  if (breaks <= 0)
    return `${hoursText(adherence.staffedSeconds)} of ${hoursText(adherence.elapsedSeconds)} (${adherence.percent} %)`;
  const staffedOnBreak = adherence.staffedOnBreakSeconds ?? 0;
  const atWork = `${hoursText(adherence.staffedSeconds)} of ${hoursText(adherence.elapsedSeconds - breaks)} at work`;
  const onBreaks =
    staffedOnBreak > 0
      ? `${hoursText(breaks)} of breaks, staffed ${hoursText(staffedOnBreak)} of them`
      : `${hoursText(breaks)} of breaks kept`;
  return `${atWork}; ${onBreaks} (${adherence.percent} %)`;
}

/**
 * An agent's adherence over days as the wallboard's table cells: shifts, to work, staffed, breaks ("1h,
 * staffed 20m" or "1h kept"), adherence and conformance ("–" for none).
 * @param {{ shifts: number, workSeconds: number, staffedSeconds: number, breakSeconds: number,
 *   staffedOnBreakSeconds: number, percent: number | null, conformancePercent: number | null }} a
 */
export function adherenceCells(a) {
  const pct = (p) => (p === null ? '–' : `${p} %`);
  const breaks =
    a.breakSeconds <= 0
      ? '–'
      : a.staffedOnBreakSeconds > 0
        ? `${hoursText(a.breakSeconds)}, staffed ${hoursText(a.staffedOnBreakSeconds)}`
        : `${hoursText(a.breakSeconds)} kept`;
  return [
    String(a.shifts),
    hoursText(a.workSeconds),
    hoursText(a.staffedSeconds),
    breaks,
    pct(a.percent),
    pct(a.conformancePercent),
  ];
}

/**
 * Shifts as a schedule, a line each with its day: "Mon 7 Dec 09:00–17:00 (early) · breaks 12:00–12:30 Lunch,
 * 15:00–15:15" (a night shift's end with its own day).
 * @param {{ start: string, end: string, note: string | null, breaks?: { start: string, end: string, label: string | null }[] }[]} shifts
 */
export function scheduleLines(shifts) {
  return shifts.map((s) => {
    const d = new Date(s.start);
    const day = localDay(d);
    const breaks = breaksText(s.breaks ?? [], day);
    return `${DAYS[d.getDay()]} ${d.getDate()} ${MONTHS[d.getMonth()]} ${shiftTime(s.start, day)}–${shiftTime(s.end, day)}${
      s.note ? ` (${s.note})` : ''
    }${breaks ? ` · break${(s.breaks ?? []).length > 1 ? 's' : ''} ${breaks}` : ''}`;
  });
}

/**
 * A week of the roster as a grid (the wallboard's Week): the 7 days from `firstDay` ("Mon 7 Dec"), a row per
 * agent given (in that order, those without a shift too: the gaps show) with a cell a day holding the shifts
 * starting then ("09:00–17:00", a night shift's end by its own clock: "22:00–06:00") and the hours to work in
 * the week (breaks left out); and per day how many agents are on the roster.
 * @param {{ agentId: string, start: string, end: string, breaks?: { start: string, end: string }[] }[]} shifts
 * @param {string} firstDay YYYY-MM-DD
 * @param {{ id: string, name: string }[]} agents
 */
export function weekGrid(shifts, firstDay, agents) {
  const dates = Array.from({ length: 7 }, (_, i) => dayAfter(firstDay, i));
  const days = dates.map((date) => new Date(`${date}T00:00`));
  const seconds = (from, to) => (Date.parse(to) - Date.parse(from)) / 1000;
  const rows = agents.map((agent) => {
    const own = shifts.filter((s) => s.agentId === agent.id && dates.includes(localDay(new Date(s.start))));
    const cells = dates.map((date) =>
      own
        .filter((s) => localDay(new Date(s.start)) === date)
        .map((s) => `${clockOf(s.start)}–${clockOf(s.end)}`)
        .join(', '),
    );
    const toWork = own.reduce(
      (sum, s) =>
        sum + seconds(s.start, s.end) - (s.breaks ?? []).reduce((b, br) => b + seconds(br.start, br.end), 0),
      0,
    );
    return { agentId: agent.id, name: agent.name, cells, hours: toWork > 0 ? hoursText(toWork) : '' };
  });
  return {
    days: days.map((d) => `${DAYS[d.getDay()]} ${d.getDate()} ${MONTHS[d.getMonth()]}`),
    rows,
    onRoster: dates.map((_, i) => rows.filter((r) => r.cells[i] !== '').length),
  };
}

/**
 * Real-time adherence's exceptions in a line: "Off their roster 5m or more: Boris Brown (to work: Logged out
 * since 09:02); Anna Allen (on a break, Lunch: Ready since 12:00)"; "" for none.
 * @param {{ agentId: string, activity: 'working' | 'break', label: string | null, agentState: string,
 *   since: string }[]} items
 * @param {number} graceSeconds
 * @param {(agentId: string) => string} nameOf
 * @param {(state: string) => string} stateLabel
 */
export function exceptionsText(items, graceSeconds, nameOf, stateLabel) {
  if (items.length === 0) return '';
  const each = items.map(
    (e) =>
      `${nameOf(e.agentId)} (${e.activity === 'working' ? 'to work' : `on a break${e.label ? `, ${e.label}` : ''}`}: ${stateLabel(e.agentState)} since ${clockOf(e.since)})`,
  );
  const grace = graceSeconds < 60 ? `${graceSeconds} s` : hoursText(graceSeconds);
  return `Off their roster ${grace} or more: ${each.join('; ')}`;
}

/**
 * An agent's own exception, on their softphone: "Off your roster since 09:02: it has you at work, and your
 * seat is Not ready." or "Off your roster since 12:02: your break (Lunch) has begun, and your seat is Ready.".
 * @param {{ activity: 'working' | 'break', label: string | null, agentState: string, since: string }} e
 * @param {(state: string) => string} stateLabel
 */
export function offRosterText(e, stateLabel) {
  const plan =
    e.activity === 'working' ? 'it has you at work' : `your break${e.label ? ` (${e.label})` : ''} has begun`;
  return `Off your roster since ${clockOf(e.since)}: ${plan}, and your seat is ${stateLabel(e.agentState)}.`;
}

/**
 * A shift's breaks: "12:00–12:30 Lunch, 15:00–15:15"; "" for none.
 * @param {{ start: string, end: string, label: string | null }[]} breaks
 * @param {string} day YYYY-MM-DD the times are read on
 */
export function breaksText(breaks, day) {
  return breaks
    .map((b) => `${shiftTime(b.start, day)}–${shiftTime(b.end, day)}${b.label ? ` ${b.label}` : ''}`)
    .join(', ');
}

/** A break as the form takes it, "12:00-12:30", a label after it if any; and a clock time in it. */
const BREAK = /^(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})(?:\s+(.+))?$/;
const CLOCK = /^([01]?\d|2[0-3]):[0-5]\d$/;

/**
 * The form's breaks ("12:00-12:30 Lunch; 15:00-15:15", as a roster file writes them) as instants on the
 * shift's days: one before the shift's start on the clock is the next day's (a night shift's); blank is
 * none. Or what is wrong with a part.
 * @param {string} text
 * @param {string} day YYYY-MM-DD, the shift's first day
 * @param {{ start: string }} shift its span (shiftSpan)
 * @returns {{ breaks: { start: string, end: string, label?: string }[] } | { problem: string }}
 */
export function readBreaks(text, day, shift) {
  const breaks = [];
  for (const part of text.split(/[;,|]/).map((p) => p.trim())) {
    if (part === '') continue;
    const m = BREAK.exec(part);
    if (!m || !CLOCK.test(m[1]) || !CLOCK.test(m[2]))
      return { problem: `"${part}" is not a break written 12:00-12:30 (a label after it if any)` };
    const [from, to] = [m[1].padStart(5, '0'), m[2].padStart(5, '0')];
    let span = shiftSpan(day, from, to);
    if (Date.parse(span.start) < Date.parse(shift.start)) span = shiftSpan(dayAfter(day, 1), from, to);
    breaks.push({ ...span, ...(m[3] ? { label: m[3].trim() } : {}) });
  }
  return { breaks };
}

/**
 * A shift's breaks as the form writes them back, "12:00-12:30 Lunch; 15:00-15:15" (to edit them).
 * @param {{ start: string, end: string, label: string | null }[]} breaks
 */
export function breaksInput(breaks) {
  return breaks.map((b) => `${clockOf(b.start)}-${clockOf(b.end)}${b.label ? ` ${b.label}` : ''}`).join('; ');
}

/**
 * What a shift plans at `at` (ms), as the service's `now` has it: working until its next break or its end,
 * or on a break until it ends; undefined outside the shift.
 * @param {{ start: string, end: string, breaks: { start: string, end: string, label: string | null }[] }} shift
 * @param {number} at
 * @returns {{ activity: 'working', until: string } | { activity: 'break', until: string, label: string | null } | undefined}
 */
export function plannedNow(shift, at) {
  if (at < Date.parse(shift.start) || at >= Date.parse(shift.end)) return undefined;
  const onBreak = shift.breaks.find((b) => Date.parse(b.start) <= at && at < Date.parse(b.end));
  if (onBreak) return { activity: 'break', until: onBreak.end, label: onBreak.label };
  const next = shift.breaks.find((b) => Date.parse(b.start) > at);
  return { activity: 'working', until: next?.start ?? shift.end };
}

/** The seat states that count as staffed (free, offered, on a call or hold, wrapping up), as the service's. */
const STAFFED = new Set(['available', 'offered', 'talking', 'on_hold', 'wrap_up']);

/**
 * A shift under way in words, and whether the agent's seat keeps to it: "Working until 12:00" kept while
 * staffed, "On break (Lunch) until 12:30" kept while away. Undefined outside the shift.
 * @param {{ start: string, end: string, breaks: { start: string, end: string, label: string | null }[] }} shift
 * @param {string} seatState the agent's seat now ('available', 'not_ready', 'logged_out'…)
 * @param {number} at
 * @param {string} day
 */
export function shiftNow(shift, seatState, at, day) {
  const planned = plannedNow(shift, at);
  if (!planned) return undefined;
  const staffed = STAFFED.has(seatState);
  if (planned.activity === 'working')
    return { text: `Working until ${shiftTime(planned.until, day)}`, kept: staffed };
  return {
    text: `On break${planned.label ? ` (${planned.label})` : ''} until ${shiftTime(planned.until, day)}`,
    kept: !staffed,
  };
}

/**
 * The next instant after `at` at which what some of these shifts plan changes (a start, a break's start or
 * end, an end), or undefined: when the wallboard's "Now" is to be written again.
 * @param {{ start: string, end: string, breaks: { start: string, end: string }[] }[]} shifts
 * @param {number} at
 */
export function nextPlanChange(shifts, at) {
  const times = shifts
    .flatMap((s) => [s.start, s.end, ...s.breaks.flatMap((b) => [b.start, b.end])])
    .map((iso) => Date.parse(iso))
    .filter((t) => t > at);
  return times.length > 0 ? Math.min(...times) : undefined;
}

/**
 * A shift's instants from the form's day and clock times on this browser's calendar (the contact center's):
 * an end at or before its start is the next day's (a night shift).
 * @param {string} day YYYY-MM-DD
 * @param {string} from HH:MM
 * @param {string} to HH:MM
 */
export function shiftSpan(day, from, to) {
  const start = new Date(`${day}T${from}`);
  const end = new Date(`${day}T${to}`);
  if (end <= start) end.setDate(end.getDate() + 1);
  return { start: start.toISOString(), end: end.toISOString() };
}

/** An instant as this browser's clock time, "09:00". */
export function clockOf(iso) {
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** An instant as this browser's clock time, "09:00", with the day when it is not `day` ("Tue 8 Dec 02:00"). */
export function shiftTime(iso, day) {
  const d = new Date(iso);
  const time = clockOf(iso);
  if (localDay(d) === day) return time;
  return `${DAYS[d.getDay()]} ${d.getDate()} ${MONTHS[d.getMonth()]} ${time}`;
}

/**
 * One exception of real-time adherence's history as the wallboard's table cells: what was planned, when the
 * seat went off it and came back (its day when another), how long, and the seat: ["To work", "Sun 6 Dec
 * 09:10", "09:30", "20m", "Logged out → Ready"]; a standing one "still off it", its time so far.
 * @param {{ activity: 'working' | 'break', label: string | null, since: string, endedAt: string | null,
 *   seconds: number, agentState: string, endedState: string | null }} e
 * @param {(state: string) => string} stateLabel
 */
export function exceptionCells(e, stateLabel) {
  const day = localDay(new Date(e.since));
  const planned = e.activity === 'working' ? 'To work' : `Break${e.label ? ` (${e.label})` : ''}`;
  // The seat while off it, and then when it kept to the roster again (when that was another).
  const seat =
    e.endedState && e.endedState !== e.agentState
      ? `${stateLabel(e.agentState)} → ${stateLabel(e.endedState)}`
      : stateLabel(e.agentState);
  return [
    planned,
    shiftTime(e.since, ''),
    e.endedAt ? shiftTime(e.endedAt, day) : 'still off it',
    hoursText(e.seconds),
    seat,
  ];
}
