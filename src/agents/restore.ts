import { RESTART_REASON } from './schema.js';
import { type AgentSeat, type AgentStateType, createSeat } from './seat.js';

/** An agent's last state change as the agent-state log has it. */
export interface LastSeatChange {
  at: number;
  to: string;
  reason?: string;
}

/**
 * The seat an agent gets back after a short restart of the service, from their last logged state change:
 * available stays available (idle since then, so longest-idle ranks them as before), not ready keeps its
 * reason; an agent whose phone was ringing is available again, as when an offer is withdrawn (the new run
 * offers the caller afresh); an agent who was on a call (talking, on hold, in wrap-up), which the restart
 * may have cut, comes back not ready (`service_restarted`): the new run puts them back on a call it carries
 * on, and otherwise they choose when to take the next one. Undefined: logged out.
 */
export function seatAfterRestart(
  agentId: string,
  endpoint: string,
  last: LastSeatChange | undefined,
  now: number,
): AgentSeat | undefined {
  const was = last?.to as AgentStateType | undefined;
  if (!last || !was || was === 'logged_out') return undefined;
  const seat: AgentSeat = { ...createSeat(agentId, last.at), endpoint };
  if (was === 'available') return { ...seat, state: { type: 'available' }, availableSince: last.at };
  // Not the agent's doing. Idle since the offer: the log's last change (their idle time before it is not in it).
  if (was === 'offered') return { ...seat, state: { type: 'available' }, availableSince: last.at };
  if (was === 'not_ready') {
    return { ...seat, state: { type: 'not_ready', reason: last.reason ?? RESTART_REASON } };
  }
  return { ...seat, state: { type: 'not_ready', reason: RESTART_REASON }, stateSince: now };
}
