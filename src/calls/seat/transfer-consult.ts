/**
 * Consulted transfer: the caller waits on hold (music), the agent's leg moves to a private bridge with the
 * target (an agent or a number) who is rung there. Then complete (caller ↔ target) or cancel (back to the caller).
 */
import { currentCall, releaseAgent } from './current-call.js';
import type { HoldVerbs } from './hold.js';
import {
  conferencePartiesOf,
  dialLeg,
  hangupSeatLeg,
  newLeg,
  startRingback,
  stopRingback,
  watchCallerEnd,
} from './legs.js';
import { SeatRefusal, type TransferTarget, targetIdOf } from './refusal.js';
import type { SeatDeps } from './seat-deps.js';
import type { Consultation, SeatLeg } from './seat-record.js';
import { agentLegOf } from './current-call.js';
import { freeTargetSeat, resolveParty } from './targets.js';

export type ConsultVerbs = ReturnType<typeof createConsultTransfer>;

export function createConsultTransfer(deps: SeatDeps, holding: HoldVerbs) {
  const { acd, record, options } = deps;

  async function consult(agentId: string, interactionId: string, target: TransferTarget): Promise<void> {
    const { session, leg, onHold } = currentCall(deps, agentId, interactionId);
    if (record.consults.has(interactionId)) {
      throw new SeatRefusal(409, 'CONSULT_IN_PROGRESS', 'a consultation is already in progress on this call');
    }
    if (conferencePartiesOf(deps, interactionId).length > 0) {
      throw new SeatRefusal(409, 'CONFERENCE_IN_PROGRESS', 'drop the conference party before consulting');
    }
    // A target refused (unknown, busy, barred) changes nothing: checked before the caller is put on hold.
    const resolved = resolveParty(deps, agentId, interactionId, target);
    const consultLeg = newLeg('consult', interactionId, agentId, target, session.queue?.queueId || undefined);
    if (!onHold) {
      try {
        await holding.hold(agentId, interactionId);
      } catch (error) {
        freeTargetSeat(deps, consultLeg, false);
        throw error;
      }
    }
    const ari = acd.telephony.ari;
    watchCallerEnd(deps, session);
    const consultBridge = `consult-${interactionId}`;
    const consultation = { leg: consultLeg, bridgeId: consultBridge, agentId, resumeAfter: !onHold };
    record.consults.set(interactionId, consultation);
    const step = (s: 'requested' | 'dialing') =>
      session.record({
        type: 'call.transferred',
        payload: {
          agentId,
          kind: 'consult',
          target: { type: target.type, id: resolved.targetId },
          step: s,
          channelId: s === 'dialing' ? consultLeg.channelId : undefined,
        },
      });
    void step('requested');
    try {
      await ari.createBridge({ bridgeId: consultBridge, type: 'mixing', name: consultBridge });
      await ari.addToBridge(consultBridge, leg.channelId);
      record.ringbacks.set(consultBridge, await startRingback(deps, consultBridge));
    } catch (error) {
      record.consults.delete(interactionId);
      freeTargetSeat(deps, consultLeg, false);
      await backToCaller(consultation);
      throw error;
    }
    const dialled = await dialLeg(deps, consultLeg, resolved.endpoint, session.legCallerId);
    if (!dialled) {
      const why = consultLeg.unreachable ?? 'the target could not be dialled';
      await consultEnded(consultLeg, why); // on the timeline as the consultation's 'failed' step
      throw new SeatRefusal(409, 'TARGET_UNREACHABLE', `${resolved.targetId} could not be rung: ${why}`);
    }
    void step('dialing');
    acd.hub.publish('call.consult', {
      interactionId,
      agentId,
      step: 'dialing',
      target: resolved.targetId,
      targetType: target.type,
    });
  }

  function answered(leg: SeatLeg): void {
    const consultation = record.consults.get(leg.interactionId);
    const session = acd.calls.get(leg.interactionId);
    if (!consultation || consultation.leg !== leg || !session?.isLive) {
      void hangupSeatLeg(deps, leg);
      return;
    }
    leg.state = 'connected';
    void (async () => {
      await stopRingback(deps, record.ringbacks.get(consultation.bridgeId));
      record.ringbacks.delete(consultation.bridgeId);
      await acd.telephony.ari.addToBridge(consultation.bridgeId, leg.channelId);
      void session.record({
        type: 'call.transferred',
        payload: {
          agentId: leg.fromAgentId,
          kind: 'consult',
          target: { type: leg.target.type, id: targetIdOf(leg.target) },
          step: 'connected',
          channelId: leg.channelId,
        },
      });
      acd.hub.publish('call.consult', {
        interactionId: leg.interactionId,
        agentId: leg.fromAgentId,
        step: 'connected',
        target: targetIdOf(leg.target),
        targetType: leg.target.type,
      });
    })().catch((error) => {
      options.logger.error({ err: error }, 'bridging the consultation failed');
      void hangupSeatLeg(deps, leg);
    });
  }

  /** Completes the consultation: the caller and the target talk; the agent goes to wrap-up. */
  async function completeConsult(agentId: string, interactionId: string): Promise<void> {
    const consultation = record.consults.get(interactionId);
    if (!consultation || consultation.agentId !== agentId) {
      throw new SeatRefusal(409, 'NO_CONSULT', 'there is no consultation in progress on this call');
    }
    const { session, leg, bridgeId } = currentCall(deps, agentId, interactionId);
    const target = consultation.leg;
    if (target.state !== 'connected') {
      throw new SeatRefusal(
        409,
        'CONSULT_NOT_CONNECTED',
        'the consulted party has not answered yet; cancel or wait',
      );
    }
    const ari = acd.telephony.ari;
    record.consults.delete(interactionId);
    await ari.removeFromBridge(consultation.bridgeId, target.channelId).catch(() => undefined);
    await ari.stopBridgeMoh(bridgeId).catch(() => undefined);
    try {
      await ari.addToBridge(bridgeId, target.channelId);
    } catch (error) {
      // The consulted party hung up as the transfer was being made (or Asterisk refused): not a half-done
      // transfer, but a consultation that ended. Its seat is freed and the agent is back with the caller.
      options.logger.warn(
        { err: error, interactionId },
        'consulted party gone before the transfer completed',
      );
      record.consults.set(interactionId, consultation);
      // Held before the consultation, the caller stays on hold: their music plays again.
      if (!consultation.resumeAfter) await ari.startBridgeMoh(bridgeId).catch(() => undefined);
      await consultEnded(target, 'the consulted party hung up before the transfer completed');
      throw new SeatRefusal(
        409,
        'CONSULT_ENDED',
        'the consulted party hung up before the transfer completed; you are back with the caller',
      );
    }
    const { heldSeconds, total } = await holding.endHold(interactionId);
    // From here the target's leg is a blind transfer's connected leg: its hang-up ends the conversation.
    target.purpose = 'transfer';
    releaseAgent(deps, agentId, interactionId, leg);
    await ari.destroyBridge(consultation.bridgeId).catch(() => undefined);
    void session.record(
      {
        type: 'call.transferred',
        payload: {
          agentId,
          kind: 'consult',
          target: { type: target.target.type, id: targetIdOf(target.target) },
          step: 'completed',
          channelId: target.channelId,
        },
      },
      {
        hold_seconds: total,
        ...(target.target.type === 'agent' ? { agent_id: target.target.agentId } : {}),
      },
    );
    options.logger.info({ interactionId, heldSeconds }, 'consulted transfer completed');
    acd.hub.publish('call.transferred', {
      interactionId,
      agentId,
      from: agentId,
      to: targetIdOf(target.target),
      targetType: target.target.type,
    });
  }

  /** Cancels the consultation: the target is hung up, the agent is back with the caller. */
  async function cancelConsult(agentId: string, interactionId: string): Promise<void> {
    const consultation = record.consults.get(interactionId);
    if (!consultation || consultation.agentId !== agentId) {
      throw new SeatRefusal(409, 'NO_CONSULT', 'there is no consultation in progress on this call');
    }
    currentCall(deps, agentId, interactionId);
    const over = consultEnded(consultation.leg, undefined, 'cancelled');
    await hangupSeatLeg(deps, consultation.leg);
    await over;
  }

  /** The consulted party's leg ended (hung up or never answered). */
  function ended(leg: SeatLeg): void {
    record.legs.delete(leg.channelId);
    const why =
      leg.state === 'connected'
        ? 'the consulted party hung up'
        : leg.unreachable
          ? `the consulted party's phone could not be rung: ${leg.unreachable}`
          : 'the consulted party did not answer';
    void consultEnded(leg, why, 'failed');
  }

  /**
   * The consultation is over without a transfer (cancelled, target hung up or never answered): the agent
   * goes back to the caller, unless `agentGone` (their phone was lost; the ACD re-queues the caller).
   */
  async function consultEnded(
    leg: SeatLeg,
    reason?: string,
    step: 'cancelled' | 'failed' = 'failed',
    agentGone = false,
  ) {
    const consultation = record.consults.get(leg.interactionId);
    if (!consultation || consultation.leg !== leg) return;
    record.consults.delete(leg.interactionId);
    record.legs.delete(leg.channelId);
    clearTimeout(leg.timer);
    freeTargetSeat(deps, leg, false);
    const session = acd.calls.get(leg.interactionId);
    void session?.record({
      type: 'call.transferred',
      payload: {
        agentId: leg.fromAgentId,
        kind: 'consult',
        target: { type: leg.target.type, id: targetIdOf(leg.target) },
        step,
        reason,
      },
    });
    acd.hub.publish('call.consult', {
      interactionId: leg.interactionId,
      agentId: leg.fromAgentId,
      step,
    });
    if (session?.isLive && !agentGone) {
      await backToCaller(consultation);
    } else {
      record.ringbacks.delete(consultation.bridgeId);
      await acd.telephony.ari.destroyBridge(consultation.bridgeId).catch(() => undefined);
    }
  }

  /**
   * The agent's leg leaves the consult bridge and takes the caller off hold, if the consultation put them
   * on it; a caller the agent had held before consulting stays on hold (its music playing) until they resume.
   */
  async function backToCaller(consultation: Consultation): Promise<void> {
    const { agentId, bridgeId: consultBridge } = consultation;
    const interactionId = consultation.leg.interactionId;
    const ari = acd.telephony.ari;
    await stopRingback(deps, record.ringbacks.get(consultBridge));
    record.ringbacks.delete(consultBridge);
    const leg = agentLegOf(deps, interactionId, agentId);
    if (leg) await ari.removeFromBridge(consultBridge, leg.channelId).catch(() => undefined);
    await ari.destroyBridge(consultBridge).catch(() => undefined);
    if (!consultation.resumeAfter) return;
    await holding
      .resume(agentId, interactionId)
      .catch((error) =>
        options.logger.warn(
          { err: error, interactionId },
          'could not take the caller off hold after the consultation',
        ),
      );
  }

  /**
   * The consulting agent's phone was lost: the consultation ends (the consulted party is hung up, their seat
   * freed). Unlike a cancel there is no going back to the caller, who is re-queued by the ACD.
   */
  async function agentLost(interactionId: string): Promise<void> {
    const consultation = record.consults.get(interactionId);
    if (!consultation) return;
    await consultEnded(consultation.leg, "the consulting agent's phone was lost", 'failed', true);
    await hangupSeatLeg(deps, consultation.leg);
  }

  /** The consultation under way on a call, as the agent's page shows it (after a reload too). */
  function consultation(interactionId: string): { target: string; state: 'dialing' | 'connected' } | null {
    const c = record.consults.get(interactionId);
    if (!c) return null;
    return { target: targetIdOf(c.leg.target), state: c.leg.state === 'connected' ? 'connected' : 'dialing' };
  }

  return { consult, answered, completeConsult, cancelConsult, ended, agentLost, consultation };
}
