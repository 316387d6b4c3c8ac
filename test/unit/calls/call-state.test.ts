import { describe, expect, it } from 'vitest';
import {
  CALL_INPUTS,
  CALL_STATES,
  type CallInput,
  type CallState,
  transition,
} from '../../../src/calls/call-state.js';

const LEGAL: Record<CallState, Partial<Record<CallInput, CallState>>> = {
  arrived: { answer: 'answered', 'system-hangup': 'hanging-up', 'channel-ended': 'ended', lost: 'ended' },
  answered: {
    'prompt-started': 'playing',
    'system-hangup': 'hanging-up',
    'channel-ended': 'ended',
    lost: 'ended',
  },
  playing: {
    'prompt-ended': 'answered',
    'system-hangup': 'hanging-up',
    'channel-ended': 'ended',
    lost: 'ended',
  },
  'hanging-up': { 'prompt-ended': 'hanging-up', 'channel-ended': 'ended', lost: 'ended' },
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
});
