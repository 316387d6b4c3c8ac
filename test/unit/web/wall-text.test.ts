/** The wall display page's words and figures, as a screen across the room shows them. */
import { describe, expect, it } from 'vitest';
import {
  agentLine,
  agentsInOrder,
  closedText,
  dayLine,
  keyFromHash,
  peopleLine,
  serviceLevel,
  waitNow,
} from '../../../src/web/wall/wall-text.js';

const T = Date.parse('2026-12-07T10:00:00Z');

describe("the wall display's words", () => {
  it('grows the longest wait from the board while callers wait, and shows none when nobody does', () => {
    expect(waitNow({ waiting: 2, longestWaitSeconds: 40 }, T, T + 5_500)).toBe(45.5);
    expect(waitNow({ waiting: 0, longestWaitSeconds: 40 }, T, T + 5_500)).toBe(0);
    // A board from a clock ahead of this one: the wait does not go back.
    expect(waitNow({ waiting: 1, longestWaitSeconds: 12 }, T, T - 3_000)).toBe(12);
  });

  it('colours the service level against its target, and says what it aims for', () => {
    const q = (level: number | null, target: number | null) => ({
      serviceLevelPercent: level,
      serviceLevelSeconds: 20,
      serviceLevelTargetPercent: target,
    });
    expect(serviceLevel(q(86.4, 80))).toEqual({ text: '86 %', aim: 'aim 80 % within 20 s', tone: 'good' });
    expect(serviceLevel(q(80, 80)).tone).toBe('good');
    expect(serviceLevel(q(76, 80)).tone).toBe('near');
    expect(serviceLevel(q(74.9, 80)).tone).toBe('bad');
    expect(serviceLevel(q(50, null))).toEqual({ text: '50 %', aim: 'answered within 20 s', tone: 'none' });
    expect(serviceLevel(q(null, 80))).toEqual({ text: '–', aim: 'aim 80 % within 20 s', tone: 'none' });
  });

  it('says who is in a queue, leaving out states nobody is in', () => {
    expect(peopleLine({ available: 2, offered: 1, talking: 2, on_hold: 1, wrap_up: 1, not_ready: 3 })).toBe(
      '2 ready · 1 ringing · 3 on calls · 1 wrap-up · 3 not ready',
    );
    expect(peopleLine({ talking: 1 })).toBe('1 on a call');
    expect(peopleLine({ logged_out: 4 })).toBe('nobody signed in');
    expect(peopleLine({})).toBe('nobody signed in');
  });

  it("writes the day's figures, with a dash where there is none yet", () => {
    expect(
      dayLine({ answered: 41, abandoned: 3, abandonRatePercent: 6.8, asaSeconds: 12.4, ahtSeconds: 220 }),
    ).toBe('Answered 41 · Abandoned 3 (7 %) · ASA 0:12 · AHT 3:40');
    expect(
      dayLine({ answered: 0, abandoned: 0, abandonRatePercent: null, asaSeconds: null, ahtSeconds: null }),
    ).toBe('Answered 0 · Abandoned 0 · ASA – · AHT –');
  });

  it("says an agent's state with its reason and how long, ready first and by name", () => {
    const since = new Date(T - 754_000).toISOString();
    expect(agentLine({ state: 'not_ready', reason: 'lunch', reasonLabel: 'Lunch', since }, T)).toEqual({
      state: 'Not ready: Lunch',
      time: '12:34',
    });
    expect(agentLine({ state: 'not_ready', reason: 'custom_x', since }, T).state).toBe('Not ready: custom_x');
    expect(agentLine({ state: 'offered', since }, T).state).toBe('Ringing');
    expect(agentLine({ state: 'talking', since: 'junk' }, T)).toEqual({ state: 'On a call', time: '' });
    const order = agentsInOrder([
      { name: 'Zed', state: 'not_ready' },
      { name: 'Bea', state: 'talking' },
      { name: 'Cy', state: 'available' },
      { name: 'Al', state: 'available' },
      { name: 'Di', state: 'offered' },
    ]);
    expect(order.map((a) => a.name)).toEqual(['Al', 'Cy', 'Di', 'Bea', 'Zed']);
  });

  it('stops for good only when the link itself is refused; otherwise reconnects', () => {
    const withdrawn = {
      code: 'DISPLAY_WITHDRAWN',
      message: 'this wall display was withdrawn by a supervisor',
    };
    expect(closedText(withdrawn)).toEqual({ final: true, text: withdrawn.message });
    expect(closedText({ code: 'DISPLAY_KEY_INVALID', message: 'not a key' }).final).toBe(true);
    expect(closedText({ code: 'BOARD_UNAVAILABLE', message: 'later' }).final).toBe(false);
    expect(closedText(undefined)).toEqual({
      final: false,
      text: 'Connection lost: reconnecting… (the figures shown may be out of date)',
    });
  });

  it("takes the key from the link's part after #", () => {
    expect(keyFromHash('#key=wall~wd-1.abc_-')).toBe('wall~wd-1.abc_-');
    expect(keyFromHash('#key=wall%7Ewd-1.abc')).toBe('wall~wd-1.abc');
    expect(keyFromHash('')).toBe('');
    expect(keyFromHash('#other=1')).toBe('');
  });
});
