/**
 * A roster as a spreadsheet file (see list-file.ts): what a planner keeps, a line per shift. Columns `agent`
 * (required: the agent's id or name), `date` (YYYY-MM-DD), `from` and `to` (the contact center's clock,
 * 09:00; a `to` at or before `from` ends the next day: a night shift), `breaks` ("12:00-12:30 Lunch;
 * 15:00-15:15": each a span on the same clock, a label after it if any; one before the shift's `from` is the
 * next day's, as a night shift's) and `note`.
 *
 * Pure: text and the time zone in, shifts out (the plugin checks agents and the roster's rules).
 */
import { type ListFileSpec, listed, readListFile } from '../acd/list-file.js';
import { dateOf, instantOfWallClock, wallClock } from '../acd/site-day.js';
import { type Shift, SHIFTS_PER_REQUEST } from './shifts.js';

/** A shift as a roster file gives it; `agent` is an id or a name, as the file has it. */
export interface RosterLine {
  agent: string;
  start: number;
  end: number;
  note?: string;
  breaks?: { start: number; end: number; label?: string }[];
}

export const ROSTER_FILE_BYTES = 512 * 1024;

type Column = 'agent' | 'date' | 'from' | 'to' | 'breaks' | 'note';

const ROSTER_FILE: ListFileSpec<Column> = {
  what: 'a roster file',
  row: 'shift',
  required: 'agent',
  columns: {
    agent: { names: ['agent', 'agentid', 'name', 'employee', 'who'], max: 100 },
    date: { names: ['date', 'day'], max: 10 },
    from: { names: ['from', 'start', 'starts', 'begin', 'in'], max: 8 },
    to: { names: ['to', 'end', 'ends', 'until', 'out'], max: 8 },
    breaks: { names: ['breaks', 'break', 'pauses', 'pause'], max: 300 },
    note: { names: ['note', 'notes', 'comment', 'activity'], max: 200 },
  },
  unknownHint: '(leave it out, or name it note to keep it with the shift)',
  maxRows: SHIFTS_PER_REQUEST,
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
/** A break as a file writes it: "12:00-12:30", a label after it if any ("12:00 - 12:30 Lunch"). */
const BREAK = /^(\d{1,2}:\d{2}(?::\d{2})?)\s*[-–]\s*(\d{1,2}:\d{2}(?::\d{2})?)(?:\s+(.+))?$/;

/** Seconds into the day of a clock time "9:00" / "09:00:30", or undefined when it is none. */
function secondOfDay(clock: string): number | undefined {
  const m = CLOCK.exec(clock);
  if (!m) return undefined;
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (h > 23 || min > 59 || s > 59) return undefined;
  return h * 3600 + min * 60 + s;
}

const validDate = (date: string): boolean => {
  const m = DATE.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
};

/**
 * A `breaks` cell's breaks, clock seconds of the day (a `to` before its `from` runs past midnight), or what is
 * wrong with it. Breaks part at ";", "," or "|" (whichever the file's own separator leaves free).
 */
function breaksIn(cell: string): { from: number; to: number; label?: string }[] | string {
  const parts = cell
    .split(/[;,|]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const breaks: { from: number; to: number; label?: string }[] = [];
  for (const part of parts) {
    const m = BREAK.exec(part);
    const from = m ? secondOfDay(m[1] as string) : undefined;
    const to = m ? secondOfDay(m[2] as string) : undefined;
    if (from === undefined || to === undefined)
      return `"${part}" is not a break written 12:00-12:30 (a label after it if any)`;
    breaks.push({ from, to, ...(m?.[3] ? { label: m[3].trim() } : {}) });
  }
  return breaks;
}

/**
 * The shifts of a roster file in its order, each with its line, or every problem with the file by line.
 * Dates and times are the wall clock of `timeZone`.
 */
export function readRosterFile(
  text: string,
  timeZone: string,
): { shifts: RosterLine[]; lines: number[] } | { problems: string[] } {
  const file = readListFile(text, ROSTER_FILE);
  if ('problems' in file) return file;
  const problems: string[] = [];
  const shifts = file.rows.flatMap((row, i): RosterLine[] => {
    const where = `line ${file.lines[i]}`;
    const from = secondOfDay(row.from);
    const to = secondOfDay(row.to);
    const wrong: string[] = [];
    if (!validDate(row.date)) wrong.push(`date: "${row.date}" is not a date written 2026-12-07`);
    if (from === undefined) wrong.push(`from: "${row.from}" is not a time of day written 09:00`);
    if (to === undefined) wrong.push(`to: "${row.to}" is not a time of day written 17:30`);
    const breaks = breaksIn(row.breaks);
    if (typeof breaks === 'string') wrong.push(`breaks: ${breaks}`);
    if (wrong.length > 0 || from === undefined || to === undefined || typeof breaks === 'string') {
      problems.push(...wrong.map((w) => `${where}: ${w}`));
      return [];
    }
    // A night shift: what is at or before its start on the clock is on the next day's.
    const onClock = (second: number, after: number) =>
      instantOfWallClock(row.date, second < after ? second + 86_400 : second, timeZone);
    const start = instantOfWallClock(row.date, from, timeZone);
    const end = onClock(to === from ? to + 86_400 : to, from);
    return [
      {
        agent: row.agent,
        start,
        end,
        ...(row.note ? { note: row.note } : {}),
        ...(breaks.length > 0
          ? {
              breaks: breaks.map((b) => ({
                start: onClock(b.from, from),
                end: onClock(b.to <= b.from ? b.to + 86_400 : b.to, from),
                ...(b.label ? { label: b.label } : {}),
              })),
            }
          : {}),
      },
    ];
  });
  if (problems.length > 0) return { problems: listed(problems) };
  return { shifts, lines: file.lines };
}

/** A line of a roster file as written out: the columns the file is read with. */
export interface RosterFileLine {
  agent: string;
  date: string;
  from: string;
  to: string;
  breaks: string;
  note: string;
}

/**
 * Shifts as a roster file's lines (the export a planner edits in a spreadsheet and puts back): the agent by
 * id, the day it starts, its times and breaks on the contact center's clock ("09:00", seconds only when it has
 * some), read back by readRosterFile as the same shifts.
 */
export function rosterFileLines(shifts: readonly Shift[], timeZone: string): RosterFileLine[] {
  const clock = (at: number) => {
    const w = wallClock(at, timeZone);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${pad(w.hour)}:${pad(w.minute)}${w.second > 0 ? `:${pad(w.second)}` : ''}`;
  };
  return shifts.map((s) => ({
    agent: s.agentId,
    date: dateOf(s.start, timeZone),
    from: clock(s.start),
    to: clock(s.end),
    // A label's own ";", "," or "|" would part the break when read back: written as spaces.
    breaks: s.breaks
      .map(
        (b) =>
          `${clock(b.start)}-${clock(b.end)}${b.label ? ` ${b.label.replace(/\s*[;,|]\s*/g, ' ')}` : ''}`,
      )
      .join('; '),
    note: s.note ?? '',
  }));
}
