/** The roster's rules (pure): what may go on it, agents on shift per interval, adherence. */
import { describe, expect, it } from 'vitest';
import {
  adherence,
  adherenceOver,
  agentsOnShift,
  breaksOf,
  copiedShifts,
  plannedAt,
  sameClockDaysLater,
  type Shift,
  type ShiftBreak,
  shiftProblems,
  shiftsToCover,
  workingSpans,
} from '../../../src/agents/shifts.js';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-12-07T08:00:00Z');
const at = (h: number) => NOW + h * HOUR;
const shift = (
  agentId: string,
  from: number,
  to: number,
  id = `${agentId}@${from}`,
  breaks: ShiftBreak[] = [],
): Shift => ({
  id,
  agentId,
  start: at(from),
  end: at(to),
  note: null,
  createdAt: NOW,
  breaks,
});
const pause = (from: number, to: number, label: string | null = null): ShiftBreak => ({
  start: at(from),
  end: at(to),
  label,
});
const place = (i: number) => `items.${i}`;

describe('shiftProblems', () => {
  it('takes a roster of shifts that do not overlap per agent', () => {
    expect(
      shiftProblems(
        [
          { agentId: 'anna', start: at(1), end: at(9) },
          { agentId: 'boris', start: at(1), end: at(9) },
          { agentId: 'anna', start: at(9), end: at(12) }, // back to back is not overlapping
        ],
        [shift('anna', 24, 32)],
        NOW,
        place,
      ),
    ).toEqual([]);
  });

  it('names each problem by its place: times, length, too far back or ahead, two shifts at once', () => {
    expect(
      shiftProblems(
        [
          { agentId: 'anna', start: at(9), end: at(1) },
          { agentId: 'anna', start: at(1), end: at(18) },
          { agentId: 'anna', start: at(-24 * 8 - 9), end: at(-24 * 8) },
          { agentId: 'anna', start: at(24 * 367), end: at(24 * 367 + 8) },
        ],
        [],
        NOW,
        place,
      ).map((p) => [p.code, p.reason]),
    ).toEqual([
      [
        'SHIFT_INVALID',
        'items.0: ends (2026-12-07T09:00:00.000Z) before it starts (2026-12-07T17:00:00.000Z)',
      ],
      ['SHIFT_INVALID', 'items.1: is 17.0 hours long: at most 16'],
      ['SHIFT_INVALID', 'items.2: ended more than a week ago'],
      ['SHIFT_INVALID', 'items.3: starts more than a year ahead'],
    ]);
    expect(
      shiftProblems(
        [
          { agentId: 'anna', start: at(4), end: at(10) },
          { agentId: 'boris', start: at(1), end: at(9) },
          { agentId: 'boris', start: at(8), end: at(12) },
        ],
        [shift('anna', 1, 5)],
        NOW,
        place,
      ).map((p) => [p.code, p.reason]),
    ).toEqual([
      [
        'SHIFT_OVERLAP',
        'items.0: anna is on a shift then already (2026-12-07T09:00:00.000Z to 2026-12-07T13:00:00.000Z)',
      ],
      ['SHIFT_OVERLAP', 'items.2: boris is on items.1 then already'],
    ]);
  });
});

