/**
 * A waiting caller's hold music is their queue's own class throughout the wait: at first, and again after
 * each announcement or apology that interrupts it (real AcdRuntime and CallSession, fake Asterisk).
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { timerKey } from '../../../../src/acd/index.js';
import type { QueueDefinition } from '../../../../src/acd/schema.js';
import { AriRequestError } from '../../../../src/telephony/ari/rest.js';
import { rig, tick } from '../seat/seat-rig.js';

/** The rig whose prompts play to their end, as Asterisk's do. */
async function rigWithPrompts(sales: Partial<QueueDefinition>, logger?: pino.Logger) {
  const r = await rig({ sales, ...(logger ? { logger } : {}) });
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

  it("plays the queue's own sounds after the position, or alone as a periodic message, and says what was heard", async () => {
    for (const [announce, media, said] of [
      [
        { ...jazz, sounds: ['custom/website', 'beep'] },
        ['sound:queue-youarenext', 'sound:custom/website', 'sound:beep'],
        { positionSaid: true, waitSaid: false, sounds: ['custom/website', 'beep'] },
      ],
      [
        { ...jazz, position: false, sounds: ['custom/website'] },
        ['sound:custom/website'],
        { positionSaid: false, waitSaid: false, sounds: ['custom/website'] },
      ],
    ] as const) {
      const r = await rigWithPrompts({ announce: { ...announce, sounds: [...announce.sounds] } });
      const heard: string[][] = [];
      const play = r.ari.play;
      r.ari.play = async (channelId: string, m: string[], playbackId: string) => {
        heard.push(m);
        return play(channelId, m, playbackId);
      };
      const c = await r.caller();
      r.clock.t += 30_000;
      r.acd.input({ type: 'timerFired', key: timerKey('announce', c.interactionId) });
      await tick(20);
      expect(heard).toEqual([media]);
      const entry = (await r.timeline(c.interactionId)).find((e) => e.startsWith('acd.announced '));
      expect(JSON.parse(entry!.slice('acd.announced '.length))).toMatchObject(said);
    }
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

  it('is not resumed, and no decision is said to fail, for a caller who hung up as the announcement ended', async () => {
    const lines: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const r = await rigWithPrompts({ announce: jazz }, logger);
    const c = await r.caller();
    // Asterisk has taken the channel out of Stasis (the caller hung up); its StasisEnd is still on its way.
    r.ari.startMoh = async (channelId: string) => {
      r.ops.push(`startMoh ${channelId} refused`);
      throw new AriRequestError(
        'POST',
        `/channels/${channelId}/moh`,
        409,
        'Channel not in Stasis application',
      );
    };
    r.clock.t += 30_000;
    r.acd.input({ type: 'timerFired', key: timerKey('announce', c.interactionId) });
    await tick(20);
    expect(r.ops.slice(r.ops.indexOf(`play ${c.channelId}`))).toEqual([
      `play ${c.channelId}`,
      `startMoh ${c.channelId} refused`,
    ]);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    // Any other refusal is still a failure, logged.
    r.ari.startMoh = async (channelId: string) => {
      throw new AriRequestError('POST', `/channels/${channelId}/moh`, 500, 'Internal Server Error');
    };
    r.clock.t += 30_000;
    r.acd.input({ type: 'timerFired', key: timerKey('announce', c.interactionId) });
    await tick(20);
    expect(lines.filter((l) => l.level >= 50).map((l) => l.msg)).toEqual(['ACD decision failed']);
  });

  it('is not resumed for a caller an agent answered during the announcement, which is cut short', async () => {
    const { r, c, announcement } = await announcing({ announce: jazz });
    r.login('agent1');
    await tick();
    r.answer(r.lastTo('agent1'));
    await tick(20);
    expect(r.state('agent1')).toBe(`talking(${c.interactionId})`);
    const after = r.ops.slice(r.ops.indexOf(`play ${c.channelId}`) + 1);
    expect(after).toContain(`stopPlayback ${announcement}`);
    expect(after.filter((o) => o.startsWith('startMoh'))).toEqual([]);
  });

  it("gives way to the next queue's own music when the caller overflows during an announcement", async () => {
    const { r, c, announcement } = await announcing({
      announce: jazz,
      maxWaitSeconds: 40,
      overflowTarget: { type: 'queue', queueId: 'support' },
    });
    r.clock.t += 10_000;
    r.acd.input({ type: 'timerFired', key: timerKey('maxwait', c.interactionId) });
    await tick(20);
    const after = r.ops.slice(r.ops.indexOf(`play ${c.channelId}`) + 1);
    // The old queue's "you are next" is cut short, and its music does not come back over the new queue's.
    expect(after).toContain(`stopPlayback ${announcement}`);
    expect(after.filter((o) => o.startsWith('startMoh'))).toEqual([`startMoh ${c.channelId} default`]);
  });

  it('is cut short by the exit key: the caller is sent on at once, not after the announcement', async () => {
    const { r, c, announcement } = await announcing({
      announce: jazz,
      exitKey: '0',
      exitTarget: { type: 'hangup' },
    });
    r.acd.input({ type: 'dtmf', interactionId: c.interactionId, digit: '0' });
    await tick(20);
    const after = r.ops.slice(r.ops.indexOf(`play ${c.channelId}`) + 1);
    // The goodbye follows at once (then the hang-up, once it has played).
    expect(after).toEqual([`stopPlayback ${announcement}`, `stopMoh ${c.channelId}`, `play ${c.channelId}`]);
  });
});

/**
 * A caller in the rig's sales queue hearing their first announcement, which plays until it is stopped
 * (Asterisk then ends it at once, while whatever stopped it goes on).
 */
async function announcing(sales: Partial<QueueDefinition>) {
  const r = await rig({ sales });
  const playing: { channelId: string; playbackId: string }[] = [];
  r.ari.play = async (channelId: string, _media: string[], playbackId: string) => {
    r.ops.push(`play ${channelId}`);
    playing.push({ channelId, playbackId });
  };
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
  expect(playing.map((p) => p.channelId)).toEqual([c.channelId]);
  return { r, c, announcement: playing[0]!.playbackId };
}
