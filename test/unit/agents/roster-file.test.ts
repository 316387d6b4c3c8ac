/** A roster from a CSV file (pure): columns by name, the contact center's clock, night shifts, refusals by line. */
import { describe, expect, it } from 'vitest';
import { readRosterFile } from '../../../src/agents/roster-file.js';

const PARIS = 'Europe/Paris';
const iso = (ms: number) => new Date(ms).toISOString();

describe('readRosterFile', () => {
  it("reads each shift on the contact center's clock, a night shift ending the next day", () => {
    const file = readRosterFile(
      [
        'Employee;Day;Start;End;Activity',
        'anna;2026-12-07;09:00;17:30;early',
        '',
        'Boris Brown;2026-12-07;22:00;06:00;',
        'cleo;2026-03-29;1:00;9:00;',
      ].join('\r\n'),
      PARIS,
    );
    if ('problems' in file) throw new Error(file.problems.join('; '));
    expect(file.shifts.map((s) => [s.agent, iso(s.start), iso(s.end), s.note])).toEqual([
      ['anna', '2026-12-07T08:00:00.000Z', '2026-12-07T16:30:00.000Z', 'early'],
      ['Boris Brown', '2026-12-07T21:00:00.000Z', '2026-12-08T05:00:00.000Z', undefined],
      // The night the clocks go forward: 01:00 is winter time, 09:00 summer time (seven hours).
      ['cleo', '2026-03-29T00:00:00.000Z', '2026-03-29T07:00:00.000Z', undefined],
    ]);
    expect(file.lines).toEqual([2, 4, 5]);
  });

  it("reads breaks on the same clock, labelled or not, a night shift's after midnight on the next day", () => {
    const file = readRosterFile(
      [
        'agent,date,from,to,breaks,note',
        'anna,2026-12-07,09:00,17:30,"12:00-12:45 Lunch; 15:00 – 15:15",early',
        'boris,2026-12-07,22:00,06:00,23:30-00:15 Meal|03:00-03:15,',
        'cleo,2026-12-07,09:00,17:00,,',
      ].join('\n'),
      PARIS,
    );
    if ('problems' in file) throw new Error(file.problems.join('; '));
    expect(file.shifts.map((s) => (s.breaks ?? []).map((b) => [iso(b.start), iso(b.end), b.label]))).toEqual([
      [
        ['2026-12-07T11:00:00.000Z', '2026-12-07T11:45:00.000Z', 'Lunch'],
        ['2026-12-07T14:00:00.000Z', '2026-12-07T14:15:00.000Z', undefined],
      ],
      [
        ['2026-12-07T22:30:00.000Z', '2026-12-07T23:15:00.000Z', 'Meal'],
        ['2026-12-08T02:00:00.000Z', '2026-12-08T02:15:00.000Z', undefined],
      ],
      [],
    ]);
    expect(readRosterFile('agent;date;from;to;breaks\nanna;2026-12-07;09:00;17:00;noon\n', PARIS)).toEqual({
      problems: ['line 2: breaks: "noon" is not a break written 12:00-12:30 (a label after it if any)'],
    });
  });

  it('refuses a file for each line not written so, by line and column', () => {
    expect(
      readRosterFile('agent,date,from,to\nanna,07/12/2026,9:00,17:00\nboris,2026-12-07,9am,25:00\n', PARIS),
    ).toEqual({
      problems: [
        'line 2: date: "07/12/2026" is not a date written 2026-12-07',
        'line 3: from: "9am" is not a time of day written 09:00',
        'line 3: to: "25:00" is not a time of day written 17:30',
      ],
    });
    expect(readRosterFile('agent,date,from,to,queue\nanna,2026-12-07,09:00,17:00,sales\n', PARIS)).toEqual({
      problems: [
        'line 1: the column "queue" is not one a roster file has: agent (required), date, from, to, breaks and note (leave it out, or name it note to keep it with the shift)',
      ],
    });
  });
});
