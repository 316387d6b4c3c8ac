import { describe, expect, it } from 'vitest';
import {
  CALL_INPUTS,
  CALL_STATES,
  type CallInput,
  type CallState,
  transition,
} from '../../../src/calls/call-state.js';

const ENDINGS = { 'system-hangup': 'hanging-up', 'channel-ended': 'ended', lost: 'ended' } as const;
// Written out independently of the implementation's table, so a changed rule fails here.
const LEGAL: Record<CallState, Partial<Record<CallInput, CallState>>> = {
  arrived: { answer: 'answered', ...ENDINGS },
  answered: { enqueue: 'queued', ...ENDINGS },
  queued: { enqueue: 'queued', 'leave-queue': 'answered', connect: 'connected', ...ENDINGS },
  connected: { ...ENDINGS },
  'hanging-up': { 'channel-ended': 'ended', lost: 'ended' },
  ended: {},
};

describe('call state machine', () => {
  for (const state of CALL_STATES) {
    for (const input of CALL_INPUTS) {
      const expected = LEGAL[state][input];
      it(`${state} + ${input} → ${expected ?? 'refused'}`, () => {
        const result = transition(state, input);
        if (expected) expect(result).toEqual({ ok: true, from: state, to: expected });
        else
          expect(result).toEqual({
            ok: false,
            code: 'CALL_TRANSITION_REFUSED',
            reason: `a call that is ${state} cannot take '${input}'`,
          });
      });
    }
  }
  it('covers every state', () => {
    expect(CALL_STATES.sort()).toEqual(Object.keys(LEGAL).sort());
  });
});
