/**
 * The legs the seat dials itself (transfer targets, consulted and conference parties, an outbound call's
 * two legs): made, rung, hung up, and taken down with the caller. Ringback for an agent waiting alone.
 */
import { randomUUID } from 'node:crypto';
import type { CallSession } from '../call-session.js';
import { refusedCallReason } from '../phone-reach.js';
import { type TransferTarget, targetIdOf } from './refusal.js';
import type { SeatDeps } from './seat-deps.js';
import type { SeatLeg } from './seat-record.js';
import { freeTargetSeat } from './targets.js';

export function newLeg(
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

/** Originates one seat leg; a dial Asterisk refuses at once is reported to `failed`. */
export async function dialLeg(
  deps: SeatDeps,
  leg: SeatLeg,
  endpoint: string,
  callerId: string,
  extra: Record<string, string> = {},
  ringSeconds = deps.policy.ringSeconds,
): Promise<boolean> {
  deps.record.legs.set(leg.channelId, leg);
  try {
    await deps.acd.telephony.originate({
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
    deps.record.legs.delete(leg.channelId);
    leg.unreachable = refusedCallReason(endpoint, error);
    deps.options.logger.warn(
      { err: error, interactionId: leg.interactionId, purpose: leg.purpose },
      'seat dial failed',
    );
    return false;
  }
  leg.timer = setTimeout(() => {
    if (leg.state === 'ringing') void hangupSeatLeg(deps, leg);
  }, ringSeconds * 1000);
  return true;
}

export async function hangupSeatLeg(deps: SeatDeps, leg: SeatLeg): Promise<void> {
  if (leg.hangupRequested) return;
  leg.hangupRequested = true;
  await deps.acd.telephony.ari.hangup(leg.channelId).catch(() => undefined);
}

/** The call's conference parties still on (or ringing), besides the caller and the agent. */
export function conferencePartiesOf(deps: SeatDeps, interactionId: string): SeatLeg[] {
  return [...deps.record.legs.values()].filter(
    (l) => l.interactionId === interactionId && l.purpose === 'conference' && !l.hangupRequested,
  );
}

/** When the caller's leg ends, every leg the seat dialled for the call goes too (once per call). */
export function watchCallerEnd(deps: SeatDeps, session: CallSession): void {
  const { record } = deps;
  const id = session.interactionId;
  if (record.callerWatched.has(id)) return;
  record.callerWatched.add(id);
  session.onEnd(() => {
    record.callerWatched.delete(id);
    for (const leg of record.legs.values()) {
      if (leg.interactionId === id) void hangupSeatLeg(deps, leg);
    }
    const consult = record.consults.get(id);
    if (consult) {
      record.consults.delete(id);
      // The consulted agent was reserved for this call: free again (its leg's end will find no consultation).
      freeTargetSeat(deps, consult.leg, false);
      void session.record({
        type: 'call.transferred',
        payload: {
          agentId: consult.agentId,
          kind: 'consult',
          target: { type: consult.leg.target.type, id: targetIdOf(consult.leg.target) },
          step: 'failed',
          reason: 'the caller hung up during the consultation',
        },
      });
      void deps.acd.telephony.ari.destroyBridge(consult.bridgeId).catch(() => undefined);
    }
    const ringback = record.ringbacks.get(id);
    record.ringbacks.delete(id);
    void stopRingback(deps, ringback);
  });
}

/** Ringback for an agent waiting alone in a bridge (their outbound or consulted party rings). */
export async function startRingback(deps: SeatDeps, bridgeId: string): Promise<string | undefined> {
  const playbackId = `ringback-${randomUUID()}`;
  try {
    await deps.acd.telephony.ari.request('POST', `/bridges/${bridgeId}/play`, {
      media: 'tone:ring',
      playbackId,
    });
    return playbackId;
  } catch (error) {
    deps.options.logger.debug({ err: error, bridgeId }, 'no ringback tone');
    return undefined;
  }
}

export function stopRingback(deps: SeatDeps, playbackId: string | undefined): Promise<void> {
  if (!playbackId) return Promise.resolve();
  return deps.acd.telephony.ari.stopPlayback(playbackId).catch(() => undefined);
}
