/**
 * A waiting caller's hold music is their queue's own class throughout the wait: at first, and again after
 * each announcement or apology that interrupts it (real AcdRuntime and CallSession, fake Asterisk).
 */
import { describe, expect, it } from 'vitest';
import { timerKey } from '../../../../src/acd/index.js';
import type { QueueDefinition } from '../../../../src/acd/schema.js';
import { rig, tick } from '../seat/seat-rig.js';

/** The rig whose prompts play to their end, as Asterisk's do. */
async function rigWithPrompts(sales: Partial<QueueDefinition>) {
  const r = await rig({ sales });
  r.ari.play = async (channelId: string, _media: string[], playbackId: string) => {
    r.ops.push(`play ${channelId}`);
    setTimeout(() => {
      r.sessions
        .get(channelId)
        ?.onTelephonyEvent({ type: 'playback.finished', at: r.clock.t, playbackId, failed: false });
    }, 1);
  };
  return r;
}

const jazz = { everySeconds: 30, position: true, estimatedWait: false, musicOnHoldClass: 'jazz' };

describe("a waiting caller's hold music", () => {
  it("is the queue's class when they join, and again after a position announcement", async () => {
    const r = await rigWithPrompts({ announce: jazz });
    const c = await r.caller();
    expect(r.ops.filter((o) => o.startsWith('startMoh'))).toEqual([`startMoh ${c.channelId} jazz`]);
    r.clock.t += 30_000;
    r.acd.input({ type: 'timerFired', key: timerKey('announce', c.interactionId) });
    await tick(20);
    expect(r.ops.filter((o) => o.includes('Moh') || o.startsWith('play'))).toEqual([
      `startMoh ${c.channelId} jazz`,
      `stopMoh ${c.channelId}`,
      `play ${c.channelId}`,
      `startMoh ${c.channelId} jazz`,
    ]);
  });

  it("is the queue's class again after a withheld caller is told a callback cannot be offered", async () => {
    const r = await rigWithPrompts({ announce: jazz, exitKey: '1', exitTarget: { type: 'callback' } });
    const c = await r.caller('sales', 'anonymous');
    r.acd.input({ type: 'dtmf', interactionId: c.interactionId, digit: '1' });
    await tick(20);
    expect(r.ops.filter((o) => o.includes('Moh') || o.startsWith('play'))).toEqual([
      `startMoh ${c.channelId} jazz`,
      `stopMoh ${c.channelId}`,
      `play ${c.channelId}`,
      `startMoh ${c.channelId} jazz`,
    ]);
    expect(await r.timeline(c.interactionId)).toContainEqual(
      expect.stringMatching(/^acd\.callback\.unavailable /),
    );
  });

  it('is not resumed for a caller an agent answered during the announcement, which is cut short', async () => {
    const r = await rig({ sales: { announce: jazz } });
    const playing: { channelId: string; playbackId: string }[] = [];
    r.ari.play = async (channelId: string, _media: string[], playbackId: string) => {
      r.ops.push(`play ${channelId}`);
      playing.push({ channelId, playbackId });
    };
    // Asterisk ends a stopped prompt at once: here while the caller is still being bridged to the agent.
    r.ari.stopPlayback = async (playbackId: string) => {
      r.ops.push(`stopPlayback ${playbackId}`);
      const { channelId } = playing.find((p) => p.playbackId === playbackId)!;
      r.sessions
        .get(channelId)
        ?.onTelephonyEvent({ type: 'playback.finished', at: r.clock.t, playbackId, failed: false });
    };
    const c = await r.caller();
    r.clock.t += 30_000;
    r.acd.input({ type: 'timerFired', key: timerKey('announce', c.interactionId) });
    await tick(20);
    expect(playing).toHaveLength(1);
    r.login('agent1');
    await tick();
    r.answer(r.lastTo('agent1'));
    await tick(20);
    const { playbackId } = playing[0]!;
    expect(r.state('agent1')).toBe(`talking(${c.interactionId})`);
    const after = r.ops.slice(r.ops.indexOf(`play ${c.channelId}`) + 1);
    expect(after).toContain(`stopPlayback ${playbackId}`);
    expect(after.filter((o) => o.startsWith('startMoh'))).toEqual([]);
  });
});
