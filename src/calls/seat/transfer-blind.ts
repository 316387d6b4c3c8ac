/**
 * Blind transfer to an agent, a queue or a number: the transferring agent goes to wrap-up at once; the
 * caller hears music while the target rings, then talks to it, or goes back to their queue if it never answers.
 */
import { randomUUID } from 'node:crypto';
import type { TelephonyEvent } from '../../telephony/telephony.js';
import type { CallSession } from '../call-session.js';
import { refusedCallReason } from '../phone-reach.js';
import { currentCall, releaseAgent, seatInput } from './current-call.js';
import { conferencePartiesOf, hangupSeatLeg, watchCallerEnd } from './legs.js';
import { SeatRefusal, type TransferTarget, targetIdOf } from './refusal.js';
import type { SeatDeps } from './seat-deps.js';
import type { SeatLeg } from './seat-record.js';
import { checkNumber, freeTargetSeat } from './targets.js';

export type BlindTransferVerbs = ReturnType<typeof createBlindTransfer>;

export function createBlindTransfer(deps: SeatDeps) {
  const { acd, record, options } = deps;

  async function transfer(
    agentId: string,
    interactionId: string,
    target: TransferTarget,
    /** For whoever takes the call next: on their caller's card as it rings. */
    note?: string,
  ): Promise<void> {
    const { session, leg, bridgeId } = currentCall(deps, agentId, interactionId);
    // The consulted or conferenced party would be left alone in a bridge nobody else is in.
    if (record.consults.has(interactionId)) {
      throw new SeatRefusal(
        409,
        'CONSULT_IN_PROGRESS',
        'complete the consultation (that is the transfer) or go back to the caller first',
      );
    }
    if (conferencePartiesOf(deps, interactionId).length > 0) {
      throw new SeatRefusal(
        409,
        'CONFERENCE_IN_PROGRESS',
        'drop the conference party or leave the conference first',
      );
    }
    const ari = acd.telephony.ari;
    let endpoint = '';
    let targetId = '';
    if (target.type === 'agent') {
      if (target.agentId === agentId) {
        throw new SeatRefusal(400, 'TRANSFER_TO_SELF', 'you cannot transfer a call to yourself');
      }
      const definition = options.agents().find((a) => a.id === target.agentId);
      if (!definition) throw new SeatRefusal(404, 'AGENT_NOT_FOUND', `no agent with id ${target.agentId}`);
      const state = acd.router.seat(target.agentId)?.state.type ?? 'logged_out';
      if (state !== 'available') {
        throw new SeatRefusal(
          409,
          'TARGET_AGENT_NOT_AVAILABLE',
          `${target.agentId} is ${state.replace('_', ' ')}; only an available agent can take a transfer`,
        );
      }
      endpoint = definition.endpoint;
      targetId = target.agentId;
    } else if (target.type === 'queue') {
      const known = acd.options.queues.some((q) => q.id === target.queueId);
      if (!known) throw new SeatRefusal(404, 'QUEUE_NOT_FOUND', `no queue with id ${target.queueId}`);
      targetId = target.queueId;
    } else {
      checkNumber(deps, target.number);
      endpoint = acd.numbers.trunkEndpoint(target.number, options.trunk);
      targetId = target.number;
    }

    /** This transfer's steps on the call's timeline. */
    const step = (
      s: 'requested' | 'dialing' | 'failed' | 'completed',
      more: { reason?: string; channelId?: string; note?: string } = {},
    ) =>
      void session.record({
        type: 'call.transferred',
        payload: { agentId, kind: 'blind', target: { type: target.type, id: targetId }, step: s, ...more },
      });
    step('requested', note ? { note } : {});
    if (target.type === 'agent') {
      // Reserve the target seat now, so the router does not offer it another call while it rings.
      seatInput(deps, {
        type: 'agent',
        agentId: target.agentId,
        input: { type: 'outboundStart', interactionId },
      });
    }
    if (target.type === 'queue') {
      // The transferring agent is done with the call: wrap-up, and their leg goes.
      releaseAgent(deps, agentId, interactionId, leg);
      const refusals = await acd.requeue(session, target.queueId);
      step(refusals.length > 0 ? 'failed' : 'completed', { reason: refusals[0]?.reason });
      return;
    }

    const channelId = `seat-${randomUUID()}`;
    const seatLeg: SeatLeg = {
      purpose: 'transfer',
      channelId,
      interactionId,
      target,
      fromAgentId: agentId,
      queueId: session.queue?.queueId,
      state: 'ringing',
      hangupRequested: false,
      timer: undefined,
    };
    record.legs.set(channelId, seatLeg);
    watchCallerEnd(deps, session);
    try {
      await acd.telephony.originate({
        endpoint,
        channelId,
        appArgs: ['agent-leg', interactionId, target.type === 'agent' ? target.agentId : 'transfer'].join(
          ',',
        ),
        callerId: session.legCallerId,
        timeout: (options.ringSeconds ?? 20) + 5,
        variables: { 'PJSIP_HEADER(add,X-Interaction-Id)': interactionId },
      });
    } catch (error) {
      // Nobody was rung: the agent keeps the caller, and is told so, rather than the caller being given
      // back to a queue or hung up on behind a transfer that said it went.
      record.legs.delete(channelId);
      options.logger.warn({ err: error, interactionId, target }, 'transfer target could not be dialled');
      seatLeg.unreachable = refusedCallReason(endpoint, error);
      const why = seatLeg.unreachable ?? (error as Error).message;
      freeTargetSeat(deps, seatLeg, false); // a phone that cannot be rung: that agent is set not ready
      step('failed', { reason: `dial failed: ${why}` });
      throw new SeatRefusal(
        409,
        'TARGET_UNREACHABLE',
        `${targetId} could not be rung (${why}); you are still on the call`,
      );
    }
    // The target rings: the transferring agent is done with the call (wrap-up, their leg goes) and the
    // caller hears music until the target answers.
    releaseAgent(deps, agentId, interactionId, leg);
    await ari.startBridgeMoh(bridgeId).catch(() => undefined);
    seatLeg.timer = setTimeout(
      () => {
        if (seatLeg.state !== 'ringing') return;
        void hangupSeatLeg(deps, seatLeg);
        void transferFailed(seatLeg, session, 'no answer');
      },
      (options.ringSeconds ?? 20) * 1000,
    );
    step('dialing', { channelId });
  }

  /** The target answered (also a completed consult's or a left conference's party): into the caller's bridge. */
  function answered(leg: SeatLeg): void {
    const channelId = leg.channelId;
    const session = acd.calls.get(leg.interactionId);
    const bridgeId = acd.bridges.get(leg.interactionId);
    if (!session?.isLive || !bridgeId) {
      void hangupSeatLeg(deps, leg);
      return;
    }
    leg.state = 'connected';
    void (async () => {
      const ari = acd.telephony.ari;
      await ari.stopBridgeMoh(bridgeId).catch(() => undefined);
      await ari.addToBridge(bridgeId, channelId);
      if (leg.target.type === 'agent') {
        // The target agent now owns the conversation: the row names them, their seat is talking.
        void session.record(
          {
            type: 'call.transferred',
            payload: {
              agentId: leg.fromAgentId,
              kind: 'blind',
              target: { type: 'agent', id: leg.target.agentId },
              step: 'connected',
              channelId,
            },
          },
          { agent_id: leg.target.agentId },
        );
      } else {
        void session.record({
          type: 'call.transferred',
          payload: {
            agentId: leg.fromAgentId,
            kind: 'blind',
            target: { type: leg.target.type, id: targetIdOf(leg.target) },
            step: 'connected',
            channelId,
          },
        });
      }
      acd.hub.publish('call.transferred', {
        interactionId: leg.interactionId,
        agentId: leg.fromAgentId,
        from: leg.fromAgentId,
        to: targetIdOf(leg.target),
        targetType: leg.target.type,
      });
    })().catch((error) => {
      options.logger.error({ err: error, interactionId: leg.interactionId }, 'bridging the transfer failed');
      void hangupSeatLeg(deps, leg);
    });
  }

  /**
   * The target's leg ended: its seat wraps up; connected, the caller's call ends too; ringing, it failed.
   * A target agent whose phone was lost mid-call (no audio) is treated as on a queue call: the caller goes
   * back to the front of the queue it came from and the agent is set not ready.
   */
  function ended(leg: SeatLeg, event: TelephonyEvent & { channelId: string }): void {
    record.legs.delete(event.channelId);
    clearTimeout(leg.timer);
    const session = acd.calls.get(leg.interactionId);
    const queueId = session?.isLive ? session.queue?.queueId : undefined;
    const { target } = leg;
    const lost = leg.state === 'connected' && leg.deviceLost && !leg.hangupRequested;
    if (target.type === 'agent' && lost && session && queueId) {
      acd.agentLost(target.agentId, leg.interactionId, session, queueId);
      return;
    }
    // The seat took the call as its own (outboundStart): the queue's wrap-up only if it was answered.
    freeTargetSeat(deps, leg, leg.state === 'connected');
    if (leg.hangupRequested) return;
    if (leg.state === 'connected') {
      // The transfer target hung up: the conversation is over for the caller too.
      if (session?.isLive) {
        session.endedByAgent = leg.target.type === 'agent';
        void session.hangup();
      }
    } else if (session?.isLive) {
      const why = leg.unreachable ? `the target's phone could not be rung: ${leg.unreachable}` : undefined;
      void transferFailed(leg, session, why ?? 'the target did not answer');
    }
  }

  /** The target never answered: the caller goes back to their queue if they came from one, else hangs up. */
  async function transferFailed(leg: SeatLeg, session: CallSession, reason: string): Promise<void> {
    void session.record({
      type: 'call.transferred',
      payload: {
        agentId: leg.fromAgentId,
        kind: 'blind',
        target: { type: leg.target.type, id: targetIdOf(leg.target) },
        step: 'failed',
        reason,
      },
    });
    const queueId = session.queue?.queueId;
    if (!session.isLive) return;
    if (queueId) {
      await acd.requeue(session, queueId);
    } else {
      await session.hangup();
    }
  }

  return { transfer, answered, ended };
}
