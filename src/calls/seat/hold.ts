/**
 * Hold / resume: the agent leaves the bridge and the caller hears its music; the hold seconds add up on the
 * interaction, including a hold the call ends in. The books (`record.held`, `holdTotals`) are keyed by the
 * id the seat and the ACD know the call by (`session.routingId`); the figures go on the conversation's own
 * row (`session.interactionId`). The two differ for a callback: routed as the request, talked as a new call.
 */
import { isGone } from '../../telephony/ari/rest.js';
import type { CallSession } from '../call-session.js';
import { currentCall, seatInput } from './current-call.js';
import { conferencePartiesOf } from './legs.js';
import { holdSecondsAt } from './outbound-policy.js';
import { SeatRefusal } from './refusal.js';
import type { SeatDeps } from './seat-deps.js';

export type HoldVerbs = ReturnType<typeof createHold>;

export function createHold(deps: SeatDeps) {
  const { acd, record, options } = deps;

  async function hold(agentId: string, interactionId: string): Promise<void> {
    const { session, leg, bridgeId, onHold } = currentCall(deps, agentId, interactionId);
    if (onHold) throw new SeatRefusal(409, 'CALL_ALREADY_ON_HOLD', 'the call is already on hold');
    // A barging supervisor would be left with the caller, under the bridge's music.
    if (deps.barging(interactionId)) {
      throw new SeatRefusal(
        409,
        'SUPERVISOR_BARGING',
        'a supervisor is in the call (barge): they would be left alone with the caller under hold music; ask them to leave or switch to listen first',
      );
    }
    // The bridge's music would play over the caller and the party talking to each other.
    if (conferencePartiesOf(deps, interactionId).length > 0) {
      throw new SeatRefusal(
        409,
        'CONFERENCE_IN_PROGRESS',
        'the caller and the party would hear hold music over each other: drop the party or leave the conference first',
      );
    }
    const ari = acd.telephony.ari;
    // The agent leaves the bridge (hears silence); the caller, alone in it, hears the bridge's music.
    await ari.removeFromBridge(bridgeId, leg.channelId);
    try {
      await ari.startBridgeMoh(bridgeId);
    } catch (error) {
      await ari.addToBridge(bridgeId, leg.channelId).catch(() => undefined);
      throw error;
    }
    seatInput(deps, { type: 'agent', agentId, input: { type: 'hold', interactionId } });
    const at = acd.now();
    record.held.set(interactionId, { agentId, heldAt: at });
    watchHoldAtEnd(session);
    void session.record({ type: 'call.held', payload: { agentId, bridgeId } }, {}, at);
    acd.hub.publish('call.held', { interactionId, agentId });
  }

  async function resume(agentId: string, interactionId: string): Promise<void> {
    const { session, leg, bridgeId, onHold } = currentCall(deps, agentId, interactionId);
    if (!onHold) throw new SeatRefusal(409, 'CALL_NOT_ON_HOLD', 'the call is not on hold');
    // The agent's leg is in the consultation's bridge: resuming would put the caller within earshot of it.
    if (record.consults.has(interactionId)) {
      throw new SeatRefusal(
        409,
        'CONSULT_IN_PROGRESS',
        'finish the consultation (complete the transfer) or go back to the caller first',
      );
    }
    const ari = acd.telephony.ari;
    await ari.stopBridgeMoh(bridgeId).catch((error) => {
      if (!isGone(error)) throw error;
    });
    try {
      await ari.addToBridge(bridgeId, leg.channelId);
    } catch (error) {
      // Still on hold: the caller hears its music again rather than silence.
      await ari.startBridgeMoh(bridgeId).catch(() => undefined);
      throw error;
    }
    seatInput(deps, { type: 'agent', agentId, input: { type: 'resume', interactionId } });
    const heldSeconds = await closeHold(session, agentId);
    acd.hub.publish('call.resumed', { interactionId, agentId, heldSeconds });
  }

  /** Ends the hold period in the books and on the timeline; the seconds it lasted. */
  async function closeHold(session: CallSession, agentId: string): Promise<number> {
    const { heldSeconds, total, at } = await endHold(session.routingId);
    void session.record(
      { type: 'call.resumed', payload: { agentId, heldSeconds, totalHoldSeconds: total } },
      { hold_seconds: total },
      at,
    );
    return heldSeconds;
  }

  /**
   * A call that ends while on hold still counts its last hold period: written (with the event that says
   * so) before the interaction closes, since end listeners run before the closing write is queued.
   */
  function watchHoldAtEnd(session: CallSession): void {
    const interactionId = session.routingId;
    if (record.holdEndWatched.has(interactionId)) return;
    record.holdEndWatched.add(interactionId);
    session.onEnd(() => {
      record.holdEndWatched.delete(interactionId);
      const held = record.held.get(interactionId);
      record.held.delete(interactionId);
      if (held) closeHoldInBooks(deps, session, held, { endedOnHold: true });
      record.holdTotals.delete(interactionId);
    });
  }

  /** Ends the hold period in the books (not the bridge): the seconds it lasted and the new total. */
  async function endHold(interactionId: string): Promise<{ heldSeconds: number; total: number; at: number }> {
    const at = acd.now();
    const row = acd.calls.get(interactionId)?.interactionId ?? interactionId;
    const heldAt = record.held.get(interactionId)?.heldAt ?? at;
    record.held.delete(interactionId);
    const heldSeconds = (at - heldAt) / 1000;
    const total = (await holdTotal(interactionId, row)) + heldSeconds;
    record.holdTotals.set(interactionId, total);
    return { heldSeconds, total, at };
  }

  async function holdTotal(interactionId: string, row: string): Promise<number> {
    const known = record.holdTotals.get(interactionId);
    if (known !== undefined) return known;
    return (await options.log.get(row))?.hold_seconds ?? 0;
  }

  /** The agent's phone was lost with the caller on hold: the hold ends in the books as the caller leaves it. */
  async function agentLost(interactionId: string): Promise<void> {
    const held = record.held.get(interactionId);
    const session = acd.calls.get(interactionId);
    if (held && session) await closeHold(session, held.agentId);
  }

  /** A call on hold carried on after a restart of the service: its hold is in the books again. */
  function adopt(session: CallSession, agentId: string, heldAt: number): void {
    record.held.set(session.routingId, { agentId, heldAt });
    watchHoldAtEnd(session);
  }

  return { hold, resume, endHold, agentLost, adopt };
}

/**
 * Writes the end of a hold period that ends without a resume (the call ended on hold, or the agent gave
 * it away on hold by a transfer or by leaving a conference): `call.resumed` and the new hold total, in the
 * call's write order.
 */
export function closeHoldInBooks(
  deps: SeatDeps,
  session: CallSession,
  held: { agentId: string; heldAt: number },
  why: { endedOnHold?: true; handedOver?: true },
): void {
  const { acd, record, options } = deps;
  const interactionId = session.interactionId;
  const at = acd.now();
  const known = record.holdTotals.get(session.routingId);
  const heldSeconds = holdSecondsAt(0, held.heldAt, at);
  if (known !== undefined) record.holdTotals.set(session.routingId, known + heldSeconds);
  void session.enqueueWrite('call.resumed', async () => {
    const before = known ?? (await options.log.get(interactionId))?.hold_seconds ?? 0;
    const total = before + heldSeconds;
    await options.log.record(
      interactionId,
      at,
      {
        type: 'call.resumed',
        payload: { agentId: held.agentId, heldSeconds, totalHoldSeconds: total, ...why },
      },
      { hold_seconds: total },
    );
  });
}
