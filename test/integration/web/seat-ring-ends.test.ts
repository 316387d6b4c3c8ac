/**
 * Real parts: Asterisk 22 (sandbox root) with two WebRTC agents in one queue that rings every ready agent at
 * once (5 s ring), the service as its own process, both agent pages in headless Debian Chromium (SIP.js, no
 * auto-answer), SIPp carrier callers that talk. Run inside the test namespace (scripts/in-netns.sh).
 *
 * Why a call stopped ringing, or ended, as each page says it: a colleague answered it; it rang out here
 * (ring-no-answer: the seat is set not ready); the caller hung up on the agent who took it. And each agent's
 * My calls today: the call on the list of the agent who took it, with why it ended and Call back.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, waitForCallState, waitForMedia } from '../harness/browser.js';
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
    // The stream's news may come a moment after the ringing stopped (the page says "Stopped ringing" till then).
    await waitPage(p1, (x) => x.callEnd === `Answered by ${A2.name}`, 'agent1 told a colleague answered');
    await expect(p1.textContent('#caller-number')).resolves.toBe(`Answered by ${A2.name}`);
    await waitPage(p1, (x) => x.seat.type === 'available', 'agent1 free again, not set not ready');
    await waitForMedia(p2, { minGrowth: 25 });

    const ended = await waitPage(p2, (x) => x.callEnd !== '', 'the call ended on agent2', 15_000);
    // Its news came before the page's own hang-up (the service sends it before hanging the agent's leg up),
    // though the page would take it after too.
    expect(ended.callEnd).toBe('The caller hung up');
    expect(await caller).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    // No wrap-up time in this queue: the form stays open as the last call, saying why it ended.
    await expect(p2.textContent('#wrap-ended')).resolves.toBe('The caller hung up');
    expect(await p2.isVisible('#wrap-ended')).toBe(true);

    // agent2's calls today: this one, closed (read again with the figures after the call); Call back puts
    // the number in the dial box. agent1's has it too (it rang there), as agent2's.
    await p2.click('#my-calls summary');
    const listed = await waitPage(
      p2,
      (x) => x.myCalls.length === 1 && x.myCalls[0]!.what.includes('hung up'),
      "the call on agent2's list, closed",
    );
    expect(listed.myCalls[0]).toMatchObject({
      who: 'Test Caller (+15550606001)',
      what: expect.stringMatching(/^In · 0:\d\d · Caller hung up$/),
      number: '+15550606001',
    });
    await expect(p2.textContent('#my-calls-count')).resolves.toBe('1');
    await p2.click('#my-calls-list .my-call-back');
    await expect(p2.inputValue('#dial-number')).resolves.toBe('+15550606001');
    await p1.click('#my-calls summary');
    const onAgent1 = await waitPage(p1, (x) => x.myCalls.length === 1, "the call on agent1's list");
    expect(onAgent1.myCalls[0]).toMatchObject({ what: `In · last with ${A2.name}`, number: '+15550606001' });
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
    await waitPage(
      p1,
      (x) => x.callEnd === 'Not answered in time: you are not ready now',
      'the ring to run out on agent1',
      15_000,
    );
    await waitPage(p1, (x) => x.seat.type === 'not_ready' && x.seat.reason === 'missed', 'agent1 missed');
    // The caller waited on in the line and hung up: agent2's page, never rung, still says why its own
    // last call ended, not this one; agent1's list has it as missed (read again with the figures).
    expect(await caller).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect((await waitPage(p2, () => true, 'agent2 state')).callEnd).toBe('The caller hung up');
    await p1.click('#my-calls summary'); // closed and opened: read now
    await p1.click('#my-calls summary');
    const missed = await waitPage(
      p1,
      (x) => x.myCalls.length === 2 && x.myCalls[0]!.what.includes('Caller hung up before answer'),
      "the missed call on agent1's list",
    );
    expect(missed.myCalls[0]).toMatchObject({ what: 'In · Missed · Caller hung up before answer' });
    await expect(p1.textContent('#my-calls-count')).resolves.toBe('2');
    await screenshot(p1, 'seat-my-calls');
  });

  it('says the caller hung up before answer on both pages it rang', async () => {
    await p1.keyboard.press('r');
    await p2.keyboard.press('r');
    await waitPage(p1, (x) => x.seat.type === 'available', 'agent1 ready');
    await waitPage(p2, (x) => x.seat.type === 'available', 'agent2 ready');
    // Hangs up 2.5 s after the service answered it: within the 5 s ring.
    const caller = runSipp({
      scenario: 'caller-hangs-up',
      callers: ['+15550606003'],
      dialed: '600',
      pauseMs: 2500,
    });
    await waitForCallState(p1, 'ringing', 15_000);
    await waitForCallState(p2, 'ringing', 15_000);
    expect(await caller).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    for (const page of [p1, p2])
      await waitPage(
        page,
        (x) => x.callEnd === 'Caller hung up before answer',
        'the caller gone while it rang',
      );
    expect((await rig.agentState(A1.id)).type).toBe('available');
    expect((await rig.agentState(A2.id)).type).toBe('available');
  });
});
