/** The softphone's words for why a call ended (src/web/softphone/call-end.js), whichever news comes first. */
import { describe, expect, it } from 'vitest';
import {
  answeredByText,
  CALL_ENDED,
  CallEnd,
  hangupText,
  LEFT_CONFERENCE,
  NEWS_GRACE_MS,
  RANG_OUT,
  STOPPED_RINGING,
  transferredText,
  UNANSWERED,
  YOU_HUNG_UP,
} from '../../../src/web/softphone/call-end.js';

const clock = () => {
  const c = { t: 1_000_000, now: () => c.t };
  return c;
};
const CALLER = { by: 'caller' };
const LOST = { by: 'caller', lineLost: true };

describe('hangupText', () => {
  it("says the caller hung up or their line was lost, and for a call out, the other end's", () => {
    expect(hangupText(CALLER, 'inbound')).toBe('The caller hung up');
    expect(hangupText(LOST, 'inbound')).toBe("The caller's line was lost: no sound came from it");
    expect(hangupText(CALLER, 'outbound')).toBe('The other end hung up');
    expect(hangupText(LOST, 'outbound')).toBe('The line was lost: no sound came from the other end');
  });

  it('says nothing of an end the service or an agent made (the page words those itself)', () => {
    for (const by of ['system', 'agent', 'asterisk']) expect(hangupText({ by }, 'inbound')).toBe('');
  });
});

describe('CallEnd', () => {
  it('says nothing while the call is on, then why it ended, whether the news came before or after the session ended', () => {
    const before = new CallEnd();
    before.begin('i-1');
    expect(before.heard('i-1', CALLER, 'inbound')).toBe(false); // nothing shown yet
    expect(before.text()).toBe('');
    before.ended(true);
    expect(before.text()).toBe('The caller hung up');

    const after = new CallEnd();
    after.begin('i-1');
    after.ended(true);
    expect(after.text()).toBe(CALL_ENDED);
    expect(after.heard('i-1', LOST, 'inbound')).toBe(true);
    expect(after.text()).toBe("The caller's line was lost: no sound came from it");
    expect(after.heard('i-1', LOST, 'inbound')).toBe(false); // told twice: nothing changes
  });

  it("keeps the agent's own action over the far end's news", () => {
    const end = new CallEnd();
    end.begin('i-1');
    end.byAgent(YOU_HUNG_UP);
    end.ended(true);
    expect(end.heard('i-1', CALLER, 'inbound')).toBe(false);
    expect(end.text()).toBe(YOU_HUNG_UP);

    const transferred = new CallEnd();
    transferred.begin('i-2');
    transferred.byAgent(transferredText('Dora'));
    transferred.ended(true);
    transferred.heard('i-2', CALLER, 'inbound');
    expect(transferred.text()).toBe('Transferred to Dora');
  });

  it('takes back the words of a refused action: the call goes on, and ends for its own reason', () => {
    const end = new CallEnd();
    end.begin('i-1');
    end.byAgent(LEFT_CONFERENCE);
    end.withdraw(LEFT_CONFERENCE);
    end.withdraw(YOU_HUNG_UP); // not the words standing: nothing taken back
    end.ended(true);
    expect(end.text()).toBe(CALL_ENDED);
    end.byAgent(YOU_HUNG_UP);
    end.withdraw(LEFT_CONFERENCE);
    expect(end.text()).toBe(YOU_HUNG_UP);
  });

  it("takes no news of another call, nor of this one once it ended long ago (a transferred caller's later hang-up)", () => {
    const c = clock();
    const end = new CallEnd(c.now);
    end.begin('i-1');
    end.ended(true);
    expect(end.heard('i-2', CALLER, 'inbound')).toBe(false);
    expect(end.heard('', CALLER, 'inbound')).toBe(false);
    c.t += NEWS_GRACE_MS + 1;
    expect(end.heard('i-1', CALLER, 'inbound')).toBe(false);
    expect(end.text()).toBe(CALL_ENDED);
    c.t -= 2;
    expect(end.heard('i-1', CALLER, 'inbound')).toBe(true); // within the grace
  });

  it('says a call that never connected stopped ringing, no more, and a new call starts with nothing said', () => {
    const end = new CallEnd();
    end.begin('i-1');
    end.ended(false);
    expect(end.text()).toBe(STOPPED_RINGING);
    end.ended(true); // a second end of the same session changes nothing
    expect(end.text()).toBe(STOPPED_RINGING);
    end.begin('i-2');
    expect(end.text()).toBe('');
    expect(end.textFor('i-1')).toBe('');
  });

  it('says why a call that only rang here stopped: it rang out, a colleague answered, the caller hung up', () => {
    const rang = new CallEnd();
    rang.begin('i-1');
    expect(rang.heardRing('i-1', RANG_OUT)).toBe(false); // still ringing: nothing shown yet
    rang.ended(false);
    expect(rang.text()).toBe(RANG_OUT);
    // The first news stands: the caller, back in the line, taken by a colleague later is not why it stopped here.
    expect(rang.heardRing('i-1', answeredByText('Dora'))).toBe(false);
    expect(rang.text()).toBe(RANG_OUT);

    const elsewhere = new CallEnd();
    elsewhere.begin('i-2');
    elsewhere.ended(false);
    expect(elsewhere.text()).toBe(STOPPED_RINGING);
    expect(elsewhere.heardRing('i-2', answeredByText('Dora'))).toBe(true);
    expect(elsewhere.text()).toBe('Answered by Dora');

    const gaveUp = new CallEnd();
    gaveUp.begin('i-3');
    gaveUp.heardRing('i-3', UNANSWERED);
    gaveUp.ended(false);
    expect(gaveUp.text()).toBe('Caller hung up before answer');
  });

  it("keeps a ring's news off a call answered here, and a call's news off one that only rang", () => {
    const talked = new CallEnd();
    talked.begin('i-1');
    talked.heardRing('i-1', answeredByText('Dora')); // a colleague took the caller on from the queue later
    talked.ended(true);
    expect(talked.text()).toBe(CALL_ENDED);

    const rang = new CallEnd();
    rang.begin('i-2');
    rang.heard('i-2', CALLER, 'inbound');
    rang.ended(false);
    expect(rang.text()).toBe(STOPPED_RINGING);
    rang.byAgent('Rejected');
    expect(rang.text()).toBe('Rejected');
  });

  it('gives the wrap-up form the words of its own call only', () => {
    const end = new CallEnd();
    end.begin('i-1');
    end.ended(true);
    end.heard('i-1', CALLER, 'outbound');
    expect(end.textFor('i-1')).toBe('The other end hung up');
    expect(end.textFor('i-9')).toBe('');
    expect(end.textFor('')).toBe('');
  });
});
