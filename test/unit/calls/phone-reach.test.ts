import { describe, expect, it } from 'vitest';
import {
  asteriskRefusedTheCall,
  refusedCallReason,
  UNREACHABLE_CAUSES,
  unreachableReason,
} from '../../../src/calls/phone-reach.js';
import { AriRequestError } from '../../../src/telephony/ari/rest.js';

describe('telling a phone that cannot be rung from an agent who declines, or from Asterisk being down', () => {
  it('an originate Asterisk refused blames the phone; one Asterisk never answered does not', () => {
    expect(asteriskRefusedTheCall(new AriRequestError('POST', '/channels', 500, 'Allocation failed'))).toBe(
      true,
    );
    expect(asteriskRefusedTheCall(new AriRequestError('POST', '/channels', 0, 'connect ECONNREFUSED'))).toBe(
      false,
    );
    expect(asteriskRefusedTheCall(new Error('timed out'))).toBe(false);
  });

  it("counts 'never reached' causes as unreachable and the phone's own answers as a decline", () => {
    // 404 unallocated, 408 no response, 480-style absent, 502 out of order, 503 congestion, 504 timer expiry
    for (const cause of [1, 18, 20, 27, 34, 42, 102]) expect(UNREACHABLE_CAUSES.has(cause)).toBe(true);
    // normal clearing, busy (486), no answer (480: also the softphone's Reject button), rejected (403/603)
    for (const cause of [16, 17, 19, 21]) expect(UNREACHABLE_CAUSES.has(cause)).toBe(false);
  });

  it('says why, for the timeline: the refused call, or the cause the leg ended with', () => {
    const refused = new AriRequestError('POST', '/channels', 500, 'Allocation failed');
    expect(refusedCallReason('PJSIP/desk1', refused)).toBe(
      'could not call PJSIP/desk1: ARI POST /channels failed with 500: Allocation failed',
    );
    expect(refusedCallReason('PJSIP/desk1', new AriRequestError('POST', '/channels', 0, 'timed out'))).toBe(
      undefined,
    );
    const ended = { type: 'channel.ended', at: 0, channelId: 'c1', causeText: 'Congestion' } as const;
    expect(unreachableReason({ ...ended, cause: 34 })).toBe('Congestion (cause 34)');
    expect(unreachableReason({ ...ended, cause: 17, causeText: 'User busy' })).toBeUndefined();
    expect(unreachableReason({ type: 'channel.left-app', at: 0, channelId: 'c1' })).toBeUndefined();
  });
});
