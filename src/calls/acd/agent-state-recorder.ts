import type { Logger } from 'pino';
import type { EventHub } from '../../events/event-hub.js';
import type { AgentEventLog } from '../../store/agent-event-log.js';

interface SeatStateData {
  type: string;
  reason?: string;
  /** Offered and wrap-up states name their call here; talking and on hold in `call`. */
  interactionId?: string;
  call?: { interactionId: string };
  /** Wrap-up's end: epoch ms on `agent.state`, ISO on `agent.seat` (the API's form). */
  until?: number | string;
}

/**
 * Keeps every agent state change from the live stream in the agent-state log (personal stats, time-in-state
 * reports and the seats a restart gives back read it), and a wrap-up's new end when it is extended (a row
 * from wrap-up to wrap-up), so a restart ends it when it is now due.
 */
export function recordAgentStates(hub: EventHub, agentLog: AgentEventLog, logger: Logger): () => void {
  const wrapEnds = new Map<string, number>();
  const write = (agentId: string, append: Promise<void>) =>
    void append.catch((error) => logger.error({ err: error, agentId }, 'agent event write failed'));
  return hub.subscribe((event) => {
    const at = Date.parse(event.at);
    if (event.type === 'agent.state') {
      const data = event.data as {
        agentId: string;
        from: { type: string };
        to: SeatStateData;
        by?: 'supervisor';
        supervisor?: { id: string };
      };
      const until = endOf(data.to);
      if (until === undefined) wrapEnds.delete(data.agentId);
      else wrapEnds.set(data.agentId, until);
      write(
        data.agentId,
        agentLog.append({
          agentId: data.agentId,
          at,
          from: data.from.type,
          to: data.to.type,
          reason: data.to.reason,
          interactionId: data.to.interactionId ?? data.to.call?.interactionId,
          until,
          ...(data.by ? { changedBy: data.by } : {}),
          ...(data.supervisor ? { changedBySupervisor: data.supervisor.id } : {}),
        }),
      );
      return;
    }
    if (event.type !== 'agent.seat') return;
    const { agentId, state } = event.data as { agentId: string; state: SeatStateData };
    const until = endOf(state);
    // Other news of a seat in wrap-up (a not ready chosen for after it) leaves its end as it was.
    if (until === undefined || wrapEnds.get(agentId) === until) return;
    wrapEnds.set(agentId, until);
    write(
      agentId,
      agentLog.append({
        agentId,
        at,
        from: 'wrap_up',
        to: 'wrap_up',
        reason: 'wrap_up_extended',
        interactionId: state.interactionId,
        until,
      }),
    );
  });
}

function endOf(state: SeatStateData): number | undefined {
  if (state.type !== 'wrap_up' || state.until === undefined) return undefined;
  return typeof state.until === 'number' ? state.until : Date.parse(state.until);
}
