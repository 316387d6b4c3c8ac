/**
 * A list as a spreadsheet file (CSV, RFC 4180): what a CRM exports or a supervisor saves from a spreadsheet
 * (a campaign's customers, numbers not to call). The first line names the columns, in any order and case,
 * each known by a few common names ("phone" for number, "notes" for note); comma, semicolon (a European
 * spreadsheet's) or tab between fields, as the first line has them; blank lines and a byte-order mark
 * passed over. Columns a list's own export adds (a campaign's state, agent...) can be passed over, so an
 * export reads back in.
 *
 * Nothing is guessed: a column that is none of the list's, two columns for one field, a line with more fields
 * than the first line names, a quote left open, a line without its required field or a field too long
 * refuses the whole file, each problem named by its line in the file (as a spreadsheet numbers it, the
 * column names being line 1).
 *
 * Pure: text in, rows out.
 */
import { canCallBack } from './callback.js';

export interface ListFileColumn {
  /** The names it is known by, compared as key() ("Phone Number" = "phonenumber"); the first is its own. */
  names: readonly string[];
  /** The longest a field may be, in characters. */
  max: number;
}

export interface ListFileSpec<C extends string> {
  /** What the file is, for a refusal: "a contact file". */
  what: string;
  /** What a line is: "customer" ("the file has 3 customers", "it reads as a customer"). */
  row: string;
  /** The column every line must fill (the number), then the others, in the order they are named. */
  required: C;
  columns: Record<C, ListFileColumn>;
  /** Other columns passed over (an export's own), as key() has them. */
  passOver?: ReadonlySet<string>;
  /** What to do with a column the list does not have: "(leave it out, or name it note ...)". */
  unknownHint: string;
  /** The most lines one file may have. */
  maxRows: number;
}

export interface ListFile<C extends string> {
  /** Each line's fields by column (trimmed; '' for none), in the file's order. */
  rows: Record<C, string>[];
  /** Each row's line in the file (where its record starts), to name it in a later refusal. */
  lines: number[];
}

/** The names a phone number's column goes by, in every list of numbers. */
export const NUMBER_COLUMN_NAMES = ['number', 'phone', 'phonenumber', 'telephone', 'tel', 'mobile'] as const;

/** Past this many problems the rest are counted, not listed: one wrong column can fault every line. */
const PROBLEMS_LISTED = 10;

/** A column's name as compared: case, spaces, dashes and underscores aside ("Phone Number" = "phone_number"). */
const key = (name: string): string => name.toLowerCase().replace(/[\s_-]+/g, '');

/** The rows of a list file in its order (blank lines passed over), or every problem with it by line. */
export function readListFile<C extends string>(
  text: string,
  spec: ListFileSpec<C>,
): ListFile<C> | { problems: string[] } {
  const columns = Object.keys(spec.columns) as C[];
  const others = columns.filter((c) => c !== spec.required);
  const named = `(${columns.join(', ')})`;
  const parsed = parseCsv(text.replace(/^\uFEFF/, ''));
  if ('problem' in parsed) return { problems: [parsed.problem] };
  const records = parsed.records.filter(hasText);
  const header = records.shift();
  if (!header) return { problems: [`the file has no lines: its first line names the columns ${named}`] };

  const problems: string[] = [];
  const at = new Map<C, number>();
  const columnOf = (name: string): C | undefined =>
    columns.find((c) => spec.columns[c].names.includes(key(name)));
  header.fields.forEach((raw, i) => {
    const name = raw.trim();
    const column = columnOf(name);
    if (column) {
      if (at.has(column))
        problems.push(`line ${header.line}: two columns are the ${spec.row}'s ${column} ("${name}")`);
      else at.set(column, i);
    } else if (name !== '' && !spec.passOver?.has(key(name))) {
      problems.push(
        `line ${header.line}: the column "${name}" is not one ${spec.what} has: ${spec.required} (required)${others.length > 0 ? `, ${others.slice(0, -1).join(', ')}${others.length > 1 ? ' and ' : ''}${others.at(-1)}` : ''} ${spec.unknownHint}`,
      );
    }
  });
  if (at.get(spec.required) === undefined) {
    // A file with no line of names: its first row is not a column each of its fields is wrong about.
    if (header.fields.some((f) => canCallBack(f))) {
      return {
        problems: [
          `line ${header.line}: the first line must name the columns ${named}; it reads as a ${spec.row}`,
        ],
      };
    }
    problems.unshift(
      `line ${header.line}: no ${spec.required} column: the first line names the columns ${named}`,
    );
    return { problems };
  }
  if (problems.length > 0) return { problems };

  if (records.length > spec.maxRows) {
    return {
      problems: [
        `the file has ${records.length} ${spec.row}s: at most ${spec.maxRows} a request (split it in parts)`,
      ],
    };
  }
  const rows: Record<C, string>[] = [];
  const lines: number[] = [];
  const places = columns.map((c) => [c, at.get(c)] as const);
  for (const record of records) {
    const where = `line ${record.line}`;
    if (record.fields.length > header.fields.length) {
      problems.push(
        `${where}: ${record.fields.length} fields where the first line names ${header.fields.length === 1 ? '1 column' : `${header.fields.length} columns`} (a separator in a field that is not quoted?)`,
      );
      continue;
    }
    const row = {} as Record<C, string>;
    for (const [column, i] of places) {
      const value = i === undefined ? '' : unguarded((record.fields[i] ?? '').trim());
      row[column] = value;
      if (column === spec.required && value === '') problems.push(`${where}: no ${column}`);
      else if (value.length > spec.columns[column].max)
        problems.push(`${where}: the ${column} is longer than ${spec.columns[column].max} characters`);
    }
    rows.push(row);
    lines.push(record.line);
  }
  if (problems.length > 0) return { problems: listed(problems) };
  if (rows.length === 0) return { problems: [`the file names its columns but has no ${spec.row}`] };
  return { rows, lines };
}

