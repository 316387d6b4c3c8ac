/** The roster's rules (pure): what may go on it, agents on shift per interval, adherence. */
import { describe, expect, it } from 'vitest';
import { adherence, agentsOnShift, type Shift, shiftProblems } from '../../../src/agents/shifts.js';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-12-07T08:00:00Z');
const at = (h: number) => NOW + h * HOUR;
const shift = (agentId: string, from: number, to: number, id = `${agentId}@${from}`): Shift => ({
  id,
  agentId,
  start: at(from),
  end: at(to),
  note: null,
  createdAt: NOW,
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

describe('agentsOnShift', () => {
  it("counts the queue's agents on shift per interval, a part of one as a part", () => {
    const shifts = [shift('anna', 0, 2.5), shift('boris', 1, 3), shift('cleo', 0, 3)];
    const hours = [0, 1, 2, 3].map((h) => ({ start: at(h), end: at(h + 1) }));
    expect(agentsOnShift(shifts, new Set(['anna', 'boris']), hours)).toEqual([1, 2, 1.5, 0]);
  });
});

describe('adherence', () => {
  it("is the agent's time staffed over the shift's time gone by; none before it starts", () => {
    const s = shift('anna', 0, 8);
    expect(adherence(s, 2.7 * 3600, at(3))).toEqual({
      elapsedSeconds: 3 * 3600,
      staffedSeconds: 2.7 * 3600,
      percent: 90,
    });
    expect(adherence(s, 7 * 3600, at(12))).toMatchObject({ elapsedSeconds: 8 * 3600, percent: 87.5 });
    expect(adherence(s, 0, at(-1))).toEqual({ elapsedSeconds: 0, staffedSeconds: 0, percent: null });
  });
});
