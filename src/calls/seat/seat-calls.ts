/**
 * Server-side call control for an agent's current call: hold / resume and blind transfer (to an agent, a
 * queue or a number). The agent's page asks over REST; this module changes the bridges through ARI, feeds
 * the seat state machine (through the ACD runtime, so routing and stats agree) and writes every step to
 * the interaction's timeline, so recording, the interaction log and the agent's state stay consistent.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AgentDefinition } from '../../agents/schema.js';
import type { InteractionLog } from '../../store/interaction-log.js';
import { isGone } from '../../telephony/ari/rest.js';
import type { TelephonyEvent } from '../../telephony/telephony.js';
import type { AcdRuntime } from '../acd/acd-runtime.js';
import { CallSession } from '../call-session.js';
import { holdSecondsAt, OutboundPolicy } from './outbound-policy.js';

/** A request the seat refuses: an HTTP status, a searchable code, a sentence for the agent. */
export class SeatRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type TransferTarget =
  | { type: 'agent'; agentId: string }
  | { type: 'queue'; queueId: string }
  | { type: 'number'; number: string };

export interface SeatCallsOptions {
  acd: AcdRuntime;
  log: InteractionLog;
  logger: Logger;
  agents: () => AgentDefinition[];
  /** Trunk endpoint for numbers, e.g. `carrier` (dialled as PJSIP/<number>@carrier). */
  trunk: string;
  /** Which numbers agents may dial and the caller ID customers see (config `outbound`). */
  policy?: OutboundPolicy;
  /** How long a transfer target rings before the transfer fails. */
  ringSeconds?: number;
  /** How long a caller waits on hold for an agent whose page dropped its call (reload) to come back. */
  rejoinGraceSeconds?: number;
}

/** A leg the seat can hang up as expected: the ACD's agent leg or one of the seat's own. */
type LegRef = { channelId: string; hangupRequested: boolean; state: string };

interface HeldCall {
  agentId: string;
  heldAt: number;
}

/**
 * A leg the seat dialled itself: a transfer target (blind), a consulted party, a conference party, or an
 * outbound call's two legs (the agent's phone, then the customer on the trunk).
 */
interface SeatLeg {
  purpose: 'transfer' | 'consult' | 'conference' | 'outbound-agent' | 'outbound-customer';
  channelId: string;
  interactionId: string;
  target: TransferTarget;
  fromAgentId: string;
  /** The queue the call came from (its wrap-up time applies to the target agent). */
  queueId: string | undefined;
  state: 'ringing' | 'connected';
  hangupRequested: boolean;
  timer: NodeJS.Timeout | undefined;
  /** outbound-agent: the customer's channel id, chosen up front (it is the interaction's channel). */
  customerChannel?: string;
  /** A conference party the agent dropped (already on the timeline). */
  dropped?: boolean;
}

export class SeatCalls {
  private readonly held = new Map<string, HeldCall>();
  private readonly holdTotals = new Map<string, number>();
  private readonly seatLegs = new Map<string, SeatLeg>();
  private readonly rejoins = new Map<
    string,
    { agentId: string; interactionId: string; oldChannelId: string }
  >();

  private readonly policy: OutboundPolicy;
  /** Interactions whose end already accounts for a hold in progress (one listener each). */
  private readonly holdEndWatched = new Set<string>();

  constructor(private readonly o: SeatCallsOptions) {
    this.policy = o.policy ?? new OutboundPolicy();
    o.acd.seatLegs = {
      answered: (channelId) => this.legAnswered(channelId),
      onEvent: (event) => this.onEvent(event),
    };
  }

  private get acd(): AcdRuntime {
    return this.o.acd;
  }

  /** The agent's live call on this interaction: its caller session, the agent's leg and the bridge. */
  private current(agentId: string, interactionId: string) {
    const seat = this.acd.router.seat(agentId);
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
    const session = this.acd.calls.get(interactionId);
    const leg = this.agentLegOf(interactionId, agentId);
    const bridgeId = this.acd.bridges.get(interactionId);
    if (!session?.isLive || !leg || leg.state !== 'connected' || !bridgeId) {
      throw new SeatRefusal(409, 'CALL_NOT_BRIDGED', `interaction ${interactionId} has no live conversation`);
    }
    return { session, leg, bridgeId, onHold: state.type === 'on_hold' };
  }

  /** One seat input through the ACD runtime; a refusal becomes a 409 with the state machine's code. */
  private seatInput(input: Parameters<AcdRuntime['input']>[0] & { type: 'agent' }) {
    const refusals = this.acd.input(input);
    if (refusals.length > 0) throw new SeatRefusal(409, refusals[0]!.code, refusals[0]!.reason);
  }

  // ---------------------------------------------------------------- hold / resume

  async hold(agentId: string, interactionId: string): Promise<void> {
    const { session, leg, bridgeId, onHold } = this.current(agentId, interactionId);
    if (onHold) throw new SeatRefusal(409, 'CALL_ALREADY_ON_HOLD', 'the call is already on hold');
    const ari = this.acd.telephony.ari;
    // The agent leaves the bridge (hears silence); the caller, alone in it, hears the bridge's music.
    await ari.removeFromBridge(bridgeId, leg.channelId);
    try {
      await ari.startBridgeMoh(bridgeId);
    } catch (error) {
      await ari.addToBridge(bridgeId, leg.channelId).catch(() => undefined);
      throw error;
    }
    this.seatInput({ type: 'agent', agentId, input: { type: 'hold', interactionId } });
    const at = this.acd.now();
    this.held.set(interactionId, { agentId, heldAt: at });
    this.watchHoldAtEnd(session);
    void session.record({ type: 'call.held', payload: { agentId, bridgeId } }, {}, at);
    this.acd.hub.publish('interaction', 'call.held', { interactionId, agentId });
  }

  async resume(agentId: string, interactionId: string): Promise<void> {
    const { session, leg, bridgeId, onHold } = this.current(agentId, interactionId);
    if (!onHold) throw new SeatRefusal(409, 'CALL_NOT_ON_HOLD', 'the call is not on hold');
    const ari = this.acd.telephony.ari;
    await ari.stopBridgeMoh(bridgeId).catch((error) => {
      if (!isGone(error)) throw error;
    });
    await ari.addToBridge(bridgeId, leg.channelId);
    this.seatInput({ type: 'agent', agentId, input: { type: 'resume', interactionId } });
    const at = this.acd.now();
    const heldAt = this.held.get(interactionId)?.heldAt ?? at;
    this.held.delete(interactionId);
    const heldSeconds = (at - heldAt) / 1000;
    const total = (await this.holdTotal(interactionId)) + heldSeconds;
    this.holdTotals.set(interactionId, total);
    void session.record(
      { type: 'call.resumed', payload: { agentId, heldSeconds, totalHoldSeconds: total } },
      { hold_seconds: total },
      at,
    );
    this.acd.hub.publish('interaction', 'call.resumed', { interactionId, agentId, heldSeconds });
  }