/**
 * A field as it was before an export kept it from running as a formula (report-bodies.ts writes "=x" as
 * "'=x"), so an export reads back as it was.
 */
const unguarded = (field: string): string => (/^'[=@+-]/.test(field) ? field.slice(1) : field);

/** The first problems, and how many more there are. */
export function listed(problems: readonly string[], max = PROBLEMS_LISTED): string[] {
  if (problems.length <= max) return [...problems];
  return [...problems.slice(0, max), `and ${problems.length - max} more`];
}

/** A record with something in it (a blank line, or one of separators only, is passed over). */
const hasText = (record: CsvRecord): boolean => record.fields.some((f) => f.trim() !== '');

interface CsvRecord {
  /** The line its first field starts on (a quoted field may run over several lines). */
  line: number;
  fields: string[];
}

/** The separator the first line uses: the commonest of comma, semicolon and tab outside quotes (comma if none). */
function separatorOf(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  for (const [sep, n] of counts) if (n > (counts.get(best) ?? 0)) best = sep;
  return best;
}

/**
 * RFC 4180 records: fields between separators, a quoted field may hold separators, line breaks and doubled
 * quotes; lines end in CRLF, LF or CR. A quote inside a field that is not quoted is kept as it is (as
 * spreadsheets read it). Fields are sliced from the text, not built a character at a time: a file of
 * 20,000 customers reads in a few milliseconds.
 */
function parseCsv(text: string): { records: CsvRecord[] } | { problem: string } {
  const sep = separatorOf(text);
  const records: CsvRecord[] = [];
  const end = text.length;
  let line = 1;
  let i = 0;
  const isBreak = (ch: string | undefined) => ch === '\n' || ch === '\r';
  /** Past a line break at `at` (CRLF counts once); the line count moves on. */
  const pastBreak = (at: number): number => {
    line += 1;
    return text[at] === '\r' && text[at + 1] === '\n' ? at + 2 : at + 1;
  };
  while (i < end) {
    const record: CsvRecord = { line, fields: [] };
    for (;;) {
      if (text[i] === '"') {
        const opened = line;
        let value = '';
        let from = i + 1;
        for (;;) {
          const quote = text.indexOf('"', from);
          if (quote < 0) return { problem: `line ${opened}: a quoted field is not closed` };
          value += text.slice(from, quote);
          for (let k = from; k < quote; k++) {
            if (text[k] === '\n' || (text[k] === '\r' && text[k + 1] !== '\n')) line += 1;
          }
          if (text[quote + 1] === '"') {
            value += '"';
            from = quote + 2;
            continue;
          }
          i = quote + 1;
          break;
        }
        if (i < end && text[i] !== sep && !isBreak(text[i])) {
          return {
            problem: `line ${line}: a quoted field is followed by more text before the next separator`,
          };
        }
        record.fields.push(value);
      } else {
        let j = i;
        while (j < end && text[j] !== sep && !isBreak(text[j])) j++;
        record.fields.push(text.slice(i, j));
        i = j;
      }
      if (i < end && text[i] === sep) {
        i += 1;
        if (i === end) record.fields.push('');
        else continue;
      }
      break;
    }
    records.push(record);
    if (i < end) i = pastBreak(i);
  }
  return { records };
}
