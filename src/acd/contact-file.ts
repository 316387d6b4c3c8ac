/**
 * A campaign's customers as a spreadsheet file (CSV, RFC 4180): what a CRM exports or a supervisor saves
 * from a spreadsheet. The first line names the columns: `number` (required), `name`, `note`, in any order
 * and case, with a few common other names ("phone", "customer", "notes"...); comma, semicolon (a European
 * spreadsheet's) or tab between fields, as the first line has them. A campaign's own export reads back in
 * (its other columns, state and so on, are not the customer's and are passed over), so the customers not
 * reached by one campaign can start the next.
 *
 * Nothing is guessed: a column the file names that is none of these, a line with more fields than the first
 * line names, a quote left open or a customer with no number refuses the whole file, each problem named by
 * its line in the file (as a spreadsheet numbers it, the column names being line 1).
 *
 * Pure: text in, contacts out (checkContacts then checks their numbers as a typed list's).
 */
import { withoutSeparators } from './callback.js';
import { CONTACT_LIMITS, CONTACTS_PER_REQUEST, type ContactInput } from './campaigns.js';

/** The columns a contact file may have, each with the other names it is known by (compared as key()). */
const COLUMNS = {
  number: ['number', 'phone', 'phonenumber', 'telephone', 'tel', 'mobile'],
  name: ['name', 'customer', 'customername', 'fullname'],
  note: ['note', 'notes', 'whatabout', 'about', 'comment', 'comments'],
} as const;
type Column = keyof typeof COLUMNS;

/** A campaign export's columns that are not the customer's own: passed over, so an export reads back in. */
const EXPORT_ONLY = new Set([
  'seq',
  'state',
  'reason',
  'interactionid',
  'bookedat',
  'closedat',
  'conversationid',
  'agentid',
  'wrapupcode',
]);

/** Past this many problems the rest are counted, not listed: one wrong column can fault every line. */
const PROBLEMS_LISTED = 10;

/** A column's name as compared: case, spaces, dashes and underscores aside ("Phone Number" = "phone_number"). */
const key = (name: string): string => name.toLowerCase().replace(/[\s_-]+/g, '');

const columnOf = (name: string): Column | undefined =>
  (Object.keys(COLUMNS) as Column[]).find((c) => (COLUMNS[c] as readonly string[]).includes(key(name)));

export interface ContactFile {
  contacts: ContactInput[];
  /** Each contact's line in the file (where its record starts), to name it in a later refusal. */
  lines: number[];
}

/**
 * The customers of a contact file in its order (blank lines passed over), or every problem with the file by
 * line. `maxContacts` defaults to what one request may add.
 */
export function readContactFile(
  text: string,
  maxContacts: number = CONTACTS_PER_REQUEST,
): ContactFile | { problems: string[] } {
  const parsed = parseCsv(text.replace(/^\uFEFF/, ''));
  if ('problem' in parsed) return { problems: [parsed.problem] };
  const records = parsed.records.filter(hasText);
  const header = records.shift();
  if (!header)
    return { problems: ['the file has no lines: its first line names the columns (number, name, note)'] };

  const problems: string[] = [];
  const at = new Map<Column, number>();
  header.fields.forEach((raw, i) => {
    const name = raw.trim();
    const column = columnOf(name);
    if (column) {
      if (at.has(column))
        problems.push(`line ${header.line}: two columns are the customer's ${column} ("${name}")`);
      else at.set(column, i);
    } else if (name !== '' && !EXPORT_ONLY.has(key(name))) {
      problems.push(
        `line ${header.line}: the column "${name}" is not one a contact file has: number (required), name and note (leave it out, or name it note to show it to the agent)`,
      );
    }
  });
  const numberAt = at.get('number');
  if (numberAt === undefined) {
    // A file with no line of names: its first customer is not a column each of its fields is wrong about.
    if (header.fields.some((f) => /^\+?\d{3,}$/.test(withoutSeparators(f)))) {
      return {
        problems: [
          `line ${header.line}: the first line must name the columns (number, name, note); it reads as a customer`,
        ],
      };
    }
    problems.unshift(
      `line ${header.line}: no number column: the first line names the columns (number, name, note)`,
    );
    return { problems };
  }
  if (problems.length > 0) return { problems };

  if (records.length > maxContacts) {
    return {
      problems: [
        `the file has ${records.length} customers: at most ${maxContacts} a request (split it in parts)`,
      ],
    };
  }
  const contacts: ContactInput[] = [];
  const lines: number[] = [];
  const nameAt = at.get('name');
  const noteAt = at.get('note');
  const field = (fields: readonly string[], i: number | undefined): string =>
    i === undefined ? '' : unguarded((fields[i] ?? '').trim());
  for (const record of records) {
    const where = `line ${record.line}`;
    if (record.fields.length > header.fields.length) {
      problems.push(
        `${where}: ${record.fields.length} fields where the first line names ${header.fields.length === 1 ? '1 column' : `${header.fields.length} columns`} (a separator in a field that is not quoted?)`,
      );
      continue;
    }
    const number = field(record.fields, numberAt);
    const name = field(record.fields, nameAt);
    const note = field(record.fields, noteAt);
    if (number === '') problems.push(`${where}: no number`);
    else if (number.length > CONTACT_LIMITS.number)
      problems.push(`${where}: the number is longer than ${CONTACT_LIMITS.number} characters`);
    if (name.length > CONTACT_LIMITS.name)
      problems.push(`${where}: the name is longer than ${CONTACT_LIMITS.name} characters`);
    if (note.length > CONTACT_LIMITS.note)
      problems.push(`${where}: the note is longer than ${CONTACT_LIMITS.note} characters`);
    const contact: ContactInput = { number };
    if (name) contact.name = name;
    if (note) contact.note = note;
    contacts.push(contact);
    lines.push(record.line);
  }
  if (problems.length > 0) return { problems: listed(problems) };
  if (contacts.length === 0) return { problems: ['the file names its columns but has no customer'] };
  return { contacts, lines };
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
