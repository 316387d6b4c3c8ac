import { describe, expect, it } from 'vitest';
import { RESTART_REASON, seatAfterRestart } from '../../../src/agents/index.js';

const NOW = 1_800_000_000_000;
const AT = NOW - 60_000;

describe('seatAfterRestart (the seat an agent gets back after a short restart)', () => {
  it('keeps an available agent available, idle since their last change (longest idle ranks as before)', () => {
    expect(seatAfterRestart('a1', 'PJSIP/a1', { at: AT, to: 'available' }, NOW)).toEqual({
      agentId: 'a1',
      endpoint: 'PJSIP/a1',
      state: { type: 'available' },
      stateSince: AT,
      availableSince: AT,
      lastCallEndedAt: null,
      callsHandledToday: 0,
    });
  });

  it('keeps not ready with its reason', () => {
    const seat = seatAfterRestart('a1', 'PJSIP/a1', { at: AT, to: 'not_ready', reason: 'lunch' }, NOW);
    expect(seat).toMatchObject({
      state: { type: 'not_ready', reason: 'lunch' },
      stateSince: AT,
      availableSince: null,
    });
  });

  it('an agent who answered an offer and heard its announcement, not yet put through, is available again', () => {
    const change = { at: AT, to: 'talking', interactionId: 'i1' };
    expect(seatAfterRestart('a1', 'PJSIP/a1', { ...change, beforeConnect: true }, NOW)).toMatchObject({
      state: { type: 'available' },
      availableSince: AT,
    });
    // Put through (or on a call of their own): the new run may carry the conversation on.
    expect(seatAfterRestart('a1', 'PJSIP/a1', change, NOW)?.state).toEqual({
      type: 'not_ready',
      reason: 'service_restarted',
    });
  });

  it('makes an agent whose phone was ringing available again: the offer is gone, not by their doing', () => {
    expect(seatAfterRestart('a1', 'PJSIP/a1', { at: AT, to: 'offered' }, NOW)).toMatchObject({
      state: { type: 'available' },
      availableSince: AT,
    });
  });

  it('gives an agent in wrap-up the rest of it, for the call they were wrapping up', () => {
    const until = NOW + 20_000;
    const seat = seatAfterRestart(
      'a1',
      'PJSIP/a1',
      { at: AT, to: 'wrap_up', interactionId: 'i-1', until },
      NOW,
      { queueId: 'sales', after: { type: 'not_ready', reason: 'lunch' } },
    );
    expect(seat).toMatchObject({
      state: {
        type: 'wrap_up',
        interactionId: 'i-1',
        queueId: 'sales',
        until,
        after: { type: 'not_ready', reason: 'lunch' },
      },
      stateSince: AT, // the wrap-up's time counts from its start
      lastCallEndedAt: AT,
    });
    // Nothing on record for what follows: available, as a wrap-up ends by default.
    expect(
      seatAfterRestart('a1', 'PJSIP/a1', { at: AT, to: 'wrap_up', interactionId: 'i-1', until }, NOW)?.state,
    ).toMatchObject({ type: 'wrap_up', queueId: null, after: { type: 'available' } });
  });

  it('gives an agent whose wrap-up ran out while the service was away what they chose for after it', () => {
    const until = NOW - 10_000;
    const wrapUp = { at: AT, to: 'wrap_up', interactionId: 'i-1', until };
    expect(
      seatAfterRestart('a1', 'PJSIP/a1', wrapUp, NOW, { queueId: 'sales', after: { type: 'available' } }),
    ).toMatchObject({ state: { type: 'available' }, availableSince: until, stateSince: NOW });
    expect(
      seatAfterRestart('a1', 'PJSIP/a1', wrapUp, NOW, {
        queueId: 'sales',
        after: { type: 'not_ready', reason: 'lunch' },
      }),
    ).toMatchObject({ state: { type: 'not_ready', reason: 'lunch' }, stateSince: NOW });
  });

  it.each(['talking', 'on_hold', 'wrap_up', 'something-unknown'])(
    'brings an agent who was %s back not ready, since the restart: their call is gone (a wrap-up with no logged end too)',
    (to) => {
      expect(seatAfterRestart('a1', 'PJSIP/a1', { at: AT, to }, NOW)).toMatchObject({
        state: { type: 'not_ready', reason: RESTART_REASON },
        stateSince: NOW,
        endpoint: 'PJSIP/a1',
      });
    },
  );

  it('leaves an agent logged out who was, or of whom nothing is known', () => {
    expect(seatAfterRestart('a1', 'PJSIP/a1', { at: AT, to: 'logged_out' }, NOW)).toBeUndefined();
    expect(seatAfterRestart('a1', 'PJSIP/a1', undefined, NOW)).toBeUndefined();
  });
});
