import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Telephony, TelephonyEvent } from '../../telephony/telephony.js';
import type { CallSession } from '../call-session.js';
import type { AgentLeg } from './agent-legs.js';

/**
 * How an agent's announcement ended: heard to the end; not played (Asterisk could not play a sound, or
 * the link dropped and its end went unseen); or the agent or the caller hung up meanwhile.
 */
export type AgentAnnouncementOutcome = 'played' | 'failed' | 'hung_up';

/**
 * The longest an announcement is waited for. Its end is an ARI event; one lost with a dropped link must not
 * keep the caller from the agent who answered, so past this the caller is put through all the same.
 */
export const ANNOUNCEMENT_BOUND_MS = 60_000;

interface Pending {
  channelId: string;
  finish: (outcome: AgentAnnouncementOutcome) => void;
}

/**
 * A queue's announcement to the agent who answered (`agentAnnouncement`), played on the agent's leg before
 * the caller is put through: the agent hears which queue the call comes from, the caller keeps hearing hold
 * music.
 */
export class AgentAnnouncements {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly telephony: Telephony,
    private readonly logger: Logger,
    private readonly boundMs = ANNOUNCEMENT_BOUND_MS,
  ) {}

  /**
   * Plays `media` (ARI media URIs: `sound:…`, `number:…`) to the agent's leg; resolves when it is heard,
   * cannot be, or either side hangs up (a callback's has no caller on the line yet: `caller` undefined).
   */
  play(
    leg: AgentLeg,
    caller: CallSession | undefined,
    media: readonly string[],
  ): Promise<AgentAnnouncementOutcome> {
    return this.playOn(
      leg.channelId,
      media,
      { interactionId: leg.interactionId, agentId: leg.agentId, callId: leg.channelId },
      caller,
    );
  }

  /**
   * Plays `media` to any channel of an agent's (their phone's answer to a code it dialled too); resolves as
   * `play` does. `context`: the log line's ids. `caller`: a call whose end ends the wait too.
   */
  playOn(
    channelId: string,
    media: readonly string[],
    context: Record<string, string | undefined>,
    caller?: CallSession,
  ): Promise<AgentAnnouncementOutcome> {
    const playbackId = `agent-announcement-${randomUUID()}`;
    return new Promise<AgentAnnouncementOutcome>((resolve) => {
      const bound = setTimeout(() => {
        this.logger.warn({ ...context, playbackId }, 'no end of the playback to the agent seen: going on');
        void this.telephony.ari.stopPlayback(playbackId).catch(() => undefined);
        finish('failed');
      }, this.boundMs);
      const finish = (outcome: AgentAnnouncementOutcome) => {
        if (!this.pending.delete(playbackId)) return;
        clearTimeout(bound);
        resolve(outcome);
      };
      this.pending.set(playbackId, { channelId, finish });
      caller?.onEnd(() => finish('hung_up'));
      this.telephony.ari.play(channelId, [...media], playbackId).catch((error: unknown) => {
        // The channel gone (the agent hung up at once) is told by its end; anything else is not worth a call.
        this.logger.warn({ ...context, err: error }, 'could not play to the agent');
        finish('failed');
      });
    });
  }

  /** Telephony events: an announcement's end, or its agent's leg gone. True when the event was an end of one. */
  onEvent(event: TelephonyEvent): boolean {
    if (event.type === 'playback.finished') {
      const pending = this.pending.get(event.playbackId);
      pending?.finish(event.failed ? 'failed' : 'played');
      return pending !== undefined;
    }
    // A hang-up request comes before the playback's end, which Asterisk then reports as done.
    if (
      event.type === 'channel.hangup-requested' ||
      event.type === 'channel.ended' ||
      event.type === 'channel.left-app'
    ) {
      for (const pending of [...this.pending.values()])
        if (pending.channelId === event.channelId) pending.finish('hung_up');
    }
    return false;
  }
}
