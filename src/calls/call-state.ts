/**
 * The life of one caller leg as the service sees it. A table, so every legal move is visible in one place
 * and anything else is refused with a reason instead of being silently applied. Prompts are not states:
 * they play within `answered` (IVR) and `queued` (announcements).
 */
export type CallState = 'arrived' | 'answered' | 'queued' | 'connected' | 'hanging-up' | 'ended';

export type CallInput =
  | 'answer'
  | 'enqueue'
  | 'leave-queue'
  | 'connect'
  | 'system-hangup'
  | 'channel-ended'
  | 'lost';

const ENDINGS = { 'system-hangup': 'hanging-up', 'channel-ended': 'ended', lost: 'ended' } as const;

const TRANSITIONS: Record<CallState, Partial<Record<CallInput, CallState>>> = {
  arrived: { answer: 'answered', ...ENDINGS },
  answered: { enqueue: 'queued', ...ENDINGS },
  // enqueue again: overflow from one queue into another keeps the caller queued.
  queued: { enqueue: 'queued', 'leave-queue': 'answered', connect: 'connected', ...ENDINGS },
  connected: { ...ENDINGS },
  'hanging-up': { 'channel-ended': 'ended', lost: 'ended' },
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
  'enqueue',
  'leave-queue',
  'connect',
  'system-hangup',
  'channel-ended',
  'lost',
];
