/**
 * A callback list as a spreadsheet file (see list-file.ts): a CRM's "call these customers back", a web
 * form's export. Columns `number` (required; or phone, telephone, mobile...), `name`, `at` (or when, call
 * at...), `agent` (kept for them), `reserve minutes` and `note` (what it is about).
 *
 * A time is read as the spreadsheet shows it: `2026-12-07 10:00` (or `2026-12-07T10:00`, with seconds or
 * without) is the contact center's wall clock, in its time zone, whatever zone the file was saved in; a time
 * with its offset (`2026-12-07T10:00:00+01:00`, `…Z`) is that instant; a date alone is that day, called as
 * soon as the callback hours allow (today's: at once). Day-first or month-first dates (07/12/2026) are refused, not guessed.
 *
 * Pure: text and the time zone in, requests out (the plugin checks numbers, members and times as for a
 * typed list).
 */
import { type ListFileSpec, NUMBER_COLUMN_NAMES, listed, readListFile } from './list-file.js';
import { dateOf, instantOfWallClock } from './site-day.js';

/** One callback asked for, as POST /api/callbacks takes it (`at` an ISO instant). */
export interface CallbackListItem {
  number: string;
  name?: string;
  at?: string;
  agentId?: string;
  reserveMinutes?: number;
  note?: string;
}

/** The most callbacks one list books, typed or a file. */
export const CALLBACKS_PER_REQUEST = 500;
/** A file of 500 callbacks with long notes; JSON escapes may double it in a request. */
export const CALLBACK_FILE_BYTES = 512 * 1024;

type Column = 'number' | 'name' | 'at' | 'agent' | 'reserveMinutes' | 'note';

const CALLBACK_FILE: ListFileSpec<Column> = {
  what: 'a callback file',
  row: 'callback',
  required: 'number',
  columns: {
    number: { names: NUMBER_COLUMN_NAMES, max: 32 },
    name: { names: ['name', 'customer', 'customername', 'fullname'], max: 100 },
    at: {
      names: ['at', 'when', 'callat', 'callbackat', 'callback', 'time', 'datetime', 'due', 'notbefore'],
      max: 40,
    },
    agent: { names: ['agent', 'agentid', 'keptfor', 'owner'], max: 64 },
    reserveMinutes: { names: ['reserveminutes', 'keptminutes', 'reserve'], max: 6 },
    note: { names: ['note', 'notes', 'whatabout', 'about', 'comment', 'comments'], max: 500 },
  },
  unknownHint: '(leave it out, or name it note to show it to the agent)',
  maxRows: CALLBACKS_PER_REQUEST,
};

const WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})$/i;
const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** A real date and time of day, or why not. */
function checkedClock(parts: readonly (string | undefined)[]): string | undefined {
  const [year, month, day, hour = 0, minute = 0, second = 0] = parts.map((p) => Number(p ?? 0));
  if (!year || !month || month > 12 || !day || day > daysIn(year, month)) return 'no such date';
  if (hour > 23 || minute > 59 || second > 59) return 'no such time of day';
  return undefined;
}

/** The instant a file's time stands for (ms), or why it is not one. */
export function readCallbackTime(field: string, timeZone: string): number | { problem: string } {
  const explain = `write it as 2026-12-07 10:00 (the contact center's time, ${timeZone}) or with its offset, 2026-12-07T10:00:00+01:00`;
  const offset = WITH_OFFSET.exec(field);
  const wall = offset ? undefined : WALL_CLOCK.exec(field);
  const parts = offset ?? wall;
  if (!parts) return { problem: `"${field}" is not a time: ${explain}` };
  const wrong = checkedClock(parts.slice(1, 7));
  if (wrong) return { problem: `"${field}" is ${wrong}: ${explain}` };
  const [, year, month, day, hour = '0', minute = '0', second = '0'] = parts;
  if (offset) {
    const zone = offset[7]!.toUpperCase();
    const iso = `${year}-${month}-${day}T${hour}:${minute}:${second.padStart(2, '0')}${zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`}`;
    return Date.parse(iso);
  }
  return instantOfWallClock(
    `${year}-${month}-${day}`,
    Number(hour) * 3600 + Number(minute) * 60 + Number(second),
    timeZone,
  );
}

export interface CallbackFile {
  items: CallbackListItem[];
  /** Each item's line in the file (where its record starts), to name it in a later refusal. */
  lines: number[];
}

/**
 * The callbacks of a file in its order (blank lines passed over), or every problem with it by line. Times
 * without an offset are the wall clock of `timeZone`; today's date alone is due at once (`now`).
 */
export function readCallbackFile(
  text: string,
  timeZone: string,
  now: number,
): CallbackFile | { problems: string[] } {
  const file = readListFile(text, CALLBACK_FILE);
  if ('problems' in file) return file;
  const problems: string[] = [];
  const items = file.rows.map((row, i) => {
    const where = `line ${file.lines[i]}`;
    const item: CallbackListItem = { number: row.number };
    if (row.name) item.name = row.name;
    if (row.note) item.note = row.note;
    if (row.agent) item.agentId = row.agent;
    if (row.at) {
      const at = readCallbackTime(row.at, timeZone);
      if (typeof at !== 'number') problems.push(`${where}: at: ${at.problem}`);
      // Today's date alone is due at once (its midnight has gone by; the callback hours still decide).
      else if (row.at !== dateOf(now, timeZone)) item.at = new Date(at).toISOString();
    }
    if (row.reserveMinutes) {
      const minutes = Number(row.reserveMinutes);
      if (Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440) item.reserveMinutes = minutes;
      else
        problems.push(`${where}: reserve minutes: "${row.reserveMinutes}" is not a whole number 1 to 1440`);
    }
    return item;
  });
  if (problems.length > 0) return { problems: listed(problems) };
  return { items, lines: file.lines };
}
