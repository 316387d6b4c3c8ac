/**
 * Real parts: Asterisk 22 (sandbox root) with a WebRTC agent, the service as its own process (stopped and
 * started again on the same database and port, as a deploy does), the agent page in headless Debian
 * Chromium (SIP.js + the service API), a SIPp carrier caller that talks (PCMU as RTP). A restart of the
 * service in the middle of a call: the call and its audio carry on (getStats), the page's live stream
 * comes back with the seat still talking on the same interaction, and the agent's hang-up from the page
 * ends the call as any other; so too for a call the agent had rejoined after a page reload (its new leg is
 * carried on). Run inside the test namespace.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForCallState, waitForMedia } from '../harness/browser.js';
import { eventually } from '../harness/service.js';
import { readWav } from '../harness/wav.js';
import { type TalkingCaller, talkingCaller, waitPage } from './seat-harness.js';
import { logInReady, type SeatRig, seatAgent, startSeatRig, supportQueueSettings } from './seat-rig.js';

const SUPERVISOR = 'seat-restart-supervisor';
const A1 = seatAgent(1);
const SETTINGS = supportQueueSettings(SUPERVISOR, [A1]);

let rig: SeatRig;
let page: Page;
const callers: TalkingCaller[] = [];

beforeAll(async () => {
  rig = await startSeatRig('seat-restart', SETTINGS, { recordings: true });
  page = await rig.openSeatPage(A1, { autoAnswer: true });
  await logInReady(rig, page, A1.id);
});

afterAll(async () => {
  for (const c of callers) c.stop();
  await rig?.stop();
});

describe('a restart of the service mid-call, on a real Asterisk with a browser agent and a SIPp caller', () => {
  it('keeps the call and its audio; the page is back on the same call; the agent’s hang-up ends it', async () => {
    callers.push(talkingCaller({ number: '+15554450001', dialed: '500' }));
    await waitForCallState(page, 'connected', 20_000);
    const before = await waitPage(
      page,
      (x) => x.seat.type === 'talking' && x.interactionId !== '',
      'talking',
    );
    const id = before.seat.interactionId;
    await waitForMedia(page, { minGrowth: 25 });

    await rig.restartService();
    // The page's live stream reconnects to the new run, which carries the call on.
    await waitPage(
      page,
      (x) => x.streamUp && x.seat.type === 'talking' && x.interactionId === id,
      'the page back on the same call after the restart',
      20_000,
    );
    expect(await rig.agentState(A1.id)).toMatchObject({ type: 'talking', interactionId: id });
    await waitForMedia(page, { minGrowth: 25 });

    await page.click('#hangup');
    const done = await rig.closed(id);
    expect(done).toMatchObject({ disposition: 'handled', endedBy: 'agent', agentId: A1.id });
    // One recording on the caller's channel, kept by Asterisk through the restart: it holds the whole call.
    expect(done.recording).toBe(`${id}.wav`);
    const connectedAt = Date.parse(done.timeline.find((e) => e.type === 'acd.connected')?.at ?? '');
    const callSeconds = (Date.parse(done.endedAt ?? '') - connectedAt) / 1000;
    expect(callSeconds).toBeGreaterThan(4); // the restart alone takes a few seconds
    const file = join(rig.recordingsDir!, `${id}.wav`);
    await eventually(async () => {
      const w = readWav(file); // Asterisk writes the header's sizes when it closes the file
      return w.wellFormed && w.seconds > 0.8 * callSeconds ? w : undefined;
    }, 'the recording to hold the whole call, closed');
    expect(done.timeline.map((e) => e.type)).toContain('call.adopted');
    expect(done.timeline.map((e) => e.type)).not.toContain('interaction.lost');
    expect(await callers.at(-1)!.exited).toBe(0);
    await waitPage(page, (x) => x.seat.type === 'available' && x.call !== 'connected', 'free again');
  });

  it('carries on a call the agent had rejoined after a page reload: the new leg is the agent’s', async () => {
    callers.push(talkingCaller({ number: '+15554450002', dialed: '500' }));
    await waitForCallState(page, 'connected', 20_000);
    const { seat } = await waitPage(
      page,
      (x) => x.seat.type === 'talking' && x.interactionId !== '',
      'talking',
    );
    const id = seat.interactionId;
    await page.reload();
    await waitPage(
      page,
      (x) => x.registration === 'registered' && x.signedInToApi,
      'signed in after reload',
      20_000,
    );
    await waitForCallState(page, 'connected', 20_000);
    await eventually(async () => {
      const row = await rig.interaction(id);
      const steps = row.timeline.filter((e) => e.type === 'call.rejoined').map((e) => e.payload.step);
      return steps.includes('rejoined') ? true : undefined;
    }, 'the rejoin to be done');
    await waitForMedia(page, { minGrowth: 25 });

    await rig.restartService();
    await waitPage(
      page,
      (x) => x.streamUp && x.seat.type === 'talking' && x.interactionId === id,
      'the page back on the same call after the restart',
      20_000,
    );
    expect(await rig.agentState(A1.id)).toMatchObject({ type: 'talking', interactionId: id });
    await waitForMedia(page, { minGrowth: 25 });
    await page.click('#hangup');
    const done = await rig.closed(id);
    expect(done).toMatchObject({ disposition: 'handled', endedBy: 'agent', agentId: A1.id });
    const types = done.timeline.map((e) => e.type);
    expect(types).toContain('call.adopted');
    expect(types).not.toContain('interaction.lost');
    expect(await callers.at(-1)!.exited).toBe(0);
    await waitPage(page, (x) => x.seat.type === 'available' && x.call !== 'connected', 'free again');
  });
});
