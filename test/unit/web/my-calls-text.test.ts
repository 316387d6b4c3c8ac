/** The softphone's My calls today lines (src/web/softphone/my-calls-text.js). */
import { describe, expect, it } from 'vitest';
import { type MyCall, myCallEnd, myCallLine, talkTime } from '../../../src/web/softphone/my-calls-text.js';

const call = (over: Partial<MyCall> = {}): MyCall => ({
  state: 'closed',
  direction: 'inbound',
  disposition: 'handled',
  endedBy: 'caller',
  lineLost: false,
  callerNumber: '+15551110001',
  callerName: 'Ada Lovelace',
  dialedNumber: '500',
  talkSeconds: 192,
  wrapUpCode: 'follow_up',
  agentId: 'anna',
  ...over,
});

describe('myCallLine', () => {
  it('names the caller with their number, then direction, talk time, why it ended and the disposition by its label', () => {
    expect(myCallLine(call(), { me: 'anna', codeLabels: { follow_up: 'Follow up' } })).toEqual({
      who: 'Ada Lovelace (+15551110001)',
      what: 'In · 3:12 · Caller hung up · Follow up',
      number: '+15551110001',
    });
    // A code no longer on the list shows as it was saved.
    expect(myCallLine(call({ wrapUpCode: 'old_code' })).what).toBe('In · 3:12 · Caller hung up · old_code');
  });

  it("says who had a call that rang this agent too or was passed on, not that agent's figures; one nobody took was missed", () => {
    const names = { me: 'bob', agentName: (id: string) => (id === 'anna' ? 'Anna Archer' : id) };
    expect(myCallLine(call(), names).what).toBe('In · last with Anna Archer');
    expect(myCallLine(call({ agentId: null, disposition: 'abandoned', talkSeconds: null }), names).what).toBe(
      'In · Missed · Caller hung up before answer',
    );
    expect(myCallLine(call({ agentId: null, state: 'open', disposition: null }), names).what).toBe(
      'In · Missed · On now',
    );
  });

  it('shows a call out by the number called, and one with nothing known as an unknown caller to no one', () => {
    expect(
      myCallLine(call({ direction: 'outbound', callerName: null, endedBy: 'agent', wrapUpCode: null })),
    ).toEqual({ who: '+15551110001', what: 'Out · 3:12 · You hung up', number: '+15551110001' });
    expect(
      myCallLine(call({ callerNumber: null, dialedNumber: null, callerName: null, talkSeconds: null })),
    ).toEqual({ who: 'Unknown caller', what: 'In · Caller hung up · follow_up', number: '' });
  });
});

describe('myCallEnd', () => {
  it("says the caller's line was lost, who hung up, or how a call out went", () => {
    expect(myCallEnd(call({ lineLost: true }))).toBe("Caller's line lost");
    expect(myCallEnd(call({ direction: 'outbound', lineLost: true }))).toBe('Line lost');
    expect(myCallEnd(call({ direction: 'callback' }))).toBe('They hung up');
    expect(myCallEnd(call({ endedBy: 'system' }))).toBe('Ended');
    expect(myCallEnd(call({ direction: 'outbound', disposition: 'no-answer', endedBy: 'system' }))).toBe(
      'No answer',
    );
    expect(myCallEnd(call({ disposition: 'lost', endedBy: 'asterisk' }))).toBe('Cut off');
    expect(myCallEnd(call({ state: 'open', disposition: null, endedBy: null }))).toBe('On now');
  });
});

describe('talkTime', () => {
  it('reads m:ss, and h:mm:ss past the hour', () => {
    expect(talkTime(0)).toBe('0:00');
    expect(talkTime(59.6)).toBe('1:00');
    expect(talkTime(3725)).toBe('1:02:05');
    expect(talkTime(null)).toBe('');
  });
});
