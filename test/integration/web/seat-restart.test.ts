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
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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

/** A caller put through to the page's agent, talking: the interaction's id once the seat says so. */
async function callTalking(number: string): Promise<string> {
  callers.push(talkingCaller({ number, dialed: '500' }));
  await waitForCallState(page, 'connected', 20_000);
  const { seat } = await waitPage(
    page,
    (x) => x.seat.type === 'talking' && x.interactionId !== '',
    'talking',
  );
  return seat.interactionId;
}

/**
 * Restarts the service mid-call: the page's live stream reconnects to the new run, which carries the call
 * on with its audio; the agent's hang-up from the page then ends it as any call. Returns the closed call.
 */
async function restartThenHangUp(id: string): Promise<Awaited<ReturnType<SeatRig['closed']>>> {
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
  expect(done.timeline.map((e) => e.type)).toContain('call.adopted');
  expect(done.timeline.map((e) => e.type)).not.toContain('interaction.lost');
  expect(await callers.at(-1)!.exited).toBe(0);
  await waitPage(page, (x) => x.seat.type === 'available' && x.call !== 'connected', 'free again');
  return done;
}

// A test that fails mid-call must not leave its call to the next one.
afterEach(async () => {
  await rig.asterisk.cli('channel request hangup all').catch(() => undefined);
  await eventually(
    async () => ((await rig.agentState(A1.id)).type === 'available' ? true : undefined),
    'the agent free between tests',
  ).catch(() => undefined);
});

describe('a restart of the service mid-call, on a real Asterisk with a browser agent and a SIPp caller', () => {
  it('keeps the call and its audio; the page is back on the same call; the agent’s hang-up ends it', async () => {
    const id = await callTalking('+15554450001');
    await waitForMedia(page, { minGrowth: 25 });
    const done = await restartThenHangUp(id);
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
  });

  it('carries on a call the agent had rejoined after a page reload: the new leg is the agent’s', async () => {
    const id = await callTalking('+15554450002');
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
    await restartThenHangUp(id);
  });
});
