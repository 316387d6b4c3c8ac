/** AgentAnnouncements over fake telephony: what ends the wait for an announcement (no Asterisk). */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { AgentAnnouncements } from '../../../../src/calls/acd/agent-announcements.js';
import type { AgentLeg } from '../../../../src/calls/acd/agent-legs.js';
import type { CallSession } from '../../../../src/calls/call-session.js';
import type { Telephony } from '../../../../src/telephony/telephony.js';

function rig(boundMs?: number) {
  const stopped: string[] = [];
  const played: string[] = [];
  const telephony = {
    ari: {
      play: async (_channelId: string, _media: string[], playbackId: string) => {
        played.push(playbackId);
      },
      stopPlayback: async (playbackId: string) => {
        stopped.push(playbackId);
      },
    },
  } as unknown as Telephony;
  const ends: (() => void)[] = [];
  const caller = { onEnd: (l: () => void) => ends.push(l) } as unknown as CallSession;
  const leg = { channelId: 'leg-1', interactionId: 'i1', agentId: 'a1' } as AgentLeg;
  const announcements = new AgentAnnouncements(telephony, pino({ level: 'silent' }), boundMs);
  const hangUpCaller = () => {
    for (const l of ends) l();
  };
  return { announcements, caller, leg, played, stopped, hangUpCaller };
}

describe('AgentAnnouncements', () => {
  it("ends with the playback's end: played, or failed when Asterisk says it failed", async () => {
    for (const failed of [false, true]) {
      const r = rig();
      const outcome = r.announcements.play(r.leg, r.caller, ['custom/queue-sales']);
      await Promise.resolve();
      expect(r.announcements.onEvent({ type: 'playback.finished', at: 0, playbackId: 'other', failed })).toBe(
        false,
      );
      expect(
        r.announcements.onEvent({ type: 'playback.finished', at: 0, playbackId: r.played[0]!, failed }),
      ).toBe(true);
      expect(await outcome).toBe(failed ? 'failed' : 'played');
    }
  });

  it("ends when the agent's leg or the caller goes, and not for another channel's end", async () => {
    const r = rig();
    let settled = false;
    const outcome = r.announcements.play(r.leg, r.caller, ['beep']).finally(() => {
      settled = true;
    });
    const end = (channelId: string) => ({
      type: 'channel.ended' as const,
      at: 0,
      channelId,
      cause: 16,
      causeText: '',
    });
    expect(r.announcements.onEvent(end('someone-else'))).toBe(false);
    await new Promise((res) => setTimeout(res, 5));
    expect(settled).toBe(false);
    expect(r.announcements.onEvent(end('leg-1'))).toBe(false); // the leg's end is the runtime's to handle too
    expect(await outcome).toBe('hung_up');

    const r2 = rig();
    const second = r2.announcements.play(r2.leg, r2.caller, ['beep']);
    r2.hangUpCaller();
    expect(await second).toBe('hung_up');

    // The agent's BYE: Asterisk asks the leg to hang up, then reports the playback done.
    const r3 = rig();
    const third = r3.announcements.play(r3.leg, r3.caller, ['beep']);
    await Promise.resolve();
    r3.announcements.onEvent({
      type: 'channel.hangup-requested',
      at: 0,
      channelId: 'leg-1',
      cause: 16,
      soft: false,
    });
    r3.announcements.onEvent({ type: 'playback.finished', at: 0, playbackId: r3.played[0]!, failed: false });
    expect(await third).toBe('hung_up');
  });

  it('gives up past its bound (an end lost with the link): stops the playback, the caller is put through', async () => {
    const r = rig(20);
    expect(await r.announcements.play(r.leg, r.caller, ['beep'])).toBe('failed');
    expect(r.stopped).toEqual(r.played);
  });
});