describe('breaks', () => {
  it('takes breaks inside the shift, kept by start with their labels trimmed', () => {
    const input = {
      agentId: 'anna',
      start: at(1),
      end: at(9),
      breaks: [
        { start: at(6), end: at(6.25), label: ' ' },
        { start: at(4), end: at(4.5), label: ' Lunch ' },
        { start: at(8.75), end: at(9) }, // the shift's last quarter hour
      ],
    };
    expect(shiftProblems([input], [], NOW, place)).toEqual([]);
    expect(breaksOf(input)).toEqual([pause(4, 4.5, 'Lunch'), pause(6, 6.25), pause(8.75, 9)]);
    expect(breaksOf({ agentId: 'anna', start: at(1), end: at(9) })).toEqual([]);
  });

  it('names each wrong break by the shift and its place: backwards, outside, on another, too many, label', () => {
    const refused = shiftProblems(
      [
        {
          agentId: 'anna',
          start: at(1),
          end: at(9),
          breaks: [
            { start: at(4), end: at(3.5) },
            { start: at(0.5), end: at(1.5) },
            { start: at(5), end: at(6) },
            { start: at(5.5), end: at(5.75), label: 'x'.repeat(41) },
          ],
        },
        {
          agentId: 'boris',
          start: at(1),
          end: at(9),
          breaks: Array.from({ length: 7 }, (_, i) => ({ start: at(2 + i * 0.5), end: at(2.25 + i * 0.5) })),
        },
      ],
      [],
      NOW,
      place,
    );
    expect(refused.map((p) => [p.code, p.reason])).toEqual([
      [
        'SHIFT_INVALID',
        'items.0: break 1 ends (2026-12-07T11:30:00.000Z) before it starts (2026-12-07T12:00:00.000Z)',
      ],
      [
        'SHIFT_INVALID',
        'items.0: break 2 (2026-12-07T08:30:00.000Z to 2026-12-07T09:30:00.000Z) is not inside the shift',
      ],
      ['SHIFT_INVALID', 'items.0: break 4 is during break 3'],
      ['SHIFT_INVALID', 'items.0: break 4: its label is longer than 40 characters'],
      ['SHIFT_INVALID', 'items.1: has 7 breaks: at most 6'],
    ]);
  });

  it('leaves the breaks out of the working spans, and says what the shift plans at each time', () => {
    const s = shift('anna', 1, 9, 'a', [pause(1, 1.5), pause(4, 4.5, 'Lunch'), pause(4.5, 4.75)]);
    expect(workingSpans(s)).toEqual([
      { start: at(1.5), end: at(4) },
      { start: at(4.75), end: at(9) },
    ]);
    expect(workingSpans(shift('anna', 1, 9))).toEqual([{ start: at(1), end: at(9) }]);
    expect(plannedAt(s, at(0.9))).toBeUndefined();
    expect(plannedAt(s, at(1))).toEqual({ activity: 'break', until: at(1.5), label: null });
    expect(plannedAt(s, at(2))).toEqual({ activity: 'working', until: at(4) });
    expect(plannedAt(s, at(4.25))).toEqual({ activity: 'break', until: at(4.5), label: 'Lunch' });
    expect(plannedAt(s, at(4.5))).toEqual({ activity: 'break', until: at(4.75), label: null });
    expect(plannedAt(s, at(8))).toEqual({ activity: 'working', until: at(9) });
    expect(plannedAt(s, at(9))).toBeUndefined();
  });
});

describe('agentsOnShift', () => {
  it("counts the queue's agents on shift per interval, a part of one as a part", () => {
    const shifts = [shift('anna', 0, 2.5), shift('boris', 1, 3), shift('cleo', 0, 3)];
    const hours = [0, 1, 2, 3].map((h) => ({ start: at(h), end: at(h + 1) }));
    expect(agentsOnShift(shifts, new Set(['anna', 'boris']), hours)).toEqual([1, 2, 1.5, 0]);
  });

  it('leaves an agent out while on a break', () => {
    const shifts = [
      shift('anna', 0, 3, 'a', [pause(1, 1.5, 'Lunch')]),
      shift('boris', 0, 3, 'b', [pause(2, 3)]),
    ];
    const hours = [0, 1, 2].map((h) => ({ start: at(h), end: at(h + 1) }));
    expect(agentsOnShift(shifts, new Set(['anna', 'boris']), hours)).toEqual([2, 1.5, 1]);
  });
});

describe('adherence', () => {
  it("is the agent's time staffed over the shift's time gone by; none before it starts", () => {
    const s = shift('anna', 0, 8);
    expect(adherence(s, { working: 2.7 * 3600, onBreak: 0 }, at(3))).toEqual({
      elapsedSeconds: 3 * 3600,
      staffedSeconds: 2.7 * 3600,
      breakSeconds: 0,
      staffedOnBreakSeconds: 0,
      percent: 90,
    });
    expect(adherence(s, { working: 7 * 3600, onBreak: 0 }, at(12))).toMatchObject({
      elapsedSeconds: 8 * 3600,
      percent: 87.5,
    });
    expect(adherence(s, { working: 0, onBreak: 0 }, at(-1))).toMatchObject({
      elapsedSeconds: 0,
      staffedSeconds: 0,
      percent: null,
    });
  });

  it('counts a break kept (away) as adherent and one worked through as not; a break to come counts nothing', () => {
    const s = shift('anna', 0, 8, 'a', [pause(2, 3, 'Lunch'), pause(6, 6.5)]);
    // Four hours gone: three to work (all staffed), the hour's lunch taken away: 100 %.
    expect(adherence(s, { working: 3 * 3600, onBreak: 0 }, at(4))).toEqual({
      elapsedSeconds: 4 * 3600,
      staffedSeconds: 3 * 3600,
      breakSeconds: 3600,
      staffedOnBreakSeconds: 0,
      percent: 100,
    });
    // Half of lunch worked through, and half an hour of work missed: 3 of 4 hours as planned.
    expect(adherence(s, { working: 2.5 * 3600, onBreak: 0.5 * 3600 }, at(4)).percent).toBe(75);
    // Half-way through lunch, away for it.
    expect(adherence(s, { working: 2 * 3600, onBreak: 0 }, at(2.5))).toMatchObject({
      elapsedSeconds: 2.5 * 3600,
      breakSeconds: 0.5 * 3600,
      percent: 100,
    });
    // The whole shift: 6.5 hours to work, 1.5 of breaks.
    expect(adherence(s, { working: 6.5 * 3600, onBreak: 0 }, at(10))).toMatchObject({
      elapsedSeconds: 8 * 3600,
      breakSeconds: 1.5 * 3600,
      percent: 100,
    });
  });
});

