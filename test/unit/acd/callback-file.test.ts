/**
 * A callback list from a CSV file: its columns by name, times read as the contact center's wall clock (or
 * with their own offset), a date alone, the agent kept for; every problem refuses the file, by line.
 */
import { describe, expect, it } from 'vitest';
import { readCallbackFile, readCallbackTime } from '../../../src/acd/callback-file.js';
import { instantOfWallClock } from '../../../src/acd/site-day.js';

const PARIS = 'Europe/Paris';
/** 6 Dec 2026, 18:00 in Paris. */
const NOW = Date.parse('2026-12-06T17:00:00Z');
const itemsOf = (text: string, zone = PARIS) => {
  const file = readCallbackFile(text, zone, NOW);
  if ('problems' in file) throw new Error(`refused: ${file.problems.join('; ')}`);
  return file;
};
const problemsOf = (text: string, zone = PARIS) => {
  const file = readCallbackFile(text, zone, NOW);
  if (!('problems' in file)) throw new Error(`read ${file.items.length} callbacks`);
  return file.problems;
};

describe('instantOfWallClock', () => {
  it("is the instant the zone's clock shows, on either side of a change and across one", () => {
    // Winter (UTC+1) and summer (UTC+2) in Paris; New York's winter (UTC−5).
    expect(new Date(instantOfWallClock('2026-12-07', 10 * 3600, PARIS)).toISOString()).toBe(
      '2026-12-07T09:00:00.000Z',
    );
    expect(new Date(instantOfWallClock('2026-07-01', 10 * 3600 + 30 * 60, PARIS)).toISOString()).toBe(
      '2026-07-01T08:30:00.000Z',
    );
    expect(new Date(instantOfWallClock('2026-12-07', 0, 'America/New_York')).toISOString()).toBe(
      '2026-12-07T05:00:00.000Z',
    );
    // The day the clocks go back (25 Oct 2026, 03:00 CEST → 02:00 CET): 02:30 comes twice, the first is
    // taken; 10:00 is in winter time. The day they go forward (29 Mar 2026): 02:30 does not exist and
    // lands an hour on, at 03:30 CEST; 10:00 is summer time.
    expect(new Date(instantOfWallClock('2026-10-25', 2.5 * 3600, PARIS)).toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    expect(new Date(instantOfWallClock('2026-10-25', 10 * 3600, PARIS)).toISOString()).toBe(
      '2026-10-25T09:00:00.000Z',
    );
    expect(new Date(instantOfWallClock('2026-03-29', 2.5 * 3600, PARIS)).toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    expect(new Date(instantOfWallClock('2026-03-29', 10 * 3600, PARIS)).toISOString()).toBe(
      '2026-03-29T08:00:00.000Z',
    );
  });
});

describe('readCallbackTime', () => {
  const at = (field: string, zone = PARIS) => {
    const read = readCallbackTime(field, zone);
    return typeof read === 'number' ? new Date(read).toISOString() : read.problem;
  };

  it("reads a spreadsheet's time as the contact center's clock, and a time with its offset as that instant", () => {
    expect(at('2026-12-07 10:00')).toBe('2026-12-07T09:00:00.000Z');
    expect(at('2026-12-07T10:00:30')).toBe('2026-12-07T09:00:30.000Z');
    expect(at('2026-12-07 9:05')).toBe('2026-12-07T08:05:00.000Z');
    expect(at('2026-12-07 10:00', 'Asia/Kolkata')).toBe('2026-12-07T04:30:00.000Z');
    // A date alone: that day from its midnight (the callback hours then decide).
    expect(at('2026-12-07')).toBe('2026-12-06T23:00:00.000Z');
    expect(at('2026-12-07T10:00:00+01:00', 'America/New_York')).toBe('2026-12-07T09:00:00.000Z');
    expect(at('2026-12-07 10:00:00.250Z')).toBe('2026-12-07T10:00:00.000Z');
    expect(at('2026-12-07T10:00-0500')).toBe('2026-12-07T15:00:00.000Z');
  });

  it('refuses what is not written so, or is no date, saying how to write it', () => {
    const how =
      "write it as 2026-12-07 10:00 (the contact center's time, Europe/Paris) or with its offset, 2026-12-07T10:00:00+01:00";
    expect(at('07/12/2026 10:00')).toBe(`"07/12/2026 10:00" is not a time: ${how}`);
    expect(at('tomorrow')).toBe(`"tomorrow" is not a time: ${how}`);
    expect(at('2026-02-30 10:00')).toBe(`"2026-02-30 10:00" is no such date: ${how}`);
    expect(at('2026-13-01')).toBe(`"2026-13-01" is no such date: ${how}`);
    expect(at('2026-12-07 24:00')).toBe(`"2026-12-07 24:00" is no such time of day: ${how}`);
    expect(at('2026-12-07T10:61Z')).toBe(`"2026-12-07T10:61Z" is no such time of day: ${how}`);
  });
});

describe('readCallbackFile', () => {
  it('reads each callback with its line: number, name, time, agent, reserve minutes, note', () => {
    const file = itemsOf(
      [
        'Phone;Customer name;Call at;Agent;Reserve minutes;Notes',
        '+15550100;Ann Able;2026-12-07 10:00;anna;30;"renewal; asked for Anna"',
        '',
        '5550200;;;;;',
        '+15550300;Cy;2026-12-08;;;',
      ].join('\r\n'),
    );
    expect(file.items).toEqual([
      {
        number: '+15550100',
        name: 'Ann Able',
        at: '2026-12-07T09:00:00.000Z',
        agentId: 'anna',
        reserveMinutes: 30,
        note: 'renewal; asked for Anna',
      },
      { number: '5550200' },
      { number: '+15550300', name: 'Cy', at: '2026-12-07T23:00:00.000Z' },
    ]);
    expect(file.lines).toEqual([2, 4, 5]);
    // Today's date alone is due at once; an earlier day's stays, to be refused as gone by.
    expect(itemsOf('number,at\n+15550100,2026-12-06\n+15550200,2026-12-05\n').items).toEqual([
      { number: '+15550100' },
      { number: '+15550200', at: '2026-12-04T23:00:00.000Z' },
    ]);
    // Only the number is needed.
    expect(itemsOf('number\n+15550100\n').items).toEqual([{ number: '+15550100' }]);
  });

  it('refuses the whole file for each bad line, by line', () => {
    expect(
      problemsOf(
        'number,when,reserve minutes\n+15550100,07/12/2026,\n+15550200,2026-12-07 10:00,0\n+15550300,2026-12-07,\n',
      ),
    ).toEqual([
      `line 2: at: "07/12/2026" is not a time: write it as 2026-12-07 10:00 (the contact center's time, Europe/Paris) or with its offset, 2026-12-07T10:00:00+01:00`,
      'line 3: reserve minutes: "0" is not a whole number 1 to 1440',
    ]);
    // A line without its number is named first, as a file's shape is.
    expect(problemsOf('number,when\n+15550100,07/12/2026\n,2026-12-07\n')).toEqual(['line 3: no number']);
    expect(problemsOf('number,priority\n+15550100,high\n')).toEqual([
      'line 1: the column "priority" is not one a callback file has: number (required), name, at, agent, reserveMinutes and note (leave it out, or name it note to show it to the agent)',
    ]);
    expect(problemsOf('+15550100,Ann\n')).toEqual([
      'line 1: the first line must name the columns (number, name, at, agent, reserveMinutes, note); it reads as a callback',
    ]);
  });

  it('books at most 500 from one file', () => {
    const rows = Array.from({ length: 501 }, (_, i) => `+1555${String(i).padStart(7, '0')}`);
    expect(problemsOf(`number\n${rows.join('\n')}\n`)).toEqual([
      'the file has 501 callbacks: at most 500 a request (split it in parts)',
    ]);
    expect(itemsOf(`number\n${rows.slice(0, 500).join('\n')}\n`).items).toHaveLength(500);
  });
});
