/**
 * A campaign's customers as a spreadsheet file (see list-file.ts): `number` (required; or phone,
 * telephone, mobile...), `name` (or customer...), `note` (or notes, comment...). A campaign's own export
 * reads back in (its other columns, state and so on, are not the customer's and are passed over), so the
 * customers not reached by one campaign can start the next.
 *
 * Pure: text in, contacts out (checkContacts then checks their numbers as a typed list's).
 */
import { CONTACT_LIMITS, CONTACTS_PER_REQUEST, type ContactInput } from './campaigns.js';
import { type ListFileSpec, NUMBER_COLUMN_NAMES, readListFile } from './list-file.js';

type Column = 'number' | 'name' | 'note';

const contactFile = (maxRows: number): ListFileSpec<Column> => ({
  what: 'a contact file',
  row: 'customer',
  required: 'number',
  columns: {
    number: { names: NUMBER_COLUMN_NAMES, max: CONTACT_LIMITS.number },
    name: { names: ['name', 'customer', 'customername', 'fullname'], max: CONTACT_LIMITS.name },
    note: {
      names: ['note', 'notes', 'whatabout', 'about', 'comment', 'comments'],
      max: CONTACT_LIMITS.note,
    },
  },
  // A campaign export's columns that are not the customer's own.
  passOver: new Set([
    'seq',
    'state',
    'reason',
    'interactionid',
    'bookedat',
    'closedat',
    'conversationid',
    'agentid',
    'wrapupcode',
  ]),
  unknownHint: '(leave it out, or name it note to show it to the agent)',
  maxRows,
});

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
  const file = readListFile(text, contactFile(maxContacts));
  if ('problems' in file) return file;
  const contacts = file.rows.map(({ number, name, note }) => {
    const contact: ContactInput = { number };
    if (name) contact.name = name;
    if (note) contact.note = note;
    return contact;
  });
  return { contacts, lines: file.lines };
}
