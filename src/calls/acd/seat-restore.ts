import type { Logger } from 'pino';
import { RESTART_REASON } from '../../agents/schema.js';
import type { AgentDefinition } from '../../agents/schema.js';
import { type AgentSeat, createSeat, seatAfterRestart, type WrapUpCall } from '../../agents/index.js';
import type { AgentEventLog } from '../../store/agent-event-log.js';
import type { InteractionLog } from '../../store/interaction-log.js';
import { afterCallOf } from '../takeover.js';

export interface SeatRestoreOptions {
  agents: readonly AgentDefinition[];
  agentLog: AgentEventLog;
  /** When the previous run of the service was last known alive (undefined: this is the first run). */
  previousGoneAt: number | undefined;
  /** A restart that kept the service away at most this long gives agents their seats back; 0 never. */
  keepSeatsSeconds: number;
  now: number;
  logger: Logger;
  /** Queue calls each agent took today before the restart (fewest-calls compares them). */
  handledToday?: ReadonlyMap<string, number>;
  /** Where the calls agents were wrapping up are on record (their queue, the agent's choice for after). */
  log?: InteractionLog;
}

export interface RestoredSeats {
  seats: Record<string, AgentSeat>;
  /**
   * Agents who start logged out (a long absence, or the option off) but were talking or had a caller on
   * hold: they come back not ready (`service_restarted`) only so the new run can carry that conversation on
   * (it may well still be up in Asterisk: a deploy must not cut callers off). Those who get no call back are
   * logged out once the calls are reconciled (AcdRuntime.releaseSeatsHeldForCalls).
   */
  heldForCalls: string[];
}

/** A conversation the agent was in when the service went: it may have outlived the service. */
const IN_CONVERSATION = new Set(['talking', 'on_hold']);

/**
 * The seats agents get back when the service starts (the router's state lives in memory). After a short
 * absence each agent comes back as their last logged state says (see seatAfterRestart); after a long one,
 * or with the option off, everyone starts logged out, except that an agent who was in a conversation is
 * held for it (see RestoredSeats). Either way the agent-state log says what happened, so time-in-state
 * figures do not count the service's absence as time available or on a call.
 */
export async function seatsAfterRestart(options: SeatRestoreOptions): Promise<RestoredSeats> {
  const { agents, agentLog, previousGoneAt, keepSeatsSeconds, now, logger } = options;
  const away = previousGoneAt === undefined ? undefined : now - previousGoneAt;
  const keep = keepSeatsSeconds > 0 && away !== undefined && away <= keepSeatsSeconds * 1000;
  const last = await agentLog.lastChanges(agents.map((agent) => agent.id));
  const seats: Record<string, AgentSeat> = {};
  const heldForCalls: string[] = [];
  const writes: Promise<void>[] = [];
  let loggedOut = 0;
  for (const agent of agents) {
    const change = last.get(agent.id);
    if (!change || change.to === 'logged_out') continue;
    const wrapping =
      keep && change.to === 'wrap_up' && change.interactionId && options.log
        ? await wrapUpCall(options.log, agentLog, agent.id, change.interactionId, change.from)
        : undefined;
    const beforeConnect =
      keep && change.to === 'talking' && change.interactionId && options.log
        ? await answeredNotPutThrough(options.log, agent.id, change.interactionId)
        : false;
    const seat = keep
      ? seatAfterRestart(
          agent.id,
          agent.endpoint,
          beforeConnect ? { ...change, beforeConnect } : change,
          now,
          wrapping,
        )
      : undefined;
    if (seat) {
      seats[agent.id] = seat;
      if (seat.state.type !== change.to) {
        writes.push(
          agentLog.append({
            agentId: agent.id,
            at: now,
            from: change.to,
            to: seat.state.type,
            reason: RESTART_REASON,
          }),
        );
      }
    } else {
      loggedOut++;
      // Logged out from when the service went away (never before their own last change).
      const goneAt = Math.max(change.at, previousGoneAt ?? now);
      const held = IN_CONVERSATION.has(change.to) && goneAt < now;
      writes.push(
        agentLog
          .append({
            agentId: agent.id,
            at: goneAt,
            from: change.to,
            to: 'logged_out',
            reason: 'service_stopped',
          })
          .then(() =>
            held
              ? agentLog.append({
                  agentId: agent.id,
                  at: now,
                  from: 'logged_out',
                  to: 'not_ready',
                  reason: RESTART_REASON,
                })
              : undefined,
          ),
      );
      if (held) {
        seats[agent.id] = {
          ...createSeat(agent.id, now),
          endpoint: agent.endpoint,
          state: { type: 'not_ready', reason: RESTART_REASON },
          stateSince: now,
        };
        heldForCalls.push(agent.id);
      }
    }
  }
  await Promise.all(writes);
  // Today's counts go on whether the seat was kept or not: a restart must not make an agent "fresh".
  for (const [agentId, calls] of options.handledToday ?? []) {
    const agent = agents.find((a) => a.id === agentId);
    if (!agent) continue;
    seats[agentId] = { ...(seats[agentId] ?? createSeat(agentId, now)), callsHandledToday: calls };
  }
  logger.info(
    {
      awaySeconds: away === undefined ? null : Math.round(away / 1000),
      keptSeats: Object.keys(seats).length - heldForCalls.length,
      loggedOut,
      heldForCalls,
    },
    keep ? 'agents keep their seats through the restart' : 'agents start logged out',
  );
  return { seats, heldForCalls };
}

/**
 * Whether the agent's call was a queue's offer they had answered but were not yet put through on (hearing
 * the queue's announcement): the last of the call's offers and connections naming them is an offer.
 */
async function answeredNotPutThrough(
  log: InteractionLog,
  agentId: string,
  interactionId: string,
): Promise<boolean> {
  const timeline = await log.timeline(interactionId);
  const theirs = timeline.filter((e) => {
    if (e.type !== 'acd.offered' && e.type !== 'acd.connected') return false;
    const payload = JSON.parse(e.payload) as { agentIds?: string[]; agentId?: string };
    return e.type === 'acd.offered'
      ? (payload.agentIds ?? []).includes(agentId)
      : payload.agentId === agentId;
  });
  return theirs.at(-1)?.type === 'acd.offered';
}

/**
 * The call an agent was wrapping up: its queue, the agent's last word on what follows it, and when the
 * wrap-up began if the last change was its extension.
 */
async function wrapUpCall(
  log: InteractionLog,
  agentLog: AgentEventLog,
  agentId: string,
  interactionId: string,
  /** The state the last change left: wrap-up itself when it was an extension. */
  from: string,
): Promise<WrapUpCall> {
  const [row, timeline] = await Promise.all([log.get(interactionId), log.timeline(interactionId)]);
  return {
    queueId: row?.queue_id ?? null,
    after: afterCallOf(timeline, agentId).after ?? { type: 'available' },
    ...(from === 'wrap_up' ? { startedAt: await agentLog.wrapUpStart(agentId) } : {}),
  };
}
