/**
 * The call's word on the conference audio check (telephony's restoreConferenceMedia): when Asterisk had
 * stopped sending audio to a member of the call and the service put them back, the call's timeline and the
 * live stream say so, with who it was, so a supervisor asked "the customer could not hear me for a moment"
 * finds it on the call.
 */
import type { Static } from '@sinclair/typebox';
import type { EventHub } from '../events/event-hub.js';
import type { ConferenceMember, InteractionEvent, InteractionEventSchemas } from '../interactions/events.js';
import type { ConferenceMediaOutcome } from '../telephony/conference-media.js';

type AudioRestored = Static<(typeof InteractionEventSchemas)['audioRestored']>;

/**
 * The entry for a check that had to act (none when every member heard); `agentId` is the agent whose call it
 * is (the host of the conference, or the agent a supervisor barged in on).
 */
export function audioRestoredEvent(
  outcome: ConferenceMediaOutcome,
  during: 'conference' | 'barge',
  agentId: string,
  memberOf: (channelId: string) => ConferenceMember,
): AudioRestored | undefined {
  if (outcome.rejoined.length === 0 && outcome.stillSilent.length === 0) return undefined;
  // A member put back twice (the first rejoin did not take) is one member restored.
  const restored = [...new Set(outcome.rejoined)].filter((c) => !outcome.stillSilent.includes(c));
  return {
    type: 'call.audio-restored',
    payload: {
      during,
      agentId,
      restored: restored.map(memberOf),
      stillSilent: outcome.stillSilent.map(memberOf),
    },
  };
}

/** Puts a check that had to act on the call's timeline and the live stream (nothing when every member heard). */
export function reportAudioRestored(
  outcome: ConferenceMediaOutcome,
  during: 'conference' | 'barge',
  call: { interactionId: string; agentId: string },
  memberOf: (channelId: string) => ConferenceMember,
  to: { record: (event: InteractionEvent) => Promise<void>; hub: Pick<EventHub, 'publish'> },
): void {
  const entry = audioRestoredEvent(outcome, during, call.agentId, memberOf);
  if (!entry) return;
  void to.record(entry).catch(() => undefined); // the store logs its own failures
  const { restored, stillSilent } = entry.payload;
  to.hub.publish('call.audio-restored', { ...call, during, restored, stillSilent });
}
