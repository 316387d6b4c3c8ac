/**
 * A roster as a spreadsheet file (see list-file.ts): what a planner keeps, a line per shift. Columns `agent`
 * (required: the agent's id or name), `date` (YYYY-MM-DD), `from` and `to` (the contact center's clock,
 * 09:00; a `to` at or before `from` ends the next day: a night shift) and `note`.
 *
 * Pure: text and the time zone in, shifts out (the plugin checks agents and the roster's rules).
 */
import { type ListFileSpec, listed, readListFile } from '../acd/list-file.js';
import { instantOfWallClock } from '../acd/site-day.js';
import { SHIFTS_PER_REQUEST } from './shifts.js';

/** A shift as a roster file gives it; `agent` is an id or a name, as the file has it. */
export interface RosterLine {
  agent: string;
  start: number;
  end: number;
  note?: string;
}

export const ROSTER_FILE_BYTES = 512 * 1024;

type Column = 'agent' | 'date' | 'from' | 'to' | 'note';

const ROSTER_FILE: ListFileSpec<Column> = {
  what: 'a roster file',
  row: 'shift',
  required: 'agent',
  columns: {
    agent: { names: ['agent', 'agentid', 'name', 'employee', 'who'], max: 100 },
    date: { names: ['date', 'day'], max: 10 },
    from: { names: ['from', 'start', 'starts', 'begin', 'in'], max: 8 },
    to: { names: ['to', 'end', 'ends', 'until', 'out'], max: 8 },
    note: { names: ['note', 'notes', 'comment', 'activity'], max: 200 },
  },
  unknownHint: '(leave it out, or name it note to keep it with the shift)',
  maxRows: SHIFTS_PER_REQUEST,
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

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
    if (wrong.length > 0 || from === undefined || to === undefined) {
      problems.push(...wrong.map((w) => `${where}: ${w}`));
      return [];
    }
    const start = instantOfWallClock(row.date, from, timeZone);
    // A night shift: its end is on the next day's clock.
    const end = instantOfWallClock(row.date, to <= from ? to + 86_400 : to, timeZone);
    return [{ agent: row.agent, start, end, ...(row.note ? { note: row.note } : {}) }];
  });
  if (problems.length > 0) return { problems: listed(problems) };
  return { shifts, lines: file.lines };
}
