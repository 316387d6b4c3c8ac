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
import type { AgentLeg } from '../acd/agent-legs.js';
import type { CallSession } from '../call-session.js';

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
  /** Numbers the seat may dial (transfer targets); a number matching none is refused. */
  allowedNumbers?: RegExp[];
  /** How long a transfer target rings before the transfer fails. */
  ringSeconds?: number;
}

interface HeldCall {
  agentId: string;
  heldAt: number;
}

/** A leg the seat dialled itself: a transfer target. */
interface SeatLeg {
  channelId: string;
  interactionId: string;
  target: TransferTarget;
  fromAgentId: string;
  /** The queue the call came from (its wrap-up time applies to the target agent). */
  queueId: string | undefined;
  state: 'ringing' | 'connected';
  hangupRequested: boolean;
  timer: NodeJS.Timeout | undefined;
}

export const DEFAULT_ALLOWED_NUMBERS = [/^\+?[1-9][0-9]{2,14}$/];
/** Never dialled whatever the rules say: premium-rate prefixes. */
const DENIED_NUMBERS = [/^\+?1?900/, /^\+?0?90[0-9]/];

export class SeatCalls {
  private readonly held = new Map<string, HeldCall>();
  private readonly holdTotals = new Map<string, number>();
  private readonly seatLegs = new Map<string, SeatLeg>();
  private readonly rejoins = new Map<
    string,
    { agentId: string; interactionId: string; oldChannelId: string }
  >();

  constructor(private readonly o: SeatCallsOptions) {
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
    const leg = this.acd.legs.find(interactionId, agentId);
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
        type: 'call.transferred',
        payload: {
          agentId: rejoin.agentId,
          kind: 'blind',
          target: { type: 'rejoin', id: rejoin.agentId },
          step: 'connected',
          channelId,
        },
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
    session.onEnd(() => this.callerEnded(interactionId));
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
    const allowed = this.o.allowedNumbers ?? DEFAULT_ALLOWED_NUMBERS;
    if (DENIED_NUMBERS.some((r) => r.test(number)) || !allowed.some((r) => r.test(number))) {
      throw new SeatRefusal(
        403,
        'DESTINATION_NOT_ALLOWED',
        `${number} is not a destination agents may dial (international format, no premium-rate numbers)`,
      );
    }
  }

  /** The agent leaves the conversation: wrap-up for the seat, their leg hung up as expected. */
  private releaseAgent(agentId: string, interactionId: string, leg: AgentLeg): void {
    this.held.delete(interactionId);
    this.acd.input({ type: 'agent', agentId, input: { type: 'hangup', interactionId } });
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
    if (event.type !== 'channel.ended' && event.type !== 'channel.left-app') return false;
    const leg = this.seatLegs.get(event.channelId);
    if (!leg) return false;
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
}
