import { RESTART_REASON } from './schema.js';
import { type AfterWrapUp, type AgentSeat, type AgentStateType, createSeat } from './seat.js';

/** An agent's last state change as the agent-state log has it. */
export interface LastSeatChange {
  at: number;
  to: string;
  reason?: string;
  interactionId?: string;
  /** Into wrap-up: when it was due to end. */
  until?: number;
  /**
   * Talking, but the caller was not put through to them yet: they had answered a queue's offer and heard
   * its announcement (`agentAnnouncement`). No conversation of theirs for the new run to carry on.
   */
  beforeConnect?: boolean;
}

/** The call an agent was wrapping up, as its record has it. */
export interface WrapUpCall {
  queueId: string | null;
  /** What the agent chose for after it (during the call or the wrap-up); available when nothing. */
  after: AfterWrapUp;
  /** When the wrap-up began, when the last change was an extension of it. */
  startedAt?: number;
}

/**
 * The seat an agent gets back after a short restart of the service, from their last logged state change:
 * available stays available (idle since then, so longest-idle ranks them as before), not ready keeps its
 * reason; an agent whose phone was ringing, or who had answered and was hearing the queue's announcement,
 * is available again, as when an offer is withdrawn (the new run offers the caller afresh); an agent in wrap-up gets the rest of it, then what they chose for after the
 * call (one whose wrap-up ran out while the service was away has that at once); an agent who was on a call
 * (talking, on hold), which the restart may have cut, comes back not ready (`service_restarted`): the new
 * run puts them back on a call it carries on, and otherwise they choose when to take the next one (so does
 * an agent in a wrap-up whose end was not logged). Undefined: logged out.
 */
export function seatAfterRestart(
  agentId: string,
  endpoint: string,
  last: LastSeatChange | undefined,
  now: number,
  wrapping?: WrapUpCall,
): AgentSeat | undefined {
  const was = last?.to as AgentStateType | undefined;
  if (!last || !was || was === 'logged_out') return undefined;
  const seat: AgentSeat = { ...createSeat(agentId, last.at), endpoint };
  if (was === 'wrap_up' && last.until !== undefined && last.interactionId !== undefined) {
    const after = wrapping?.after ?? { type: 'available' };
    if (last.until > now) {
      const state = {
        type: 'wrap_up',
        interactionId: last.interactionId,
        queueId: wrapping?.queueId ?? null,
        until: last.until,
        after,
      } as const;
      const startedAt = wrapping?.startedAt ?? last.at;
      return { ...seat, state, stateSince: startedAt, lastCallEndedAt: startedAt };
    }
    if (after.type === 'not_ready') return { ...seat, state: { ...after }, stateSince: now };
    return { ...seat, state: { type: 'available' }, availableSince: last.until, stateSince: now };
  }
  if (was === 'available') return { ...seat, state: { type: 'available' }, availableSince: last.at };
  // Not the agent's doing. Idle since the offer: the log's last change (their idle time before it is not in it).
  if (was === 'offered' || (was === 'talking' && last.beforeConnect))
    return { ...seat, state: { type: 'available' }, availableSince: last.at };
  if (was === 'not_ready') {
    return { ...seat, state: { type: 'not_ready', reason: last.reason ?? RESTART_REASON } };
  }
  return { ...seat, state: { type: 'not_ready', reason: RESTART_REASON }, stateSince: now };
}
