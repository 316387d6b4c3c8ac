/**
 * An outbound call's two legs once dialled: the agent's phone answers (the customer is dialled), the
 * customer answers (bridged and recorded like an ACD conversation), or either leg ends first.
 */
import { isGone } from '../../telephony/ari/rest.js';
import type { TelephonyEvent } from '../../telephony/telephony.js';
import type { CallSession } from '../call-session.js';
import type { OutboundDiallingTakeover } from '../takeover.js';
import { dialLeg, hangupSeatLeg, newLeg, startRingback, stopRingback, watchCallerEnd } from './legs.js';
import { targetIdOf } from './refusal.js';
import type { SeatDeps } from './seat-deps.js';
import type { SeatLeg } from './seat-record.js';

export type OutboundLegs = ReturnType<typeof createOutboundLegs>;

export function createOutboundLegs(deps: SeatDeps) {
  const { acd, record, options } = deps;

  /** The agent's phone answered its own outbound call: bridge it, ringback, dial the customer. */
  function agentAnswered(leg: SeatLeg): void {
    record.legs.delete(leg.channelId);
    const session = acd.calls.get(leg.interactionId);
    const bridgeId = acd.bridges.get(leg.interactionId);
    if (!session?.isLive || !bridgeId || !leg.customerChannel || leg.target.type !== 'number') {
      void acd.telephony.ari.hangup(leg.channelId).catch(() => undefined);
      return;
    }
    // From now on it is the agent's leg like an ACD one: hold, transfer and its hang-up work the same.
    acd.legs.add({
      channelId: leg.channelId,
      interactionId: leg.interactionId,
      agentId: leg.fromAgentId,
      queueId: '',
      state: 'connected',
      hangupRequested: false,
      offeredAt: acd.now(),
    });
    const number = leg.target.number;
    const caller = deps.policy.callerId();
    void session.record({
      type: 'call.outbound',
      payload: { agentId: leg.fromAgentId, number, step: 'agent-answered', channelId: leg.channelId },
    });
    void (async () => {
      const ari = acd.telephony.ari;
      await ari.addToBridge(bridgeId, leg.channelId);
      record.ringbacks.set(leg.interactionId, await startRingback(deps, bridgeId));
      // The agent may have hung up meanwhile (a misdial put down at once): then nobody is to be called.
      if (!session.isLive || acd.legs.get(leg.channelId) === undefined) {
        await stopRingback(deps, record.ringbacks.get(leg.interactionId));
        record.ringbacks.delete(leg.interactionId);
        void session.record({
          type: 'call.outbound',
          payload: { agentId: leg.fromAgentId, number, step: 'cancelled', reason: 'the agent hung up first' },
        });
        if (!session.isEnded) endUnreached(session, 'the agent hung up before the customer was dialled');
        return;
      }
      const customer: SeatLeg = {
        ...newLeg('outbound-customer', leg.interactionId, leg.fromAgentId, leg.target),
        channelId: leg.customerChannel!,
      };
      const dialled = await dialLeg(
        deps,
        customer,
        acd.numbers.trunkEndpoint(number, options.trunk),
        caller.callerId,
        caller.variables,
      );
      if (!dialled) {
        void session.record({
          type: 'call.outbound',
          payload: { agentId: leg.fromAgentId, number, step: 'failed', reason: 'the trunk refused the call' },
        });
        await session.markFailed(acd.now(), 'the trunk refused the call');
        return;
      }
      const ringbackId = record.ringbacks.get(leg.interactionId);
      void session.record({
        type: 'call.outbound',
        payload: {
          agentId: leg.fromAgentId,
          number,
          step: 'dialing',
          callerId: caller.shown,
          channelId: customer.channelId,
          // On record so a restart while the customer rings can carry the call on (outboundDiallingTakeover).
          ringSeconds: deps.policy.ringSeconds,
          ...(ringbackId ? { ringbackId } : {}),
        },
      });
    })().catch((error) => {
      options.logger.error({ err: error, interactionId: leg.interactionId }, 'outbound dial failed');
      void session.hangup();
    });
  }

  /** The customer answered: into the bridge with the agent, recorded like an ACD conversation. */
  function customerAnswered(leg: SeatLeg): void {
    // Once: a restart's check may have found it answered before its StasisStart came.
    if (leg.state === 'connected') return;
    const session = acd.calls.get(leg.interactionId);
    const bridgeId = acd.bridges.get(leg.interactionId);
    const agentLeg = acd.legs.find(leg.interactionId, leg.fromAgentId);
    if (!session?.isLive || !bridgeId || !agentLeg) {
      void hangupSeatLeg(deps, leg);
      return;
    }
    leg.state = 'connected';
    const at = acd.now();
    session.move('answer');
    session.move('enqueue');
    session.move('connect');
    session.queue = { queueId: '', enqueuedAt: at, agentId: leg.fromAgentId, connectedAt: at };
    void (async () => {
      const ari = acd.telephony.ari;
      await stopRingback(deps, record.ringbacks.get(leg.interactionId));
      record.ringbacks.delete(leg.interactionId);
      await ari.addToBridge(bridgeId, leg.channelId);
      await session.record(
        {
          type: 'call.outbound',
          payload: {
            agentId: leg.fromAgentId,
            number: targetIdOf(leg.target),
            step: 'connected',
            channelId: leg.channelId,
          },
        },
        { answered_at: at, connected_at: at },
        at,
      );
      acd.hub.publish('call.outbound', {
        interactionId: leg.interactionId,
        agentId: leg.fromAgentId,
        step: 'connected',
      });
      await acd.recordings.start(session);
    })().catch((error) => {
      options.logger.error({ err: error, interactionId: leg.interactionId }, 'bridging the customer failed');
      void session.hangup();
    });
  }

  /** Events of the customer's leg are the call session's own (it is the interaction's "caller"). */
  function customerEvent(leg: SeatLeg, event: TelephonyEvent): boolean {
    if (event.type === 'call.arrived') return false;
    const session = acd.calls.get(leg.interactionId);
    if (event.type === 'channel.ended' || event.type === 'channel.left-app') {
      clearTimeout(leg.timer);
      if (event.type === 'channel.ended') record.legs.delete(leg.channelId);
      if (leg.state === 'ringing' && session && !session.isEnded) {
        const cause = event.type === 'channel.ended' ? event.cause : undefined;
        const reason =
          cause === 0 && event.type === 'channel.ended' && event.causeText
            ? event.causeText
            : cause === 17
              ? 'busy'
              : cause === 19 || cause === 18 || cause === 16 || cause === undefined
                ? 'no answer'
                : `cause ${cause}`;
        void session.record({
          type: 'call.outbound',
          payload: { agentId: leg.fromAgentId, number: targetIdOf(leg.target), step: 'failed', reason },
        });
        leg.state = 'connected'; // reported once
      }
    }
    if (session && 'channelId' in event) session.onTelephonyEvent(event);
    return true;
  }

  /**
   * The agent's phone ended before the customer was dialled: the seat is freed (not ready when the phone
   * could not be rung at all), the call never happened.
   */
  function agentEnded(leg: SeatLeg): void {
    record.legs.delete(leg.channelId);
    clearTimeout(leg.timer);
    const session = acd.calls.get(leg.interactionId);
    acd.endReservedCall(leg.fromAgentId, leg.interactionId, { unreachable: leg.unreachable });
    if (!session || session.isEnded) return;
    void session.record({
      type: 'call.outbound',
      payload: {
        agentId: leg.fromAgentId,
        number: targetIdOf(leg.target),
        step: 'failed',
        reason: leg.unreachable
          ? `your phone could not be rung: ${leg.unreachable}`
          : 'your phone did not answer',
      },
    });
    endUnreached(
      session,
      leg.unreachable ? "the agent's phone could not be rung" : 'the agent phone did not answer',
    );
  }

  /** Ends an outbound interaction that never reached the customer (no channel exists to hang up). */
  function endUnreached(session: CallSession, reason: string): void {
    session.endedByAgent = true;
    session.unansweredDisposition = 'failed';
    session.onTelephonyEvent({
      type: 'channel.ended',
      at: acd.now(),
      channelId: session.channelId,
      cause: 0,
      causeText: reason,
    });
  }

  /**
   * An outbound call a restart found ringing its customer (outboundDiallingTakeover), the seat on it again:
   * the customer's leg is this run's to wait on, for the ring time left, and is then bridged with the
   * agent (who hears the ringback the previous run started meanwhile) as if this run had dialled it.
   */
  async function resumeDialling(session: CallSession, t: OutboundDiallingTakeover): Promise<void> {
    session.unansweredDisposition = 'no-answer';
    watchCallerEnd(deps, session);
    const leg: SeatLeg = {
      ...newLeg('outbound-customer', session.interactionId, t.agentId, { type: 'number', number: t.number }),
      channelId: t.channelId,
    };
    record.legs.set(leg.channelId, leg);
    record.ringbacks.set(session.interactionId, t.ringbackId);
    const leftMs = Math.max(0, t.dialledAt + t.ringSeconds * 1000 - acd.now());
    leg.timer = setTimeout(() => {
      if (leg.state === 'ringing') void hangupSeatLeg(deps, leg);
    }, leftMs);
    // The customer may have answered, or gone, before this run listened.
    const channel = await acd.telephony.ari
      .getChannel(t.channelId)
      .catch((error: unknown) => (isGone(error) ? null : undefined));
    if (leg.state !== 'ringing' || record.legs.get(leg.channelId) !== leg) return;
    if (channel === null) {
      customerEvent(leg, {
        type: 'channel.ended',
        at: acd.now(),
        channelId: leg.channelId,
        cause: 0,
        causeText: 'the customer hung up while the service restarted',
      });
    } else if (channel?.state === 'Up') {
      clearTimeout(leg.timer);
      customerAnswered(leg);
    }
  }

  return { agentAnswered, customerAnswered, customerEvent, agentEnded, resumeDialling };
}
