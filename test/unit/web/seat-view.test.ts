/** What both pages show alike (src/web/common/seat-view.js): the reason line under a seat's state. */
import { describe, expect, it } from 'vitest';
import { changedByName, seatReasonText } from '../../../src/web/common/seat-view.js';

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

describe('who set a seat for its agent', () => {
  it("names the supervisor who signed in as themselves, else 'a supervisor'; nobody for the agent's own change", () => {
    expect(changedByName({ by: 'supervisor', supervisor: { name: 'Sam Super' } })).toBe('Sam Super');
    expect(changedByName({ by: 'supervisor' })).toBe('a supervisor');
    expect(changedByName({})).toBe('');
  });
});