describe('adherenceOver', () => {
  it("sums an agent's shifts: adherence of the time gone by, conformance of the time to work", () => {
    const monday = adherence(
      shift('anna', 0, 8, 'm', [pause(4, 5, 'Lunch')]),
      { working: 6 * 3600, onBreak: 0 },
      at(9),
    );
    // Tuesday: worked through lunch and an hour short at work.
    const tuesday = adherence(
      shift('anna', 24, 32, 't', [pause(28, 29, 'Lunch')]),
      { working: 6 * 3600, onBreak: 3600 },
      at(33),
    );
    expect(monday.percent).toBe(87.5);
    expect(tuesday.percent).toBe(75);
    expect(adherenceOver([monday, tuesday])).toEqual({
      shifts: 2,
      elapsedSeconds: 16 * 3600,
      workSeconds: 14 * 3600,
      breakSeconds: 2 * 3600,
      staffedSeconds: 12 * 3600,
      staffedOnBreakSeconds: 3600,
      percent: 81.3, // 13 of 16 hours as planned
      conformancePercent: 92.9, // 13 hours staffed of 14 to work
    });
    expect(adherenceOver([])).toMatchObject({ shifts: 0, percent: null, conformancePercent: null });
  });
});

describe('copiedShifts', () => {
  it("copies shifts days later at the same times on the contact center's clock, across a change of the clocks", () => {
    const paris = 'Europe/Paris';
    // Monday 22 March 2027 09:00 in Paris is 08:00Z; a week later the clocks have gone forward: 07:00Z.
    expect(new Date(sameClockDaysLater(Date.parse('2027-03-22T08:00:00Z'), 7, paris)).toISOString()).toBe(
      '2027-03-29T07:00:00.000Z',
    );
    const night: Shift = {
      id: 'n',
      agentId: 'anna',
      start: Date.parse('2027-03-27T21:00:00Z'), // Saturday 22:00
      end: Date.parse('2027-03-28T05:00:00Z'), // Sunday 07:00 summer time (an hour short that night)
      note: 'night',
      createdAt: 0,
      breaks: [
        { start: Date.parse('2027-03-28T00:00:00Z'), end: Date.parse('2027-03-28T00:30:00Z'), label: 'Meal' },
      ],
    };
    expect(
      copiedShifts([night], 1, paris).map((c) => ({
        ...c,
        start: new Date(c.start).toISOString(),
        end: new Date(c.end).toISOString(),
        breaks: c.breaks?.map((b) => [
          new Date(b.start).toISOString(),
          new Date(b.end).toISOString(),
          b.label,
        ]),
      })),
    ).toEqual([
      {
        agentId: 'anna',
        start: '2027-03-28T20:00:00.000Z', // Sunday 22:00 summer time
        end: '2027-03-29T05:00:00.000Z', // Monday 07:00
        note: 'night',
        breaks: [['2027-03-28T23:00:00.000Z', '2027-03-28T23:30:00.000Z', 'Meal']], // 01:00 on the clock
      },
    ]);
  });
});

describe('shiftsToCover', () => {
  it('covers what the roster lacks with the fewest shifts of a length, each from the earliest shortfall', () => {
    const hours = (short: number[]) => short.map((n, h) => ({ start: at(h), end: at(h + 1), short: n }));
    // Short 2 at 0-1h, 3 at 2h, 1 at 6h; shifts of 4 hours.
    expect(shiftsToCover(hours([2, 2, 3, 0, 0, 0, 1, 0]), 4)).toEqual([
      { start: at(0), end: at(4), agents: 2 },
      { start: at(2), end: at(6), agents: 1 },
      { start: at(4), end: at(8), agents: 1 }, // 06:00's shortfall, as late as a whole shift fits
    ]);
    expect(shiftsToCover(hours([0, 0, 0]), 2)).toEqual([]);
    // A shift longer than the day covers all of it.
    expect(shiftsToCover(hours([1, 1]), 8)).toEqual([{ start: at(0), end: at(2), agents: 1 }]);
  });
});