  /**
   * A call that ends while on hold still counts its last hold period: written (with the event that says
   * so) before the interaction closes, since end listeners run before the closing write is queued.
   */
  private watchHoldAtEnd(session: CallSession): void {
    const interactionId = session.interactionId;
    if (this.holdEndWatched.has(interactionId)) return;
    this.holdEndWatched.add(interactionId);
    session.onEnd(() => {
      this.holdEndWatched.delete(interactionId);
      const held = this.held.get(interactionId);
      this.held.delete(interactionId);
      if (!held) return;
      const at = this.acd.now();
      const known = this.holdTotals.get(interactionId);
      this.holdTotals.delete(interactionId);
      const heldSeconds = holdSecondsAt(0, held.heldAt, at);
      void session.enqueueWrite('call.resumed', async () => {
        const before = known ?? (await this.o.log.get(interactionId))?.hold_seconds ?? 0;
        const total = before + heldSeconds;
        await this.o.log.record(
          interactionId,
          at,
          {
            type: 'call.resumed',
            payload: { agentId: held.agentId, heldSeconds, totalHoldSeconds: total, endedOnHold: true },
          },
          { hold_seconds: total },
        );
      });
    });
  }

  /** Ends the hold period in the books (not the bridge): the seconds it lasted and the new total. */
  private async endHold(interactionId: string): Promise<{ heldSeconds: number; total: number }> {
    const at = this.acd.now();
    const heldAt = this.held.get(interactionId)?.heldAt ?? at;
    this.held.delete(interactionId);
    const heldSeconds = (at - heldAt) / 1000;
    const total = (await this.holdTotal(interactionId)) + heldSeconds;
    this.holdTotals.set(interactionId, total);
    return { heldSeconds, total };
  }

  private async holdTotal(interactionId: string): Promise<number> {
    const known = this.holdTotals.get(interactionId);
    if (known !== undefined) return known;
    return (await this.o.log.get(interactionId))?.hold_seconds ?? 0;
  }

  // ---------------------------------------------------------------- rejoin after a page reload

  /**
   * The agent's page reloaded mid-call: its old WebRTC leg is dead but still bridged. Ring the agent's
   * device again; once it answers the new leg takes the old one's place in the bridge (the caller stays).
   */
  async rejoin(agentId: string, interactionId: string): Promise<void> {
    const { session, leg } = this.current(agentId, interactionId);
    const definition = this.o.agents().find((a) => a.id === agentId);
    if (!definition) throw new SeatRefusal(404, 'AGENT_NOT_FOUND', `no agent with id ${agentId}`);
    const channelId = `seat-${randomUUID()}`;
    this.rejoins.set(channelId, { agentId, interactionId, oldChannelId: leg.channelId });
    void session.record({ type: 'call.rejoined', payload: { agentId, step: 'ringing', channelId } });
    await this.acd.telephony.originate({
      endpoint: definition.endpoint,
      channelId,
      appArgs: ['agent-leg', interactionId, agentId].join(','),
      callerId: session.callerNumber || 'unknown',
      timeout: 20,
      variables: { 'PJSIP_HEADER(add,X-Interaction-Id)': interactionId },
    });
  }

  private rejoinAnswered(channelId: string): boolean {
    const rejoin = this.rejoins.get(channelId);
    if (!rejoin) return false;
    this.rejoins.delete(channelId);
    const old = this.acd.legs.get(rejoin.oldChannelId);
    const bridgeId = this.acd.bridges.get(rejoin.interactionId);
    if (!old || !bridgeId) {
      void this.acd.telephony.ari.hangup(channelId).catch(() => undefined);
      return true;
    }
    // The new leg becomes the agent's leg; the old one is hung up as expected (no end of conversation).
    this.acd.legs.add({ ...old, channelId, hangupRequested: false });
    this.acd.legs.remove(old.channelId);
    const onHold = this.held.has(rejoin.interactionId);
    void (async () => {
      if (!onHold) await this.acd.telephony.ari.addToBridge(bridgeId, channelId);
      await this.acd.hangupLeg(old);
      const session = this.acd.calls.get(rejoin.interactionId);
      void session?.record({
        type: 'call.rejoined',
        payload: { agentId: rejoin.agentId, step: 'rejoined', channelId },
      });
      this.acd.hub.publish('interaction', 'call.rejoined', {
        interactionId: rejoin.interactionId,
        agentId: rejoin.agentId,
      });
    })().catch((error) => this.o.logger.error({ err: error }, 'rejoining the call failed'));
    return true;
  }

  // ---------------------------------------------------------------- blind transfer

