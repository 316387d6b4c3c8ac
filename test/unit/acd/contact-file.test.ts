/**
 * A campaign's customers from a CSV file: the columns by name (any order, case, common other names), the
 * separators spreadsheets write, RFC 4180 quoting, a campaign export read back in; every problem refuses the
 * file, named by its line.
 */
import { describe, expect, it } from 'vitest';
import { readContactFile } from '../../../src/acd/contact-file.js';

const read = (text: string, max?: number) => readContactFile(text, max);
const contactsOf = (text: string) => {
  const file = read(text);
  if ('problems' in file) throw new Error(`refused: ${file.problems.join('; ')}`);
  return file;
};
const problemsOf = (text: string, max?: number) => {
  const file = read(text, max);
  if (!('problems' in file)) throw new Error(`read ${file.contacts.length} contacts`);
  return file.problems;
};

describe('readContactFile', () => {
  it('reads the columns by name, in any order and case, each contact with its line', () => {
    const file = contactsOf(
      'Note,NUMBER,Name\r\nrenewal,+15550100,Ann Able\r\n,+15550200,\r\nx,+15550300,Cy\r\n',
    );
    expect(file.contacts).toEqual([
      { number: '+15550100', name: 'Ann Able', note: 'renewal' },
      { number: '+15550200' },
      { number: '+15550300', name: 'Cy', note: 'x' },
    ]);
    expect(file.lines).toEqual([2, 3, 4]);
  });

  it('knows the columns by their other common names', () => {
    const file = contactsOf('Phone Number,Customer Name,Comments\n+15550100,Ann,vip\n');
    expect(file.contacts).toEqual([{ number: '+15550100', name: 'Ann', note: 'vip' }]);
    expect(contactsOf('telephone\n5550100\n').contacts).toEqual([{ number: '5550100' }]);
  });

  it('takes the separator the first line uses: comma, semicolon or tab', () => {
    const semicolon = contactsOf('number;name;note\n+15550100;Smith, Jo;owes 1,50 €\n');
    expect(semicolon.contacts).toEqual([{ number: '+15550100', name: 'Smith, Jo', note: 'owes 1,50 €' }]);
    const tab = contactsOf('number\tname\n+15550100\tLee; Kim\n');
    expect(tab.contacts).toEqual([{ number: '+15550100', name: 'Lee; Kim' }]);
  });

  it('reads quoted fields: separators, doubled quotes and line breaks inside, lines counted through them', () => {
    const file = contactsOf(
      'number,name,note\n"+15550100","Smith, Jo","said ""call after 5""\nsecond line"\n+15550200,Lee,\n',
    );
    expect(file.contacts).toEqual([
      { number: '+15550100', name: 'Smith, Jo', note: 'said "call after 5"\nsecond line' },
      { number: '+15550200', name: 'Lee' },
    ]);
    // The second customer is on line 4: the first one's note ran over lines 2 and 3.
    expect(file.lines).toEqual([2, 4]);
  });

  it('passes over blank lines, a byte-order mark, spaces around fields and a missing last line break', () => {
    const file = contactsOf('\uFEFFnumber , name\n\n  +15550100 ,  Ann  \r\n,\n\r\n+15550200,Bo');
    expect(file.contacts).toEqual([
      { number: '+15550100', name: 'Ann' },
      { number: '+15550200', name: 'Bo' },
    ]);
    expect(file.lines).toEqual([3, 6]);
  });

  it("reads a campaign's own export back: its other columns passed over, a cell kept from running as a formula restored", () => {
    const exported = [
      'seq,number,name,note,state,reason,interactionId,bookedAt,closedAt,conversationId,agentId,wrapUpCode',
      '1,+15550100,\'=HYPERLINK(x),"renewal, due",not_reached,not reached,i-1,2026-12-06T10:00:00.000Z,2026-12-06T11:00:00.000Z,,,',
      '2,+15550200,Bob,,reached,,i-2,,,c-2,agent1,sale',
    ].join('\r\n');
    expect(contactsOf(exported).contacts).toEqual([
      { number: '+15550100', name: '=HYPERLINK(x)', note: 'renewal, due' },
      { number: '+15550200', name: 'Bob' },
    ]);
  });

  it('refuses a column that is not a customer field, naming it (nothing of the file is taken)', () => {
    expect(problemsOf('number,name,email\n+15550100,Ann,ann@example.com\n')).toEqual([
      'line 1: the column "email" is not one a contact file has: number (required), name and note (leave it out, or name it note to show it to the agent)',
    ]);
    expect(problemsOf('number,phone\n1,2\n')).toEqual([
      `line 1: two columns are the customer's number ("phone")`,
    ]);
  });

  it('refuses a file without a number column, saying when its first line is a customer rather than names', () => {
    expect(problemsOf('+15550100,Ann\n+15550200,Bob\n')).toEqual([
      'line 1: the first line must name the columns (number, name, note); it reads as a customer',
    ]);
    expect(problemsOf('name,note\nAnn,x\n')[0]).toBe(
      'line 1: no number column: the first line names the columns (number, name, note)',
    );
    expect(problemsOf('')).toEqual([
      'the file has no lines: its first line names the columns (number, name, note)',
    ]);
    expect(problemsOf('number,name\n\n')).toEqual(['the file names its columns but has no customer']);
  });

  it('refuses lines with more fields than columns, no number, or fields too long: every one by line', () => {
    const problems = problemsOf(
      [
        'number,name',
        '+15550100,Smith, Jo',
        ',Nobody',
        `+15550300,${'x'.repeat(121)}`,
        `+${'1'.repeat(40)},Long`,
        '+15550500,Fine',
      ].join('\n'),
    );
    expect(problems).toEqual([
      'line 2: 3 fields where the first line names 2 columns (a separator in a field that is not quoted?)',
      'line 3: no number',
      'line 4: the name is longer than 120 characters',
      'line 5: the number is longer than 32 characters',
    ]);
    expect(problemsOf(`number,note\n+15550100,${'n'.repeat(501)}\n`)).toEqual([
      'line 2: the note is longer than 500 characters',
    ]);
  });

  it('lists the first ten problems and counts the rest', () => {
    const lines = ['number,name', ...Array.from({ length: 25 }, (_, i) => `,customer ${i}`)];
    const problems = problemsOf(lines.join('\n'));
    expect(problems).toHaveLength(11);
    expect(problems[0]).toBe('line 2: no number');
    expect(problems[9]).toBe('line 11: no number');
    expect(problems[10]).toBe('and 15 more');
  });

  it('refuses a quote left open, or text after a closing quote, at the line where it is', () => {
    expect(problemsOf('number,name\n+15550100,"Ann\n+15550200,Bob\n')).toEqual([
      'line 2: a quoted field is not closed',
    ]);
    expect(problemsOf('number,name\n+15550100,"Ann" Able\n')).toEqual([
      'line 2: a quoted field is followed by more text before the next separator',
    ]);
  });

  it('refuses more customers than a request takes, saying to split the file', () => {
    const text = ['number', '+15550100', '+15550200', '+15550300'].join('\n');
    expect(problemsOf(text, 2)).toEqual([
      'the file has 3 customers: at most 2 a request (split it in parts)',
    ]);
    expect(contactsOf(text).contacts).toHaveLength(3);
  });
});
