/**
 * 3-way conference: a third party (an agent or a number) rung into the call's own bridge, so all three hear
 * each other. The agent can drop the party, or leave it with the caller.
 */
import type { TelephonyEvent } from '../../telephony/telephony.js';
import type { CallSession } from '../call-session.js';
import type { ConferenceUnderWay } from '../takeover.js';
import { reportAudioRestored } from '../conference-audio.js';
import { conferenceMemberOf, currentCall, releaseAgent } from './current-call.js';
import { conferencePartiesOf, dialLeg, hangupSeatLeg, newLeg, watchCallerEnd } from './legs.js';
import { SeatRefusal, type TransferTarget, targetIdOf } from './refusal.js';
import type { SeatDeps } from './seat-deps.js';
import type { SeatLeg } from './seat-record.js';
import { freeTargetSeat, resolveParty } from './targets.js';

export type ConferenceVerbs = ReturnType<typeof createConference>;

export function createConference(deps: SeatDeps) {
  const { acd, record, options } = deps;

  /** The call's conference parties besides the caller and the agent: channel, who, ringing or joined. */
  function parties(interactionId: string): { channelId: string; type: string; id: string; state: string }[] {
    return conferencePartiesOf(deps, interactionId).map((l) => ({
      channelId: l.channelId,
      type: l.target.type,
      id: targetIdOf(l.target),
      state: l.state === 'connected' ? 'joined' : 'ringing',
    }));
  }

  /** Adds a third party (agent or number) into the call's bridge: all three hear each other. */
  async function conference(
    agentId: string,
    interactionId: string,
    target: TransferTarget,
  ): Promise<{ channelId: string }> {
    const { session, onHold } = currentCall(deps, agentId, interactionId);
    if (onHold) throw new SeatRefusal(409, 'CALL_ON_HOLD', 'take the caller off hold before adding a party');
    if (record.consults.has(interactionId)) {
      throw new SeatRefusal(409, 'CONSULT_IN_PROGRESS', 'finish or cancel the consultation first');
    }
    if (conferencePartiesOf(deps, interactionId).length > 0) {
      throw new SeatRefusal(
        409,
        'CONFERENCE_FULL',
        'a conference has three parties at most here: drop the other one first',
      );
    }
    const resolved = resolveParty(deps, agentId, interactionId, target);
    watchCallerEnd(deps, session);
    const leg = newLeg('conference', interactionId, agentId, target, session.queue?.queueId || undefined);
    const dialled = await dialLeg(deps, leg, resolved.endpoint, session.legCallerId);
    if (!dialled) {
      freeTargetSeat(deps, leg, false);
      const why = leg.unreachable ?? 'the target could not be dialled';
      throw new SeatRefusal(409, 'TARGET_UNREACHABLE', `${resolved.targetId} could not be rung: ${why}`);
    }
    conferenceStep(leg, 'dialing');
    return { channelId: leg.channelId };
  }

  function conferenceStep(
    leg: SeatLeg,
    step: 'dialing' | 'joined' | 'failed' | 'dropped' | 'left',
    reason?: string,
    patch: Parameters<CallSession['record']>[1] = {},
  ): void {
    const session = acd.calls.get(leg.interactionId);
    void session?.record(
      {
        type: 'call.conference',
        payload: {
          agentId: leg.fromAgentId,
          party: { type: leg.target.type, id: targetIdOf(leg.target) },
          step,
          channelId: leg.channelId,
          reason,
        },
      },
      patch,
    );
    acd.hub.publish('call.conference', {
      interactionId: leg.interactionId,
      agentId: leg.fromAgentId,
      step,
      channelId: leg.channelId,
      party: targetIdOf(leg.target),
      targetType: leg.target.type,
    });
  }

  function answered(leg: SeatLeg): void {
    const session = acd.calls.get(leg.interactionId);
    const bridgeId = acd.bridges.get(leg.interactionId);
    if (!session?.isLive || !bridgeId) {
      void hangupSeatLeg(deps, leg);
      return;
    }
    leg.state = 'connected';
    void acd.telephony.ari
      .addToBridge(bridgeId, leg.channelId)
      .then(() => {
        conferenceStep(leg, 'joined');
        // The bridge became a conference: Asterisk now and then stops sending to a member (see telephony).
        const { interactionId, fromAgentId: agentId } = leg;
        void acd.telephony
          .restoreConferenceMedia(bridgeId, { interactionId, agentId })
          .then((outcome) =>
            reportAudioRestored(
              outcome,
              'conference',
              { interactionId, agentId },
              (channelId) => conferenceMemberOf(deps, interactionId, channelId),
              { record: (event) => session.record(event), hub: acd.hub },
            ),
          );
      })
      .catch((error) => {
        options.logger.error({ err: error }, 'adding the conference party failed');
        void hangupSeatLeg(deps, leg);
      });
  }

  /** The agent drops one conference party (by its channel); the caller stays with the agent. */
  async function dropParty(agentId: string, interactionId: string, channelId: string): Promise<void> {
    const leg = record.legs.get(channelId);
    if (!leg || leg.interactionId !== interactionId || leg.purpose !== 'conference') {
      const session = acd.calls.get(interactionId);
      if (session && session.channelId === channelId) {
        throw new SeatRefusal(
          409,
          'CANNOT_DROP_CALLER',
          'the caller cannot be dropped: hang up to end the call, or leave the conference',
        );
      }
      throw new SeatRefusal(404, 'PARTY_NOT_FOUND', `no conference party ${channelId} on this call`);
    }
    const seat = acd.router.seat(agentId)?.state;
    const mine = seat && 'call' in seat && seat.call.interactionId === interactionId;
    if (!mine) throw new SeatRefusal(409, 'NO_ACTIVE_CALL', `you are not on interaction ${interactionId}`);
    leg.dropped = true;
    conferenceStep(leg, 'dropped');
    await hangupSeatLeg(deps, leg);
  }

  /** The agent leaves: the caller and the conference party keep talking; the agent goes to wrap-up. */
  async function leaveConference(agentId: string, interactionId: string): Promise<void> {
    const { session, leg, bridgeId, onHold } = currentCall(deps, agentId, interactionId);
    const joined = conferencePartiesOf(deps, interactionId).filter((l) => l.state === 'connected');
    if (joined.length === 0) {
      throw new SeatRefusal(409, 'NO_CONFERENCE', 'no other party has joined: hang up or transfer instead');
    }
    const party = joined[0]!;
    // Left from hold: the caller and the party talk on, without the hold music over them.
    if (onHold) await acd.telephony.ari.stopBridgeMoh(bridgeId).catch(() => undefined);
    // The party now carries the conversation: its hang-up ends it (as a transfer target's would).
    party.purpose = 'transfer';
    releaseAgent(deps, agentId, interactionId, leg);
    void session.record(
      {
        type: 'call.conference',
        payload: {
          agentId,
          party: { type: party.target.type, id: targetIdOf(party.target) },
          step: 'left',
          reason: 'the agent left the conference',
        },
      },
      party.target.type === 'agent' ? { agent_id: party.target.agentId } : {},
    );
    acd.hub.publish('call.conference', { interactionId, agentId, step: 'left' });
  }

  /** A party's leg ended: its seat is freed; the timeline says whether it left or never joined. */
  function ended(leg: SeatLeg, event: TelephonyEvent): void {
    record.legs.delete(leg.channelId);
    clearTimeout(leg.timer);
    freeTargetSeat(deps, leg, leg.state === 'connected');
    if (leg.dropped) return; // already on the timeline
    const cause = event.type === 'channel.ended' ? event.cause : undefined;
    if (leg.state === 'connected') conferenceStep(leg, 'left', 'the party hung up');
    else conferenceStep(leg, 'failed', leg.unreachable ?? (cause === 17 ? 'busy' : 'no answer'));
  }

  /**
   * The agent's phone was lost: the other parties are hung up, since the caller goes back to the queue; an
   * agent among them is freed with no wrap-up (the caller may come straight back to them).
   */
  async function agentLost(interactionId: string): Promise<void> {
    await Promise.all(
      conferencePartiesOf(deps, interactionId).map((leg) => {
        record.legs.delete(leg.channelId);
        clearTimeout(leg.timer);
        freeTargetSeat(deps, leg, false);
        conferenceStep(leg, 'dropped', "the agent's phone was lost");
        return hangupSeatLeg(deps, leg);
      }),
    );
  }

  /**
   * A conference a restart of the service found with its party joined, in the call's bridge with the caller
   * and the agent: the party's leg is known again, so dropping the party, leaving the conference and the
   * party hanging up work as before; a party agent's seat (not ready since the restart) is on the call
   * again, and goes where it would have after it (ready, or as the party chose). False when that seat
   * cannot take it back: the party is then let go.
   */
  function keep(session: CallSession, underWay: ConferenceUnderWay, queueId: string): boolean {
    if (!underWay.channelId) return false;
    const { party } = underWay;
    if (party.type !== 'agent' && party.type !== 'number') return false;
    const target: TransferTarget =
      party.type === 'agent' ? { type: 'agent', agentId: party.id } : { type: 'number', number: party.id };
    if (target.type === 'agent') {
      const refusals = acd.input({
        type: 'agent',
        agentId: target.agentId,
        input: {
          type: 'resumeAfterRestart',
          interactionId: session.routingId,
          queueId: null,
          direction: 'outbound', // as a called-in party's seat is (see resolveParty)
          answeredAt: acd.now(),
          ...(underWay.partyAfter ? { after: underWay.partyAfter } : {}),
        },
      });
      if (refusals.length > 0) {
        options.logger.warn({ refusals, agentId: target.agentId }, 'the conference party could not be kept');
        return false;
      }
    }
    const leg = newLeg('conference', session.routingId, underWay.agentId, target, queueId || undefined);
    record.legs.set(underWay.channelId, { ...leg, channelId: underWay.channelId, state: 'connected' });
    watchCallerEnd(deps, session);
    return true;
  }

  return { parties, conference, answered, dropParty, leaveConference, ended, agentLost, keep };
}