  async transfer(agentId: string, interactionId: string, target: TransferTarget): Promise<void> {
    const { session, leg, bridgeId } = this.current(agentId, interactionId);
    const ari = this.acd.telephony.ari;
    let endpoint = '';
    let targetId = '';
    if (target.type === 'agent') {
      if (target.agentId === agentId) {
        throw new SeatRefusal(400, 'TRANSFER_TO_SELF', 'you cannot transfer a call to yourself');
      }
      const definition = this.o.agents().find((a) => a.id === target.agentId);
      if (!definition) throw new SeatRefusal(404, 'AGENT_NOT_FOUND', `no agent with id ${target.agentId}`);
      const state = this.acd.router.seat(target.agentId)?.state.type ?? 'logged_out';
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
      const known = this.acd.options.queues.some((q) => q.id === target.queueId);
      if (!known) throw new SeatRefusal(404, 'QUEUE_NOT_FOUND', `no queue with id ${target.queueId}`);
      targetId = target.queueId;
    } else {
      this.checkNumber(target.number);
      endpoint = `PJSIP/${target.number}@${this.o.trunk}`;
      targetId = target.number;
    }

    void session.record({
      type: 'call.transferred',
      payload: { agentId, kind: 'blind', target: { type: target.type, id: targetId }, step: 'requested' },
    });
    if (target.type === 'agent') {
      // Reserve the target seat now, so the router does not offer it another call while it rings.
      this.seatInput({
        type: 'agent',
        agentId: target.agentId,
        input: { type: 'outboundStart', interactionId },
      });
    }
    // The transferring agent is done with the call: wrap-up, and their leg goes.
    this.releaseAgent(agentId, interactionId, leg);

    if (target.type === 'queue') {
      this.acd.bridges.delete(interactionId);
      await ari.destroyBridge(bridgeId).catch(() => undefined);
      session.releaseFromAgent();
      const refusals = this.acd.enqueue(session, target.queueId);
      void session.record({
        type: 'call.transferred',
        payload: {
          agentId,
          kind: 'blind',
          target: { type: 'queue', id: targetId },
          step: refusals.length > 0 ? 'failed' : 'completed',
          reason: refusals[0]?.reason,
        },
      });
      return;
    }

    await ari.startBridgeMoh(bridgeId).catch(() => undefined);
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
    this.seatLegs.set(channelId, seatLeg);
    this.watchCallerEnd(session);
    try {
      await this.acd.telephony.originate({
        endpoint,
        channelId,
        appArgs: ['agent-leg', interactionId, target.type === 'agent' ? target.agentId : 'transfer'].join(
          ',',
        ),
        callerId: session.callerNumber || 'unknown',
        timeout: (this.o.ringSeconds ?? 20) + 5,
        variables: { 'PJSIP_HEADER(add,X-Interaction-Id)': interactionId },
      });
    } catch (error) {
      this.seatLegs.delete(channelId);
      this.o.logger.warn({ err: error, interactionId, target }, 'transfer target could not be dialled');
      await this.transferFailed(seatLeg, session, `dial failed: ${(error as Error).message}`);
      return;
    }
    seatLeg.timer = setTimeout(
      () => {
        if (seatLeg.state !== 'ringing') return;
        void this.hangupSeatLeg(seatLeg);
        void this.transferFailed(seatLeg, session, 'no answer');
      },
      (this.o.ringSeconds ?? 20) * 1000,
    );
    void session.record({
      type: 'call.transferred',
      payload: {
        agentId,
        kind: 'blind',
        target: { type: target.type, id: targetId },
        step: 'dialing',
        channelId,
      },
    });
  }

  private checkNumber(number: string): void {
    const why = this.policy.refusal(number);
    if (why) throw new SeatRefusal(403, 'DESTINATION_NOT_ALLOWED', why);
  }

