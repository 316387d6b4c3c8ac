/**
 * The life of one call leg as the service sees it. A table, so every legal move is visible in one place
 * and anything else is refused with a reason instead of being silently applied.
 */
export type CallState = 'arrived' | 'answered' | 'playing' | 'hanging-up' | 'ended';

export type CallInput =
  | 'answer'
  | 'prompt-started'
  | 'prompt-ended'
  | 'system-hangup'
  | 'channel-ended'
  | 'lost';

const TRANSITIONS: Record<CallState, Partial<Record<CallInput, CallState>>> = {
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

export type Transition =
  | { ok: true; from: CallState; to: CallState }
  | { ok: false; code: 'CALL_TRANSITION_REFUSED'; reason: string };

export function transition(state: CallState, input: CallInput): Transition {
  const to = TRANSITIONS[state][input];
  if (to === undefined) {
    return {
      ok: false,
      code: 'CALL_TRANSITION_REFUSED',
      reason: `a call that is ${state} cannot take '${input}'`,
    };
  }
  return { ok: true, from: state, to };
}

export const CALL_STATES = Object.keys(TRANSITIONS) as CallState[];
export const CALL_INPUTS: CallInput[] = [
  'answer',
  'prompt-started',
  'prompt-ended',
  'system-hangup',
  'channel-ended',
  'lost',
];
