import type { AgentInputType, AgentStateType, TransitionRefused } from './seat.js';

/** Picks a searchable code for an input the transition table has no entry for in the given state. */
function codeFor(state: AgentStateType, input: AgentInputType): { code: string; hint: string } {
  if (state === 'logged_out') return { code: 'AGENT_LOGGED_OUT', hint: 'log in first' };
  switch (input) {
    case 'login':
      return { code: 'AGENT_ALREADY_LOGGED_IN', hint: 'log out first to change device' };
    case 'offer':
      return { code: 'AGENT_NOT_AVAILABLE', hint: 'only available agents receive offers' };
    case 'answer':
    case 'reject':
    case 'ringTimeout':
    case 'unreachable':
    case 'offerCancelled':
      return { code: 'NO_OFFER_PENDING', hint: 'no call is ringing this agent' };
    case 'phoneReachable':
      return { code: 'NOT_SET_ASIDE_FOR_PHONE', hint: 'the seat is not set aside for its phone' };
    case 'hold':
      return state === 'on_hold'
        ? { code: 'CALL_ALREADY_ON_HOLD', hint: 'the call is already on hold' }
        : { code: 'NO_ACTIVE_CALL', hint: 'only a connected call can be held' };
    case 'resume':
      return state === 'talking'
        ? { code: 'CALL_NOT_ON_HOLD', hint: 'the call is not on hold' }
        : { code: 'NO_ACTIVE_CALL', hint: 'only a held call can be resumed' };
    case 'hangup':
      return { code: 'NO_ACTIVE_CALL', hint: 'there is no connected call to end' };
    case 'extendWrapUp':
    case 'wrapUpExpired':
    case 'wrapUpDone':
      return { code: 'NOT_IN_WRAP_UP', hint: 'the agent is not wrapping up' };
    case 'ready':
      if (state === 'available')
        return { code: 'AGENT_ALREADY_AVAILABLE', hint: 'the agent is already available' };
      return { code: 'AGENT_BUSY', hint: 'the agent is handling a call' };
    case 'notReady':
      return { code: 'AGENT_BUSY', hint: 'reject or answer the ringing call first' };
    case 'logout':
    case 'outboundStart':
      return { code: 'AGENT_BUSY', hint: 'the agent is handling a call' };
    default:
      return { code: 'ILLEGAL_TRANSITION', hint: 'not allowed by the agent state machine' };
  }
}

export function refuseIllegal(
  agentId: string,
  state: AgentStateType,
  input: AgentInputType,
): TransitionRefused {
  const { code, hint } = codeFor(state, input);
  return {
    ok: false,
    code,
    reason: `Agent "${agentId}" cannot accept "${input}" in state "${state}": ${hint}.`,
    state,
    input,
  };
}

/** A refusal for an input that is legal in this state but fails a guard (wrong interaction, bad number...). */
export function refuseGuard(
  agentId: string,
  state: AgentStateType,
  input: AgentInputType,
  code: string,
  detail: string,
): TransitionRefused {
  return {
    ok: false,
    code,
    reason: `Agent "${agentId}" cannot accept "${input}" in state "${state}": ${detail}.`,
    state,
    input,
  };
}