  /** The agent leaves the conversation: wrap-up for the seat, their leg hung up as expected. */
  /**
   * The agent's live leg on a call: the ACD's (offered, outbound) or, for an agent who took the call by a
   * transfer or a conference, the seat leg that reached them.
   */
  private agentLegOf(interactionId: string, agentId: string): LegRef | undefined {
    const acdLeg = this.acd.legs.find(interactionId, agentId);
    if (acdLeg) return acdLeg;
    for (const leg of this.seatLegs.values()) {
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

  private releaseAgent(agentId: string, interactionId: string, leg: LegRef): void {
    this.held.delete(interactionId);
    // Explicit: an agent who took the call by transfer holds it as their own (outboundStart), whose
    // wrap-up the router would count as none; the call's queue decides (agent override first).
    const queueId = this.acd.calls.get(interactionId)?.queue?.queueId || undefined;
    this.acd.input({
      type: 'agent',
      agentId,
      input: { type: 'hangup', interactionId, wrapUpSeconds: this.wrapUpSeconds(agentId, queueId) },
    });
    void this.acd.hangupLeg(leg);
  }

  private targetId(target: TransferTarget): string {
    return target.type === 'agent'
      ? target.agentId
      : target.type === 'queue'
        ? target.queueId
        : target.number;
  }

  private legAnswered(channelId: string): boolean {
    if (this.rejoinAnswered(channelId)) return true;
    const leg = this.seatLegs.get(channelId);
    if (!leg) return false;
    clearTimeout(leg.timer);
    if (leg.purpose === 'outbound-agent') {
      this.outboundAgentAnswered(leg);
      return true;
    }
    if (leg.purpose === 'outbound-customer') {
      this.outboundCustomerAnswered(leg);
      return true;
    }
    if (leg.purpose === 'consult') {
      this.consultAnswered(leg);
      return true;
    }
    if (leg.purpose === 'conference') {
      this.conferenceAnswered(leg);
      return true;
    }
    const session = this.acd.calls.get(leg.interactionId);
    const bridgeId = this.acd.bridges.get(leg.interactionId);
    if (!session?.isLive || !bridgeId) {
      void this.hangupSeatLeg(leg);
      return true;
    }
    leg.state = 'connected';
    void (async () => {
      const ari = this.acd.telephony.ari;
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
            target: { type: leg.target.type, id: this.targetId(leg.target) },
            step: 'connected',
            channelId,
          },
        });
      }
      this.acd.hub.publish('interaction', 'call.transferred', {
        interactionId: leg.interactionId,
        from: leg.fromAgentId,
        to: this.targetId(leg.target),
      });
    })().catch((error) => {
      this.o.logger.error({ err: error, interactionId: leg.interactionId }, 'bridging the transfer failed');
      void this.hangupSeatLeg(leg);
    });
    return true;
  }

  private onEvent(event: TelephonyEvent): boolean {
    const own = 'channelId' in event ? this.seatLegs.get(event.channelId) : undefined;
    if (own?.purpose === 'outbound-customer') return this.outboundCustomerEvent(own, event);
    if (event.type !== 'channel.ended' && event.type !== 'channel.left-app') return false;
    const leg = this.seatLegs.get(event.channelId);
    if (!leg) return false;
    if (leg.purpose === 'outbound-agent') {
      this.outboundAgentEnded(leg);
      return true;
    }
    if (leg.purpose === 'consult') {
      this.seatLegs.delete(leg.channelId);
      const why =
        leg.state === 'connected' ? 'the consulted party hung up' : 'the consulted party did not answer';
      void this.consultEnded(leg, why, 'failed');
      return true;
    }
    if (leg.purpose === 'conference') {
      this.conferenceEnded(leg, event);
      return true;
    }
    this.seatLegs.delete(event.channelId);
    clearTimeout(leg.timer);
    const session = this.acd.calls.get(leg.interactionId);
    if (leg.target.type === 'agent') {
      // The seat took the call as its own (outboundStart), so the queue's wrap-up is given explicitly.
      this.acd.input({
        type: 'agent',
        agentId: leg.target.agentId,
        input: {
          type: 'hangup',
          interactionId: leg.interactionId,
          wrapUpSeconds: this.wrapUpSeconds(leg.target.agentId, leg.queueId),
        },
      });
    }
    if (leg.hangupRequested) return true;
    if (leg.state === 'connected') {
      // The transfer target hung up: the conversation is over for the caller too.
      if (session?.isLive) {
        session.endedByAgent = leg.target.type === 'agent';
        void session.hangup();
      }
    } else if (session?.isLive) {
      void this.transferFailed(leg, session, 'the target did not answer');
    }
    return true;
  }

  private wrapUpSeconds(agentId: string, queueId: string | undefined): number {
    const own = this.o.agents().find((a) => a.id === agentId)?.wrapUpSeconds;
    if (own !== undefined) return own;
    return this.acd.options.queues.find((q) => q.id === queueId)?.wrapUpSeconds ?? 0;
  }

  private callerEnded(interactionId: string): void {
    for (const leg of this.seatLegs.values()) {
      if (leg.interactionId === interactionId) void this.hangupSeatLeg(leg);
    }
  }

  private async hangupSeatLeg(leg: SeatLeg): Promise<void> {
    if (leg.hangupRequested) return;
    leg.hangupRequested = true;
    await this.acd.telephony.ari.hangup(leg.channelId).catch(() => undefined);
  }

  /** The target never answered: the caller goes back to their queue if they came from one, else hangs up. */
  private async transferFailed(leg: SeatLeg, session: CallSession, reason: string): Promise<void> {
    void session.record({
      type: 'call.transferred',
      payload: {
        agentId: leg.fromAgentId,
        kind: 'blind',
        target: { type: leg.target.type, id: this.targetId(leg.target) },
        step: 'failed',
        reason,
      },
    });
    const queueId = session.queue?.queueId;
    const bridgeId = this.acd.bridges.get(leg.interactionId);
    if (!session.isLive) return;
    if (queueId) {
      if (bridgeId) {
        this.acd.bridges.delete(leg.interactionId);
        await this.acd.telephony.ari.destroyBridge(bridgeId).catch(() => undefined);
      }
      session.releaseFromAgent();
      this.acd.enqueue(session, queueId);
    } else {
      await session.hangup();
    }
  }

  // ---------------------------------------------------------------- dialling helpers

  /** Where a consult / conference target is dialled, after the checks; reserves a target agent's seat. */
  private resolveParty(
    agentId: string,
    interactionId: string,
    target: TransferTarget,
  ): { endpoint: string; targetId: string } {
    if (target.type === 'queue') {
      throw new SeatRefusal(
        400,
        'TARGET_INVALID',
        'consult and conference take an agent or a number, not a queue',
      );
    }
    if (target.type === 'number') {
      this.checkNumber(target.number);
      return { endpoint: `PJSIP/${target.number}@${this.o.trunk}`, targetId: target.number };
    }
    if (target.agentId === agentId) {
      throw new SeatRefusal(400, 'TRANSFER_TO_SELF', 'you are already on this call');
    }
    const definition = this.o.agents().find((a) => a.id === target.agentId);
    if (!definition) throw new SeatRefusal(404, 'AGENT_NOT_FOUND', `no agent with id ${target.agentId}`);
    const state = this.acd.router.seat(target.agentId)?.state.type ?? 'logged_out';
    if (state !== 'available') {
      throw new SeatRefusal(
        409,
        'TARGET_AGENT_NOT_AVAILABLE',
        `${target.agentId} is ${state.replace('_', ' ')}; only an available agent can be called in`,
      );
    }
    // Reserved now, so the router does not offer the seat another call while it rings.
    this.seatInput({
      type: 'agent',
      agentId: target.agentId,
      input: { type: 'outboundStart', interactionId },
    });
    return { endpoint: definition.endpoint, targetId: target.agentId };
  }

  /** Frees a target agent's reserved seat after a consult / conference leg ends. */
  private freeTargetSeat(leg: SeatLeg, wrapUp: boolean): void {
    if (leg.target.type !== 'agent') return;
    this.acd.input({
      type: 'agent',
      agentId: leg.target.agentId,
      input: {
        type: 'hangup',
        interactionId: leg.interactionId,
        wrapUpSeconds: wrapUp ? this.wrapUpSeconds(leg.target.agentId, leg.queueId) : 0,
      },
    });
  }

  /** Originates one seat leg; a dial Asterisk refuses at once is reported to `failed`. */
  private async dialLeg(
    leg: SeatLeg,
    endpoint: string,
    callerId: string,
    extra: Record<string, string> = {},
    ringSeconds = this.policy.ringSeconds,
  ): Promise<boolean> {
    this.seatLegs.set(leg.channelId, leg);
    try {
      await this.acd.telephony.originate({
        endpoint,
        channelId: leg.channelId,
        appArgs: [
          'agent-leg',
          leg.interactionId,
          leg.target.type === 'agent' ? leg.target.agentId : leg.purpose,
        ].join(','),
        callerId,
        timeout: ringSeconds + 5,
        variables: { 'PJSIP_HEADER(add,X-Interaction-Id)': leg.interactionId, ...extra },
      });
    } catch (error) {
      this.seatLegs.delete(leg.channelId);
      this.o.logger.warn(
        { err: error, interactionId: leg.interactionId, purpose: leg.purpose },
        'seat dial failed',
      );
      return false;
    }
    leg.timer = setTimeout(() => {
      if (leg.state === 'ringing') void this.hangupSeatLeg(leg);
    }, ringSeconds * 1000);
    return true;
  }

  private newLeg(
    purpose: SeatLeg['purpose'],
    interactionId: string,
    fromAgentId: string,
    target: TransferTarget,
    queueId?: string,
  ): SeatLeg {
    return {
      purpose,
      channelId: `seat-${randomUUID()}`,
      interactionId,
      target,
      fromAgentId,
      queueId,
      state: 'ringing',
      hangupRequested: false,
      timer: undefined,
    };
  }

  /** Ringback for an agent waiting alone in a bridge (their outbound or consulted party rings). */
  private async startRingback(bridgeId: string): Promise<string | undefined> {
    const playbackId = `ringback-${randomUUID()}`;
    try {
      await this.acd.telephony.ari.request('POST', `/bridges/${bridgeId}/play`, {
        media: 'tone:ring',
        playbackId,
      });
      return playbackId;
    } catch (error) {
      this.o.logger.debug({ err: error, bridgeId }, 'no ringback tone');
      return undefined;
    }
  }

  private stopRingback(playbackId: string | undefined): Promise<void> {
    if (!playbackId) return Promise.resolve();
    return this.acd.telephony.ari.stopPlayback(playbackId).catch(() => undefined);
  }

  private readonly ringbacks = new Map<string, string | undefined>();

  // ---------------------------------------------------------------- outbound (click-to-dial)

  /**
   * The agent calls a customer: their own phone rings first (the page answers it on its own, it asked),
   * hears ringback, then the customer is dialled on the trunk with the configured caller ID and bridged in.
   * A new 'outbound' interaction carries the whole call; the seat is busy from the start (outboundStart).
   */
  async dial(agentId: string, rawNumber: string): Promise<{ interactionId: string }> {
    const number = OutboundPolicy.normalise(rawNumber);
    const definition = this.o.agents().find((a) => a.id === agentId);
    const seat = this.acd.router.seat(agentId);
    if (!definition || !seat) throw new SeatRefusal(404, 'AGENT_NOT_FOUND', `no agent with id ${agentId}`);
    const state = seat.state.type;
    if (state !== 'available' && state !== 'not_ready') {
      throw new SeatRefusal(
        409,
        state === 'logged_out' ? 'AGENT_LOGGED_OUT' : 'AGENT_BUSY',
        state === 'logged_out'
          ? 'log the seat in before placing a call'
          : `you are ${state.replace('_', ' ')}; finish that first (calls can be placed when ready or not ready)`,
      );
    }
    this.checkNumber(number);
    const interactionId = randomUUID();
    const at = this.acd.now();
    this.seatInput({ type: 'agent', agentId, input: { type: 'outboundStart', interactionId } });
    const caller = this.policy.callerId();
    const customerChannel = `out-${randomUUID()}`;
    const session = new CallSession(
      customerChannel,
      interactionId,
      at,
      { telephony: this.acd.telephony, log: this.o.log, logger: this.o.logger, now: this.acd.now },
      number,
    );
    session.unansweredDisposition = 'no-answer';
    await session.enqueueWrite('interaction.opened', () =>
      this.o.log.open({
        id: interactionId,
        direction: 'outbound',
        channelId: customerChannel,
        trunk: this.o.trunk,
        callerNumber: number,
        dialedNumber: number,
        startedAt: at,
      }),
    );
    void session.record(
      { type: 'call.outbound', payload: { agentId, number, step: 'requested', callerId: caller.shown } },
      { agent_id: agentId },
      at,
    );
    this.acd.calls.set(interactionId, session);
    session.onEnd(() => this.acd.releaseCaller(session));
    this.watchCallerEnd(session);
    const bridgeId = `call-${interactionId}`;
    const failEarly = async (reason: string) => {
      void session.record({ type: 'call.outbound', payload: { agentId, number, step: 'failed', reason } });
      this.acd.input({ type: 'agent', agentId, input: { type: 'hangup', interactionId, wrapUpSeconds: 0 } });
      await session.markLost(this.acd.now(), reason).catch(() => undefined);
    };
    try {
      await this.acd.telephony.ari.createBridge({ bridgeId, type: 'mixing', name: bridgeId });
    } catch (error) {
      await failEarly(`bridge: ${(error as Error).message}`);
      throw error;
    }
    this.acd.bridges.set(interactionId, bridgeId);
    const agentLeg = this.newLeg('outbound-agent', interactionId, agentId, { type: 'number', number });
    agentLeg.customerChannel = customerChannel;
    const ok = await this.dialLeg(
      agentLeg,
      definition.endpoint,
      `"${number}" <${number}>`,
      {
        'PJSIP_HEADER(add,X-Seat-Call)': 'outbound',
      },
      20,
    );
    if (!ok) {
      await failEarly('your phone could not be rung (is the softphone registered?)');
      throw new SeatRefusal(
        409,
        'AGENT_PHONE_UNREACHABLE',
        'your phone could not be rung: is the softphone signed in?',
      );
    }
    this.acd.hub.publish('interaction', 'call.outbound', {
      interactionId,
      agentId,
      number,
      step: 'requested',
    });
    return { interactionId };
  }

  /** The agent's phone answered its own outbound call: bridge it, ringback, dial the customer. */
  private outboundAgentAnswered(leg: SeatLeg): void {
    this.seatLegs.delete(leg.channelId);
    const session = this.acd.calls.get(leg.interactionId);
    const bridgeId = this.acd.bridges.get(leg.interactionId);
    if (!session?.isLive || !bridgeId || !leg.customerChannel || leg.target.type !== 'number') {
      void this.acd.telephony.ari.hangup(leg.channelId).catch(() => undefined);
      return;
    }
    // From now on it is the agent's leg like an ACD one: hold, transfer and its hang-up work the same.
    this.acd.legs.add({
      channelId: leg.channelId,
      interactionId: leg.interactionId,
      agentId: leg.fromAgentId,
      queueId: '',
      state: 'connected',
      hangupRequested: false,
      offeredAt: this.acd.now(),
    });
    const number = leg.target.number;
    const caller = this.policy.callerId();
    void session.record({
      type: 'call.outbound',
      payload: { agentId: leg.fromAgentId, number, step: 'agent-answered', channelId: leg.channelId },
    });
    void (async () => {
      const ari = this.acd.telephony.ari;
      await ari.addToBridge(bridgeId, leg.channelId);
      this.ringbacks.set(leg.interactionId, await this.startRingback(bridgeId));
      const customer: SeatLeg = {
        ...this.newLeg('outbound-customer', leg.interactionId, leg.fromAgentId, leg.target),
        channelId: leg.customerChannel!,
      };
      const dialled = await this.dialLeg(
        customer,
        `PJSIP/${number}@${this.o.trunk}`,
        caller.callerId,
        caller.variables,
      );
      if (!dialled) {
        void session.record({
          type: 'call.outbound',
          payload: { agentId: leg.fromAgentId, number, step: 'failed', reason: 'the trunk refused the call' },
        });
        await session.markLost(this.acd.now(), 'the trunk refused the call');
        return;
      }
      void session.record({
        type: 'call.outbound',
        payload: {
          agentId: leg.fromAgentId,
          number,
          step: 'dialing',
          callerId: caller.shown,
          channelId: customer.channelId,
        },
      });
    })().catch((error) => {
      this.o.logger.error({ err: error, interactionId: leg.interactionId }, 'outbound dial failed');
      void session.hangup();
    });
  }

  /** The customer answered: into the bridge with the agent, recorded like an ACD conversation. */
  private outboundCustomerAnswered(leg: SeatLeg): void {
    const session = this.acd.calls.get(leg.interactionId);
    const bridgeId = this.acd.bridges.get(leg.interactionId);
    const agentLeg = this.acd.legs.find(leg.interactionId, leg.fromAgentId);
    if (!session?.isLive || !bridgeId || !agentLeg) {
      void this.hangupSeatLeg(leg);
      return;
    }
    leg.state = 'connected';
    const at = this.acd.now();
    session.move('answer');
    session.move('enqueue');
    session.move('connect');
    session.queue = { queueId: '', enqueuedAt: at, agentId: leg.fromAgentId, connectedAt: at };
    void (async () => {
      const ari = this.acd.telephony.ari;
      await this.stopRingback(this.ringbacks.get(leg.interactionId));
      this.ringbacks.delete(leg.interactionId);
      await ari.addToBridge(bridgeId, leg.channelId);
      await session.record(
        {
          type: 'call.outbound',
          payload: {
            agentId: leg.fromAgentId,
            number: this.targetId(leg.target),
            step: 'connected',
            channelId: leg.channelId,
          },
        },
        { answered_at: at, connected_at: at },
        at,
      );
      this.acd.hub.publish('interaction', 'call.outbound', {
        interactionId: leg.interactionId,
        agentId: leg.fromAgentId,
        step: 'connected',
      });
      const format = this.acd.options.recordingFormat;
      if (format) {
        const name = leg.interactionId;
        await ari
          .recordBridge(bridgeId, { name, format, ifExists: 'overwrite' })
          .then(() =>
            session.record(
              { type: 'recording.started', payload: { name, path: `${name}.${format}` } },
              { recording_path: `${name}.${format}` },
            ),
          )
          .catch((error) => session.logger.warn({ err: error }, 'recording did not start'));
      }
    })().catch((error) => {
      this.o.logger.error({ err: error, interactionId: leg.interactionId }, 'bridging the customer failed');
      void session.hangup();
    });
  }

  /** Events of the customer's leg are the call session's own (it is the interaction's "caller"). */
  private outboundCustomerEvent(leg: SeatLeg, event: TelephonyEvent): boolean {
    if (event.type === 'call.arrived') return false;
    const session = this.acd.calls.get(leg.interactionId);
    if (event.type === 'channel.ended' || event.type === 'channel.left-app') {
      clearTimeout(leg.timer);
      if (event.type === 'channel.ended') this.seatLegs.delete(leg.channelId);
      if (leg.state === 'ringing' && session && !session.isEnded) {
        const cause = event.type === 'channel.ended' ? event.cause : undefined;
        const reason =
          cause === 17
            ? 'busy'
            : cause === 19 || cause === 18 || cause === 16 || cause === undefined
              ? 'no answer'
              : `cause ${cause}`;
        void session.record({
          type: 'call.outbound',
          payload: { agentId: leg.fromAgentId, number: this.targetId(leg.target), step: 'failed', reason },
        });
        leg.state = 'connected'; // reported once
      }
    }
    if (session && 'channelId' in event) session.onTelephonyEvent(event);
    return true;
  }

  /** Ends an outbound interaction that never reached the customer (no channel exists to hang up). */
  private endUnreached(session: CallSession, reason: string): void {
    session.endedByAgent = true;
    session.unansweredDisposition = 'failed';
    session.onTelephonyEvent({
      type: 'channel.ended',
      at: this.acd.now(),
      channelId: session.channelId,
      cause: 0,
      causeText: reason,
    });
  }

  private outboundAgentEnded(leg: SeatLeg): void {
    this.seatLegs.delete(leg.channelId);
    clearTimeout(leg.timer);
    const session = this.acd.calls.get(leg.interactionId);
    this.acd.input({
      type: 'agent',
      agentId: leg.fromAgentId,
      input: { type: 'hangup', interactionId: leg.interactionId, wrapUpSeconds: 0 },
    });
    if (!session || session.isEnded) return;
    void session.record({
      type: 'call.outbound',
      payload: {
        agentId: leg.fromAgentId,
        number: this.targetId(leg.target),
        step: 'failed',
        reason: 'your phone did not answer',
      },
    });
    this.endUnreached(session, 'the agent phone did not answer');
  }

  // ---------------------------------------------------------------- consulted transfer

  private readonly consults = new Map<string, { leg: SeatLeg; bridgeId: string; agentId: string }>();

  /**
   * Consult: the caller waits on hold (music), the agent's leg moves to a private bridge with the target
   * (an agent or a number) who is rung there. Then complete (caller ↔ target) or cancel (back to the caller).
   */
  async consult(agentId: string, interactionId: string, target: TransferTarget): Promise<void> {
    const { session, leg, onHold } = this.current(agentId, interactionId);
    if (this.consults.has(interactionId)) {
      throw new SeatRefusal(409, 'CONSULT_IN_PROGRESS', 'a consultation is already in progress on this call');
    }
    if (this.partiesOf(interactionId).length > 0) {
      throw new SeatRefusal(409, 'CONFERENCE_IN_PROGRESS', 'drop the conference party before consulting');
    }
    if (target.type === 'number') this.checkNumber(target.number);
    if (!onHold) await this.hold(agentId, interactionId);
    let resolved: { endpoint: string; targetId: string };
    try {
      resolved = this.resolveParty(agentId, interactionId, target);
    } catch (error) {
      await this.resume(agentId, interactionId).catch(() => undefined);
      throw error;
    }
    const ari = this.acd.telephony.ari;
    this.watchCallerEnd(session);
    const consultBridge = `consult-${interactionId}`;
    const consultLeg = this.newLeg(
      'consult',
      interactionId,
      agentId,
      target,
      session.queue?.queueId || undefined,
    );
    this.consults.set(interactionId, { leg: consultLeg, bridgeId: consultBridge, agentId });
    const step = (s: 'requested' | 'dialing' | 'failed', reason?: string) =>
      session.record({
        type: 'call.transferred',
        payload: {
          agentId,
          kind: 'consult',
          target: { type: target.type, id: resolved.targetId },
          step: s,
          reason,
          channelId: s === 'dialing' ? consultLeg.channelId : undefined,
        },
      });
    void step('requested');
    try {
      await ari.createBridge({ bridgeId: consultBridge, type: 'mixing', name: consultBridge });
      await ari.addToBridge(consultBridge, leg.channelId);
      this.ringbacks.set(consultBridge, await this.startRingback(consultBridge));
    } catch (error) {
      this.consults.delete(interactionId);
      this.freeTargetSeat(consultLeg, false);
      await this.backToCaller(agentId, interactionId, consultBridge);
      throw error;
    }
    const dialled = await this.dialLeg(consultLeg, resolved.endpoint, session.callerNumber || 'unknown');
    if (!dialled) {
      void step('failed', 'the target could not be dialled');
      await this.consultEnded(consultLeg, 'the target could not be dialled');
      throw new SeatRefusal(409, 'TARGET_UNREACHABLE', `${resolved.targetId} could not be dialled`);
    }
    void step('dialing');
    this.acd.hub.publish('interaction', 'call.consult', {
      interactionId,
      agentId,
      step: 'dialing',
      target: resolved.targetId,
    });
  }

  private consultAnswered(leg: SeatLeg): void {
    const consult = this.consults.get(leg.interactionId);
    const session = this.acd.calls.get(leg.interactionId);
    if (!consult || consult.leg !== leg || !session?.isLive) {
      void this.hangupSeatLeg(leg);
      return;
    }
    leg.state = 'connected';
    void (async () => {
      await this.stopRingback(this.ringbacks.get(consult.bridgeId));
      this.ringbacks.delete(consult.bridgeId);
      await this.acd.telephony.ari.addToBridge(consult.bridgeId, leg.channelId);
      void session.record({
        type: 'call.transferred',
        payload: {
          agentId: leg.fromAgentId,
          kind: 'consult',
          target: { type: leg.target.type, id: this.targetId(leg.target) },
          step: 'connected',
          channelId: leg.channelId,
        },
      });
      this.acd.hub.publish('interaction', 'call.consult', {
        interactionId: leg.interactionId,
        agentId: leg.fromAgentId,
        step: 'connected',
        target: this.targetId(leg.target),
      });
    })().catch((error) => {
      this.o.logger.error({ err: error }, 'bridging the consultation failed');
      void this.hangupSeatLeg(leg);
    });
  }

  /** Completes the consultation: the caller and the target talk; the agent goes to wrap-up. */
  async completeConsult(agentId: string, interactionId: string): Promise<void> {
    const consult = this.consults.get(interactionId);
    if (!consult || consult.agentId !== agentId) {
      throw new SeatRefusal(409, 'NO_CONSULT', 'there is no consultation in progress on this call');
    }
    const { session, leg, bridgeId } = this.current(agentId, interactionId);
    const target = consult.leg;
    if (target.state !== 'connected') {
      throw new SeatRefusal(
        409,
        'CONSULT_NOT_CONNECTED',
        'the consulted party has not answered yet; cancel or wait',
      );
    }
    const ari = this.acd.telephony.ari;
    this.consults.delete(interactionId);
    await ari.removeFromBridge(consult.bridgeId, target.channelId).catch(() => undefined);
    await ari.stopBridgeMoh(bridgeId).catch(() => undefined);
    await ari.addToBridge(bridgeId, target.channelId);
    const { heldSeconds, total } = await this.endHold(interactionId);
    // From here the target's leg is a blind transfer's connected leg: its hang-up ends the conversation.
    target.purpose = 'transfer';
    this.releaseAgent(agentId, interactionId, leg);
    await ari.destroyBridge(consult.bridgeId).catch(() => undefined);
    void session.record(
      {
        type: 'call.transferred',
        payload: {
          agentId,
          kind: 'consult',
          target: { type: target.target.type, id: this.targetId(target.target) },
          step: 'completed',
          channelId: target.channelId,
        },
      },
      {
        hold_seconds: total,
        ...(target.target.type === 'agent' ? { agent_id: target.target.agentId } : {}),
      },
    );
    this.o.logger.info({ interactionId, heldSeconds }, 'consulted transfer completed');
    this.acd.hub.publish('interaction', 'call.transferred', {
      interactionId,
      from: agentId,
      to: this.targetId(target.target),
    });
  }

  /** Cancels the consultation: the target is hung up, the agent is back with the caller. */
  async cancelConsult(agentId: string, interactionId: string): Promise<void> {
    const consult = this.consults.get(interactionId);
    if (!consult || consult.agentId !== agentId) {
      throw new SeatRefusal(409, 'NO_CONSULT', 'there is no consultation in progress on this call');
    }
    this.current(agentId, interactionId);
    const ended = this.consultEnded(consult.leg, undefined, 'cancelled');
    await this.hangupSeatLeg(consult.leg);
    await ended;
  }

  /** The consultation is over without a transfer (cancelled, target hung up or never answered). */
  private async consultEnded(leg: SeatLeg, reason?: string, step: 'cancelled' | 'failed' = 'failed') {
    const consult = this.consults.get(leg.interactionId);
    if (!consult || consult.leg !== leg) return;
    this.consults.delete(leg.interactionId);
    this.seatLegs.delete(leg.channelId);
    clearTimeout(leg.timer);
    this.freeTargetSeat(leg, false);
    const session = this.acd.calls.get(leg.interactionId);
    void session?.record({
      type: 'call.transferred',
      payload: {
        agentId: leg.fromAgentId,
        kind: 'consult',
        target: { type: leg.target.type, id: this.targetId(leg.target) },
        step,
        reason,
      },
    });
    this.acd.hub.publish('interaction', 'call.consult', {
      interactionId: leg.interactionId,
      agentId: leg.fromAgentId,
      step,
    });
    if (session?.isLive) await this.backToCaller(leg.fromAgentId, leg.interactionId, consult.bridgeId);
    else await this.acd.telephony.ari.destroyBridge(consult.bridgeId).catch(() => undefined);
  }

  /** The agent's leg leaves the consult bridge and takes the caller off hold. */
  private async backToCaller(agentId: string, interactionId: string, consultBridge: string): Promise<void> {
    const ari = this.acd.telephony.ari;
    await this.stopRingback(this.ringbacks.get(consultBridge));
    this.ringbacks.delete(consultBridge);
    const leg = this.agentLegOf(interactionId, agentId);
    if (leg) await ari.removeFromBridge(consultBridge, leg.channelId).catch(() => undefined);
    await ari.destroyBridge(consultBridge).catch(() => undefined);
    await this.resume(agentId, interactionId).catch((error) =>
      this.o.logger.warn(
        { err: error, interactionId },
        'could not take the caller off hold after the consultation',
      ),
    );
  }

  // ---------------------------------------------------------------- 3-way conference

  private partiesOf(interactionId: string): SeatLeg[] {
    return [...this.seatLegs.values()].filter(
      (l) => l.interactionId === interactionId && l.purpose === 'conference' && !l.hangupRequested,
    );
  }

  /** The call's conference parties besides the caller and the agent: channel, who, ringing or joined. */
  parties(interactionId: string): { channelId: string; type: string; id: string; state: string }[] {
    return this.partiesOf(interactionId).map((l) => ({
      channelId: l.channelId,
      type: l.target.type,
      id: this.targetId(l.target),
      state: l.state === 'connected' ? 'joined' : 'ringing',
    }));
  }

  /** Adds a third party (agent or number) into the call's bridge: all three hear each other. */
  async conference(
    agentId: string,
    interactionId: string,
    target: TransferTarget,
  ): Promise<{ channelId: string }> {
    const { session, onHold } = this.current(agentId, interactionId);
    if (onHold) throw new SeatRefusal(409, 'CALL_ON_HOLD', 'take the caller off hold before adding a party');
    if (this.consults.has(interactionId)) {
      throw new SeatRefusal(409, 'CONSULT_IN_PROGRESS', 'finish or cancel the consultation first');
    }
    if (this.partiesOf(interactionId).length > 0) {
      throw new SeatRefusal(
        409,
        'CONFERENCE_FULL',
        'a conference has three parties at most here: drop the other one first',
      );
    }
    const resolved = this.resolveParty(agentId, interactionId, target);
    this.watchCallerEnd(session);
    const leg = this.newLeg(
      'conference',
      interactionId,
      agentId,
      target,
      session.queue?.queueId || undefined,
    );
    const dialled = await this.dialLeg(leg, resolved.endpoint, session.callerNumber || 'unknown');
    if (!dialled) {
      this.freeTargetSeat(leg, false);
      throw new SeatRefusal(409, 'TARGET_UNREACHABLE', `${resolved.targetId} could not be dialled`);
    }
    this.conferenceStep(leg, 'dialing');
    return { channelId: leg.channelId };
  }

  private conferenceStep(
    leg: SeatLeg,
    step: 'dialing' | 'joined' | 'failed' | 'dropped' | 'left',
    reason?: string,
    patch: Parameters<CallSession['record']>[1] = {},
  ): void {
    const session = this.acd.calls.get(leg.interactionId);
    void session?.record(
      {
        type: 'call.conference',
        payload: {
          agentId: leg.fromAgentId,
          party: { type: leg.target.type, id: this.targetId(leg.target) },
          step,
          channelId: leg.channelId,
          reason,
        },
      },
      patch,
    );
    this.acd.hub.publish('interaction', 'call.conference', {
      interactionId: leg.interactionId,
      agentId: leg.fromAgentId,
      step,
      channelId: leg.channelId,
      party: this.targetId(leg.target),
    });
  }

  private conferenceAnswered(leg: SeatLeg): void {
    const session = this.acd.calls.get(leg.interactionId);
    const bridgeId = this.acd.bridges.get(leg.interactionId);
    if (!session?.isLive || !bridgeId) {
      void this.hangupSeatLeg(leg);
      return;
    }
    leg.state = 'connected';
    void this.acd.telephony.ari
      .addToBridge(bridgeId, leg.channelId)
      .then(() => this.conferenceStep(leg, 'joined'))
      .catch((error) => {
        this.o.logger.error({ err: error }, 'adding the conference party failed');
        void this.hangupSeatLeg(leg);
      });
  }

  /** The agent drops one conference party (by its channel); the caller stays with the agent. */
  async dropParty(agentId: string, interactionId: string, channelId: string): Promise<void> {
    const leg = this.seatLegs.get(channelId);
    if (!leg || leg.interactionId !== interactionId || leg.purpose !== 'conference') {
      const session = this.acd.calls.get(interactionId);
      if (session && session.channelId === channelId) {
        throw new SeatRefusal(
          409,
          'CANNOT_DROP_CALLER',
          'the caller cannot be dropped: hang up to end the call, or leave the conference',
        );
      }
      throw new SeatRefusal(404, 'PARTY_NOT_FOUND', `no conference party ${channelId} on this call`);
    }
    const seat = this.acd.router.seat(agentId)?.state;
    const mine = seat && 'call' in seat && seat.call.interactionId === interactionId;
    if (!mine) throw new SeatRefusal(409, 'NO_ACTIVE_CALL', `you are not on interaction ${interactionId}`);
    leg.dropped = true;
    this.conferenceStep(leg, 'dropped');
    await this.hangupSeatLeg(leg);
  }

  /** The agent leaves: the caller and the conference party keep talking; the agent goes to wrap-up. */
  async leaveConference(agentId: string, interactionId: string): Promise<void> {
    const { session, leg } = this.current(agentId, interactionId);
    const joined = this.partiesOf(interactionId).filter((l) => l.state === 'connected');
    if (joined.length === 0) {
      throw new SeatRefusal(409, 'NO_CONFERENCE', 'no other party has joined: hang up or transfer instead');
    }
    const party = joined[0]!;
    // The party now carries the conversation: its hang-up ends it (as a transfer target's would).
    party.purpose = 'transfer';
    this.releaseAgent(agentId, interactionId, leg);
    void session.record(
      {
        type: 'call.conference',
        payload: {
          agentId,
          party: { type: party.target.type, id: this.targetId(party.target) },
          step: 'left',
          reason: 'the agent left the conference',
        },
      },
      party.target.type === 'agent' ? { agent_id: party.target.agentId } : {},
    );
    this.acd.hub.publish('interaction', 'call.conference', { interactionId, agentId, step: 'left' });
  }

  private conferenceEnded(leg: SeatLeg, event: TelephonyEvent): void {
    this.seatLegs.delete(leg.channelId);
    clearTimeout(leg.timer);
    this.freeTargetSeat(leg, leg.state === 'connected');
    if (leg.dropped) return; // already on the timeline
    const cause = event.type === 'channel.ended' ? event.cause : undefined;
    if (leg.state === 'connected') this.conferenceStep(leg, 'left', 'the party hung up');
    else this.conferenceStep(leg, 'failed', cause === 17 ? 'busy' : 'no answer');
  }

  private readonly callerWatched = new Set<string>();

  /** When the caller's leg ends, every leg the seat dialled for the call goes too (once per call). */
  private watchCallerEnd(session: CallSession): void {
    const id = session.interactionId;
    if (this.callerWatched.has(id)) return;
    this.callerWatched.add(id);
    session.onEnd(() => {
      this.callerWatched.delete(id);
      this.callerEnded(id);
      const consult = this.consults.get(id);
      if (consult) {
        this.consults.delete(id);
        void this.acd.telephony.ari.destroyBridge(consult.bridgeId).catch(() => undefined);
      }
      const ringback = this.ringbacks.get(id);
      this.ringbacks.delete(id);
      void this.stopRingback(ringback);
    });
  }
}
