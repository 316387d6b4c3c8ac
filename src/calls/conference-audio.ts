/**
 * The timeline's word on the conference audio check (telephony's restoreConferenceMedia): when Asterisk had
 * stopped sending audio to a member of the call and the service put them back, the call says so, with who
 * it was, so a supervisor asked "the customer could not hear me for a moment" finds it on the call.
 */
import type { ConferenceMember, InteractionEvent } from '../interactions/events.js';
import type { ConferenceMediaOutcome } from '../telephony/conference-media.js';

/** The entry for a check that had to act (none when every member heard). */
export function audioRestoredEvent(
  outcome: ConferenceMediaOutcome,
  during: 'conference' | 'barge',
  agentId: string | undefined,
  memberOf: (channelId: string) => ConferenceMember,
): InteractionEvent | undefined {
  if (outcome.rejoined.length === 0 && outcome.stillSilent.length === 0) return undefined;
  // A member put back twice (the first rejoin did not take) is one member restored.
  const restored = [...new Set(outcome.rejoined)].filter((c) => !outcome.stillSilent.includes(c));
  return {
    type: 'call.audio-restored',
    payload: {
      during,
      ...(agentId !== undefined ? { agentId } : {}),
      restored: restored.map(memberOf),
      stillSilent: outcome.stillSilent.map(memberOf),
    },
  };
}
