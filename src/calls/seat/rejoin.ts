/**
 * Rejoin after a page reload: the agent's old WebRTC leg is dead but still bridged. The agent's device is
 * rung again; once it answers the new leg takes the old one's place in the bridge (the caller stays).
 */
import { randomUUID } from 'node:crypto';
import type { AcdRuntime } from '../acd/acd-runtime.js';
import type { CallSession } from '../call-session.js';
import { currentCall } from './current-call.js';
import { SeatRefusal } from './refusal.js';
import type { SeatDeps } from './seat-deps.js';

export type RejoinVerbs = ReturnType<typeof createRejoin>;

/**
 * A rejoin's ring given up (not answered, not rung, or let go by a restart of the service): on the call's
 * record and the agent's stream, whose page then offers Rejoin again.
 */
export function rejoinGivenUp(
  acd: AcdRuntime,
  session: CallSession | undefined,
  given: { interactionId: string; agentId: string; channelId: string; reason: string },
): void {
  const { interactionId, agentId, channelId, reason } = given;
  void session?.record({ type: 'call.rejoined', payload: { agentId, step: 'gave-up', channelId, reason } });
  acd.hub.publish('call.rejoined', { interactionId, agentId, step: 'gave-up', reason });
}

export function createRejoin(deps: SeatDeps) {
  const { acd, record, options } = deps;

  async function rejoin(agentId: string, interactionId: string): Promise<void> {
    const { session, leg } = currentCall(deps, agentId, interactionId);
    const definition = options.agents().find((a) => a.id === agentId);
    if (!definition) throw new SeatRefusal(404, 'AGENT_NOT_FOUND', `no agent with id ${agentId}`);
    const channelId = `seat-${randomUUID()}`;
    record.rejoins.set(channelId, { agentId, interactionId, oldChannelId: leg.channelId });
    void session.record({ type: 'call.rejoined', payload: { agentId, step: 'ringing', channelId } });
    try {
      await acd.telephony.originate({
        endpoint: definition.endpoint,
        channelId,
        appArgs: ['agent-leg', interactionId, agentId].join(','),
        callerId: session.legCallerId,
        timeout: 20,
        variables: { 'PJSIP_HEADER(add,X-Interaction-Id)': interactionId },
      });
    } catch (error) {
      ended(
        channelId,
        `the phone could not be rung: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw error;
    }
  }

  /**
   * The rejoin's ring ended unanswered (the page was closed or reloaded again, the phone refused it): on
   * the call's record and the agent's stream, so the page can ask again. The caller stays on the old leg
   * until that one's silence ends it (then the agent is lost and the caller goes back to the queue).
   * False when the channel was no rejoin's.
   */
  function ended(channelId: string, reason: string): boolean {
    const pending = record.rejoins.get(channelId);
    if (!pending) return false;
    record.rejoins.delete(channelId);
    const { agentId, interactionId } = pending;
    rejoinGivenUp(acd, acd.calls.get(interactionId), { interactionId, agentId, channelId, reason });
    options.logger.warn({ interactionId, agentId, channelId, reason }, "the agent's rejoin was given up");
    return true;
  }

  /** True when the answered channel was a rejoin's new leg (handled here). */
  function answered(channelId: string): boolean {
    const pending = record.rejoins.get(channelId);
    if (!pending) return false;
    record.rejoins.delete(channelId);
    const old = acd.legs.get(pending.oldChannelId);
    // An agent who took the call by a transfer, consultation or conference holds it on a seat leg.
    const oldSeatLeg = old ? undefined : record.legs.get(pending.oldChannelId);
    const bridgeId = acd.bridges.get(pending.interactionId);
    if ((!old && !oldSeatLeg) || !bridgeId) {
      void acd.telephony.ari.hangup(channelId).catch(() => undefined);
      return true;
    }
    // The new leg becomes the agent's leg; the old one is hung up as expected (no end of conversation).
    if (old) {
      acd.legs.add({ ...old, channelId, hangupRequested: false });
      acd.legs.remove(old.channelId);
    } else if (oldSeatLeg) {
      record.legs.set(channelId, { ...oldSeatLeg, channelId, hangupRequested: false, timer: undefined });
      record.legs.delete(oldSeatLeg.channelId);
    }
    const onHold = record.held.has(pending.interactionId);
    // Mid-consultation the agent was talking in the consultation's bridge: back there, not to the caller.
    const consultation = record.consults.get(pending.interactionId);
    // The agent left the call while the phone rang back (a transfer completed from the API, say): the new
    // leg is not bridged, or it would join the others' conversation; it goes with the old one.
    const seat = acd.router.seat(pending.agentId)?.state;
    const stillOnCall =
      (seat?.type === 'talking' || seat?.type === 'on_hold') &&
      seat.call.interactionId === pending.interactionId;
    void (async () => {
      if (!stillOnCall) await acd.telephony.ari.hangup(channelId).catch(() => undefined);
      else if (consultation) await acd.telephony.ari.addToBridge(consultation.bridgeId, channelId);
      else if (!onHold) await acd.telephony.ari.addToBridge(bridgeId, channelId);
      if (old) await acd.hangupLeg(old);
      else if (oldSeatLeg && !oldSeatLeg.hangupRequested) {
        oldSeatLeg.hangupRequested = true;
        await acd.telephony.ari.hangup(oldSeatLeg.channelId).catch(() => undefined);
      }
      const session = acd.calls.get(pending.interactionId);
      void session?.record({
        type: 'call.rejoined',
        payload: { agentId: pending.agentId, step: 'rejoined', channelId },
      });
      acd.hub.publish('call.rejoined', {
        interactionId: pending.interactionId,
        agentId: pending.agentId,
        step: 'rejoined',
      });
    })().catch((error) => options.logger.error({ err: error }, 'rejoining the call failed'));
    return true;
  }

  return { rejoin, answered, ended };
}
