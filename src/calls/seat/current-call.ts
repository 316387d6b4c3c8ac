/** The agent's live call as the verbs see it, and the seat inputs that start or end the agent's part in it. */
import type { ConferenceMember } from '../../interactions/events.js';
import type { AcdRuntime } from '../acd/acd-runtime.js';
import { SeatRefusal, targetIdOf } from './refusal.js';
import { closeHoldInBooks } from './hold.js';
import { resumeRecordingOnHandOver } from './recording-pause.js';
import type { SeatDeps } from './seat-deps.js';
import type { LegRef } from './seat-record.js';

/** The agent's live call on this interaction: its caller session, the agent's leg and the bridge. */
export function currentCall(deps: SeatDeps, agentId: string, interactionId: string) {
  const { acd } = deps;
  const seat = acd.router.seat(agentId);
  if (!seat) throw new SeatRefusal(404, 'AGENT_NOT_FOUND', `no agent with id ${agentId}`);
  const state = seat.state;
  const onCall =
    (state.type === 'talking' || state.type === 'on_hold') && state.call.interactionId === interactionId;
  if (!onCall) {
    throw new SeatRefusal(
      409,
      'NO_ACTIVE_CALL',
      `${agentId} is ${state.type.replace('_', ' ')}, not on interaction ${interactionId}`,
    );
  }
  const session = acd.calls.get(interactionId);
  const leg = agentLegOf(deps, interactionId, agentId);
  const bridgeId = acd.bridges.get(interactionId);
  if (!session?.isLive || !leg || leg.state !== 'connected' || !bridgeId) {
    throw new SeatRefusal(409, 'CALL_NOT_BRIDGED', `interaction ${interactionId} has no live conversation`);
  }
  return { session, leg, bridgeId, onHold: state.type === 'on_hold' };
}

/** One seat input through the ACD runtime; a refusal becomes a 409 with the state machine's code. */
export function seatInput(deps: SeatDeps, input: Parameters<AcdRuntime['input']>[0] & { type: 'agent' }) {
  const refusals = deps.acd.input(input, 'request');
  if (refusals.length > 0) throw new SeatRefusal(409, refusals[0]!.code, refusals[0]!.reason);
}

/**
 * The agent's live leg on a call: the ACD's (offered, outbound) or, for an agent who took the call by a
 * transfer or a conference, the seat leg that reached them.
 */
export function agentLegOf(deps: SeatDeps, interactionId: string, agentId: string): LegRef | undefined {
  const acdLeg = deps.acd.legs.find(interactionId, agentId);
  if (acdLeg) return acdLeg;
  for (const leg of deps.record.legs.values()) {
    if (
      leg.interactionId === interactionId &&
      leg.purpose === 'transfer' &&
      leg.target.type === 'agent' &&
      leg.target.agentId === agentId
    ) {
      return leg;
    }
  }
  return undefined;
}

/** The agent leaves the conversation: wrap-up for the seat, their leg hung up as expected. */
export function releaseAgent(deps: SeatDeps, agentId: string, interactionId: string, leg: LegRef): void {
  const { acd } = deps;
  // The leg the agent holds now: a rejoin (page reloaded) may have replaced `leg` while the verb awaited.
  const current = agentLegOf(deps, interactionId, agentId) ?? leg;
  // Their part of the call, for the agent report, unless a queue stay of theirs keeps it; written before the
  // seat leaves the call (the stay's own write comes with that), in the same queue of writes. A callback's
  // seat knows the call as the request, but its figures are the conversation's: the part is that one's.
  const seat = acd.router.seat(agentId)?.state;
  const talked = acd.calls.get(interactionId)?.interactionId;
  if (
    talked &&
    (seat?.type === 'talking' || seat?.type === 'on_hold') &&
    seat.call.interactionId === interactionId
  ) {
    const at = acd.now();
    const holdMs = seat.call.holdMs + (seat.type === 'on_hold' ? at - seat.heldAt : 0);
    void acd.options.log
      ?.agentHandedOver(talked, agentId, seat.call.answeredAt, at, holdMs / 1000)
      .catch((error) =>
        acd.logger.warn({ err: error, interactionId: talked, agentId }, 'hand-over part not written'),
      );
  }
  void resumeRecordingOnHandOver(deps, agentId, interactionId);
  // Given away on hold (a transfer, leaving a conference): the hold ends here, and counts.
  const held = deps.record.held.get(interactionId);
  deps.record.held.delete(interactionId);
  const session = acd.calls.get(interactionId);
  if (held && session) closeHoldInBooks(deps, session, held, { handedOver: true });
  // Explicit: an agent who took the call by transfer holds it as their own (outboundStart), whose
  // wrap-up the router would count as none; the call's queue decides (agent override first).
  const queueId = acd.calls.get(interactionId)?.queue?.queueId || undefined;
  acd.input({
    type: 'agent',
    agentId,
    input: { type: 'hangup', interactionId, wrapUpSeconds: wrapUpSeconds(deps, agentId, queueId) },
  });
  void acd.hangupLeg(current);
  if (current.channelId !== leg.channelId) void acd.hangupLeg(leg);
}

/** An agent's wrap-up time: their own override first, else the call's queue's, else none. */
export function wrapUpSeconds(deps: SeatDeps, agentId: string, queueId: string | undefined): number {
  const own = deps.options.agents().find((a) => a.id === agentId)?.wrapUpSeconds;
  if (own !== undefined) return own;
  return deps.acd.options.queues.find((q) => q.id === queueId)?.wrapUpSeconds ?? 0;
}

/** Who a channel in the call's bridge is, as the timeline names them (the conference audio check). */
export function conferenceMemberOf(
  deps: SeatDeps,
  interactionId: string,
  channelId: string,
): ConferenceMember {
  if (deps.acd.calls.get(interactionId)?.channelId === channelId) return { who: 'customer', channelId };
  const acdLeg = deps.acd.legs.get(channelId);
  if (acdLeg) return { who: 'agent', id: acdLeg.agentId, channelId };
  const seatLeg = deps.record.legs.get(channelId);
  if (seatLeg?.purpose === 'outbound-agent') return { who: 'agent', id: seatLeg.fromAgentId, channelId };
  if (seatLeg?.target.type === 'agent') return { who: 'agent', id: seatLeg.target.agentId, channelId };
  if (seatLeg) return { who: 'party', id: targetIdOf(seatLeg.target), channelId };
  return deps.supervisorOn(channelId) ?? { who: 'other', channelId };
}
