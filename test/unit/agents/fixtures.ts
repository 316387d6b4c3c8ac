import {
  type AgentInput,
  type AgentInputType,
  type AgentSeat,
  type AgentStateType,
  createSeat,
  transitionSeat,
} from '../../../src/agents/index.js';

export const T0 = 1_700_000_000_000;

/** Applies inputs in order and fails loudly if any is refused, so fixtures cannot drift silently. */
export function drive(seat: AgentSeat, inputs: AgentInput[], now = T0): AgentSeat {
  let current = seat;
  for (const input of inputs) {
    const result = transitionSeat(current, input, now);
    if (!result.ok) throw new Error(`fixture step refused: ${result.code} ${result.reason}`);
    current = result.seat;
  }
  return current;
}

/** A seat in each state, reached only through legal transitions. Interaction in flight is `i1`. */
export function seatIn(state: AgentStateType, agentId = 'a1'): AgentSeat {
  const fresh = createSeat(agentId, T0);
  const login: AgentInput = { type: 'login', endpoint: 'PJSIP/a1' };
  const offer: AgentInput = { type: 'offer', interactionId: 'i1', queueId: 'q1' };
  const answer: AgentInput = { type: 'answer', interactionId: 'i1' };
  switch (state) {
    case 'logged_out':
      return fresh;
    case 'available':
      return drive(fresh, [login]);
    case 'not_ready':
      return drive(fresh, [login, { type: 'notReady', reason: 'break' }]);
    case 'offered':
      return drive(fresh, [login, offer]);
    case 'talking':
      return drive(fresh, [login, offer, answer]);
    case 'on_hold':
      return drive(fresh, [login, offer, answer, { type: 'hold', interactionId: 'i1' }]);
    case 'wrap_up':
      return drive(fresh, [login, offer, answer, { type: 'hangup', interactionId: 'i1', wrapUpSeconds: 30 }]);
  }
}

/** One well-formed example of each input, consistent with the fixtures above. */
export const SAMPLE_INPUTS: Record<AgentInputType, AgentInput> = {
  login: { type: 'login', endpoint: 'PJSIP/a1' },
  logout: { type: 'logout' },
  ready: { type: 'ready' },
  notReady: { type: 'notReady', reason: 'lunch' },
  offer: { type: 'offer', interactionId: 'i2', queueId: 'q1' },
  answer: { type: 'answer', interactionId: 'i1' },
  reject: { type: 'reject', interactionId: 'i1' },
  ringTimeout: { type: 'ringTimeout', interactionId: 'i1' },
  unreachable: { type: 'unreachable', interactionId: 'i1' },
  phoneReachable: { type: 'phoneReachable' },
  offerCancelled: { type: 'offerCancelled', interactionId: 'i1' },
  hold: { type: 'hold', interactionId: 'i1' },
  resume: { type: 'resume', interactionId: 'i1' },
  hangup: { type: 'hangup', interactionId: 'i1', wrapUpSeconds: 10 },
  extendWrapUp: { type: 'extendWrapUp', seconds: 30 },
  wrapUpExpired: { type: 'wrapUpExpired' },
  wrapUpDone: { type: 'wrapUpDone' },
  outboundStart: { type: 'outboundStart', interactionId: 'o1' },
  resetDailyCounters: { type: 'resetDailyCounters' },
  resumeAfterRestart: {
    type: 'resumeAfterRestart',
    interactionId: 'i3',
    queueId: 'q1',
    answeredAt: T0 - 5000,
  },
};
