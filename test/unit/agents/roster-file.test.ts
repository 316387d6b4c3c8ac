/** A roster from a CSV file (pure): columns by name, the contact center's clock, night shifts, refusals by line. */
import { describe, expect, it } from 'vitest';
import { readRosterFile, rosterFileLines } from '../../../src/agents/roster-file.js';
import type { Shift } from '../../../src/agents/shifts.js';

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

describe('rosterFileLines', () => {
  it('writes shifts as a roster file that reads back as the same shifts (a night shift, breaks, a note)', () => {
    const at = (iso: string) => Date.parse(iso);
    const shifts: Shift[] = [
      {
        id: 'a',
        agentId: 'anna',
        start: at('2026-12-07T08:00:00Z'),
        end: at('2026-12-07T16:30:00Z'),
        note: 'early, then training',
        createdAt: 0,
        breaks: [
          { start: at('2026-12-07T11:00:00Z'), end: at('2026-12-07T11:45:00Z'), label: 'Lunch; late' },
          { start: at('2026-12-07T14:00:00Z'), end: at('2026-12-07T14:15:30Z'), label: null },
        ],
      },
      {
        id: 'b',
        agentId: 'boris',
        start: at('2026-12-07T21:00:00Z'),
        end: at('2026-12-08T05:00:00Z'),
        note: null,
        createdAt: 0,
        breaks: [{ start: at('2026-12-08T01:00:00Z'), end: at('2026-12-08T01:30:00Z'), label: 'Meal' }],
      },
    ];
    const lines = rosterFileLines(shifts, PARIS);
    expect(lines).toEqual([
      {
        agent: 'anna',
        date: '2026-12-07',
        from: '09:00',
        to: '17:30',
        breaks: '12:00-12:45 Lunch late; 15:00-15:15:30',
        note: 'early, then training',
      },
      {
        agent: 'boris',
        date: '2026-12-07',
        from: '22:00',
        to: '06:00',
        breaks: '02:00-02:30 Meal',
        note: '',
      },
    ]);
    // As a CSV (the note quoted, as the export writes it), read back.
    const csv = [
      'agent,date,from,to,breaks,note',
      ...lines.map((l) => [l.agent, l.date, l.from, l.to, l.breaks, `"${l.note}"`].join(',')),
    ].join('\r\n');
    const back = readRosterFile(csv, PARIS);
    if ('problems' in back) throw new Error(back.problems.join('; '));
    expect(
      back.shifts.map((s) => [
        s.agent,
        s.start,
        s.end,
        s.note,
        s.breaks?.map((b) => [b.start, b.end, b.label]),
      ]),
    ).toEqual([
      [
        'anna',
        shifts[0]!.start,
        shifts[0]!.end,
        'early, then training',
        [
          [shifts[0]!.breaks[0]!.start, shifts[0]!.breaks[0]!.end, 'Lunch late'],
          [shifts[0]!.breaks[1]!.start, shifts[0]!.breaks[1]!.end, undefined],
        ],
      ],
      [
        'boris',
        shifts[1]!.start,
        shifts[1]!.end,
        undefined,
        [[shifts[1]!.breaks[0]!.start, shifts[1]!.breaks[0]!.end, 'Meal']],
      ],
    ]);
  });
});
