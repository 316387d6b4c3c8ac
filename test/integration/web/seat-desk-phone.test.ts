/**
 * Real parts: Asterisk 22 (sandbox root), the service as its own process, headless Debian Chromium with the
 * softphone page, a SIPp UAS standing in for the agent's SIP desk phone (a udp endpoint with a static
 * contact, 127.0.0.1:5391; it rings, answers and stays on), SIPp carrier callers that talk, and a SIPp UAS
 * customer on the carrier's address (127.0.0.1:5070) who answers, talks 4 s and hangs up. Run inside the
 * test namespace (scripts/in-netns.sh).
 *
 * An agent at a desk phone signs in on the page too: it must not register (that would take the phone's
 * place), and it gives them what a page's agent has: the seat, the caller's card as the desk phone rings,
 * the call's state and time, hold and transfer from the page, why the call ended on the wrap-up, their calls.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from '../harness/browser.js';
import { eventually } from '../harness/service.js';
import { runSipp, type SippAgent, startSippAgent } from '../harness/sipp.js';
import { waitPage } from './seat-harness.js';
import { logInReady, type SeatRig, startSeatRig } from './seat-rig.js';

const DESK = {
  id: 'desk7',
  name: 'Dana Desk',
  transport: 'udp',
  password: 'desk7-secret-pw',
  contact: 'sip:desk7@127.0.0.1:5391',
  queues: [{ queueId: 'support' }],
};
const SETTINGS = {
  supervisorToken: 'seat-desk-phone-supervisor',
  queues: [
    { id: 'support', name: 'Support', strategy: 'longest_idle', ringTimeoutSeconds: 15, wrapUpSeconds: 60 },
  ],
  agents: [DESK],
  routes: [{ dialed: '500', queue: 'support' }],
};
const CALLER = '+15550707001';

let rig: SeatRig;
let phone: SippAgent;
let customer: SippAgent | undefined;
let page: Page;

beforeAll(async () => {
  rig = await startSeatRig('seat-desk-phone', SETTINGS);
  phone = startSippAgent({ port: 5391, scenario: 'agent-answers' });
});

afterAll(async () => {
  phone?.stop();
  customer?.stop();
  await rig?.stop();
});

describe('the softphone page of an agent at a SIP desk phone', () => {
  it('signs in to the service without registering, and logs the seat in and ready', async () => {
    page = await rig.openSeatPage(DESK);
    expect(
      (await waitPage(page, (x) => x.registration === 'desk', 'signed in at a desk phone')).registration,
    ).toBe('desk');
    await expect(page.textContent('#registration')).resolves.toBe('Desk phone');
    // The page did not register: the phone's static contact is the only one its address of record has.
    const contacts = await rig.asterisk.cli(`pjsip show aor ${DESK.id}`);
    expect(contacts).toContain('sip:desk7@127.0.0.1:5391');
    expect(contacts).not.toMatch(/transport=ws/i);
    // What only a phone does is not on the page: answer, hang up, mute, the keypad, auto-answer.
    for (const id of ['#answer', '#hangup', '#mute', '#keypad-card', '#auto-answer'])
      expect(await page.isVisible(id)).toBe(false);
    await logInReady(rig, page, DESK.id);
  });

  it("shows the caller's card as the desk phone rings, the call on it, hold from the page, and why it ended", async () => {
    const caller = runSipp({
      scenario: 'caller-hangs-up',
      callers: [CALLER],
      dialed: '500',
      talks: true,
      pauseMs: 9000,
    });
    const talking = await waitPage(
      page,
      (x) => x.seat.type === 'talking' && x.pop !== null,
      'the desk phone on the call',
      20_000,
    );
    const id = talking.seat.interactionId;
    await expect(page.textContent('#call-state')).resolves.toBe('On your phone');
    await expect(page.textContent('#caller-name')).resolves.toBe('Test Caller');
    await expect(page.textContent('#caller-number')).resolves.toBe(
      `${CALLER} · answer and hang up on your desk phone`,
    );
    // The call's time runs on the page.
    await page.waitForFunction(() => document.getElementById('timer')?.textContent === '00:02', undefined, {
      timeout: 10_000,
    });
    await screenshot(page, 'seat-desk-phone-on-call');

    await page.keyboard.press('o');
    await waitPage(page, (x) => x.seat.type === 'on_hold', 'the caller on hold from the page');
    await expect(page.textContent('#call-state')).resolves.toBe('Caller on hold');
    await page.keyboard.press('o');
    await waitPage(page, (x) => x.seat.type === 'talking', 'the caller back');

    // The caller hangs up: the wrap-up says so, and the call is on the agent's list.
    expect(await caller).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    await waitPage(page, (x) => x.seat.type === 'wrap_up' && x.callEnd === 'The caller hung up', 'wrap-up');
    await expect(page.textContent('#wrap-ended')).resolves.toBe('The caller hung up');
    await expect(page.textContent('#caller-number')).resolves.toBe('Last call: The caller hung up');
    const row = await rig.closed(id);
    expect(row).toMatchObject({ agentId: DESK.id, disposition: 'handled', endedBy: 'caller' });
    expect(row.holdSeconds).toBeGreaterThan(0);
    await page.click('#my-calls summary');
    const listed = await waitPage(page, (x) => x.myCalls.length === 1, 'the call on the list');
    expect(listed.myCalls[0]).toMatchObject({
      who: `Test Caller (${CALLER})`,
      what: expect.stringMatching(/^In · 0:\d\d · Caller hung up$/),
    });
    // Wrap-up done from the page: ready for the next caller.
    await page.selectOption('#wrap-code', { index: 1 });
    await page.keyboard.press('d');
    await eventually(
      async () => ((await rig.agentState(DESK.id)).type === 'available' ? true : undefined),
      'ready again',
    );
  });

  it('calls out from the page: the desk phone rings first, then the customer, who hangs up', async () => {
    customer = startSippAgent({ port: 5070, scenario: 'callee-answers-hangs-up', pauseMs: 4000 });
    const number = '+15550707002';
    await page.fill('#dial-number', number);
    await page.click('#dial');
    const talking = await waitPage(page, (x) => x.seat.type === 'talking', 'on the call out', 20_000);
    await expect(page.textContent('#call-state')).resolves.toBe('On your phone');
    const ended = await waitPage(page, (x) => x.callEnd !== '', 'the customer hung up', 20_000);
    expect(ended.callEnd).toBe('The other end hung up');
    const row = await rig.closed(talking.seat.interactionId);
    expect(row).toMatchObject({
      direction: 'outbound',
      agentId: DESK.id,
      callerNumber: number,
      endedBy: 'caller',
    });
  });
});
