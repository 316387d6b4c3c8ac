/**
 * Real parts: Asterisk 22 (sandbox root) with two WebRTC agents in one queue that rings every ready agent at
 * once (5 s ring), the service as its own process, both agent pages in headless Debian Chromium (SIP.js, no
 * auto-answer), SIPp carrier callers that talk. Run inside the test namespace (scripts/in-netns.sh).
 *
 * Why a call stopped ringing, or ended, as each page says it: a colleague answered it; it rang out here
 * (ring-no-answer: the seat is set not ready); the caller hung up on the agent who took it.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForCallState, waitForMedia } from '../harness/browser.js';
import { runSipp } from '../harness/sipp.js';
import { waitPage } from './seat-harness.js';
import { logInReady, type SeatRig, seatAgent, startSeatRig } from './seat-rig.js';

const A1 = seatAgent(1, ['everyone']);
const A2 = seatAgent(2, ['everyone']);
const SETTINGS = {
  supervisorToken: 'seat-ring-ends-supervisor',
  queues: [{ id: 'everyone', name: 'Everyone', strategy: 'ring_all', ringTimeoutSeconds: 5 }],
  agents: [A1, A2],
  routes: [{ dialed: '600', queue: 'everyone' }],
};

let rig: SeatRig;
let p1: Page;
let p2: Page;

beforeAll(async () => {
  rig = await startSeatRig('seat-ring-ends', SETTINGS);
  p1 = await rig.openSeatPage(A1);
  p2 = await rig.openSeatPage(A2);
  await logInReady(rig, p1, A1.id);
  await logInReady(rig, p2, A2.id);
});

afterAll(async () => {
  await rig?.stop();
});

describe('why the ringing stopped, or the call ended, on each agent page', () => {
  it('says a colleague answered on the page that rang too, and the caller hung up on the one who took it', async () => {
    // Talks, and hangs up 10 s after the service answered it: a few seconds after agent2 does.
    const caller = runSipp({
      scenario: 'caller-hangs-up',
      callers: ['+15550606001'],
      dialed: '600',
      talks: true,
      pauseMs: 10_000,
    });
    await waitForCallState(p1, 'ringing', 15_000);
    await waitForCallState(p2, 'ringing', 15_000);
    await p2.keyboard.press('a');
    await waitForCallState(p2, 'connected', 15_000);
    const answered = await waitPage(p1, (x) => x.callEnd !== '', 'the ringing stopped on agent1');
    expect(answered.callEnd).toBe(`Answered by ${A2.name}`);
    await expect(p1.textContent('#caller-number')).resolves.toBe(`Answered by ${A2.name}`);
    await waitPage(p1, (x) => x.seat.type === 'available', 'agent1 free again, not set not ready');
    await waitForMedia(p2, { minGrowth: 25 });

    const ended = await waitPage(p2, (x) => x.callEnd !== '', 'the call ended on agent2', 15_000);
    expect(ended.callEnd).toBe('The caller hung up');
    expect(await caller).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    // No wrap-up time in this queue: the form stays open as the last call, saying why it ended.
    await expect(p2.textContent('#wrap-ended')).resolves.toBe('The caller hung up');
    expect(await p2.isVisible('#wrap-ended')).toBe(true);
  });

  it('says the call rang out on a page that let it ring (the seat is set not ready), and not on the other', async () => {
    await p2.click('#seat-not-ready');
    await waitPage(p2, (x) => x.seat.type === 'not_ready', 'agent2 not ready');
    await waitPage(p1, (x) => x.seat.type === 'available', 'agent1 ready');
    const caller = runSipp({
      scenario: 'caller-hangs-up',
      callers: ['+15550606002'],
      dialed: '600',
      talks: true,
      pauseMs: 9000,
    });
    await waitForCallState(p1, 'ringing', 15_000);
    const rangOut = await waitPage(p1, (x) => x.callEnd !== '', 'the ring to run out on agent1', 15_000);
    expect(rangOut.callEnd).toBe('Not answered in time: you are not ready now');
    await waitPage(p1, (x) => x.seat.type === 'not_ready' && x.seat.reason === 'missed', 'agent1 missed');
    // The caller waited on in the line and hung up: agent2's page, never rung, still says why its own
    // last call ended, not this one.
    expect(await caller).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect((await waitPage(p2, () => true, 'agent2 state')).callEnd).toBe('The caller hung up');
  });
});
