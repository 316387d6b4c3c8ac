/** What both pages show alike (src/web/common/seat-view.js): the reason line under a seat's state. */
import { describe, expect, it } from 'vitest';
import { changedByName, notReadyLimit, seatReasonText } from '../../../src/web/common/seat-view.js';

const label = (code: string) => ({ lunch: 'Lunch', break: 'Break' })[code] ?? code;
const seat = (type: string, reason = '', notReadyAfter = '') => ({ type, reason, notReadyAfter });

describe('the reason line under a seat', () => {
  it('names a not-ready reason, or a not ready asked for after the call, in words', () => {
    expect(seatReasonText(seat('not_ready', 'lunch'), label)).toBe('Lunch');
    expect(seatReasonText(seat('not_ready', 'training'), label)).toBe('training');
    expect(seatReasonText(seat('talking', '', 'break'), label)).toBe('Not ready (Break) after this call');
    expect(seatReasonText(seat('wrap_up', '', 'lunch'), label)).toBe('Not ready (Lunch) after this call');
    expect(seatReasonText(seat('available'), label)).toBe('');
    expect(seatReasonText(seat('logged_out'), label)).toBe('');
  });
});

describe("a not ready's time limit", () => {
  const reasons = [{ code: 'break', maxMinutes: 15 }, { code: 'meeting' }];
  const since = Date.parse('2026-12-05T10:00:00Z');

  it('says when a limited reason is due to end, and how far past it the agent is', () => {
    const within = notReadyLimit(seat('not_ready', 'break'), since, reasons, since + 10 * 60_000);
    expect(within).toEqual({ maxMinutes: 15, until: since + 15 * 60_000, overSeconds: 0 });
    const over = notReadyLimit(seat('not_ready', 'break'), since, reasons, since + 16 * 60_000 + 5_500);
    expect(over?.overSeconds).toBe(65);
  });

  it('has nothing to say of a reason with no limit, or a seat that is not not ready', () => {
    expect(notReadyLimit(seat('not_ready', 'meeting'), since, reasons, since + 999 * 60_000)).toBeUndefined();
    expect(notReadyLimit(seat('not_ready', 'gone'), since, reasons, since)).toBeUndefined();
    expect(notReadyLimit(seat('available'), since, reasons, since + 999 * 60_000)).toBeUndefined();
  });
});

describe('who set a seat for its agent', () => {
  it("names the supervisor who signed in as themselves, else 'a supervisor'; nobody for the agent's own change", () => {
    expect(changedByName({ by: 'supervisor', supervisor: { name: 'Sam Super' } })).toBe('Sam Super');
    expect(changedByName({ by: 'supervisor' })).toBe('a supervisor');
    expect(changedByName({})).toBe('');
  });
});
