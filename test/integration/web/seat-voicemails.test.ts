/**
 * Real parts: Asterisk 22 (sandbox root, its recording spool bind-mounted where the service reads it), the
 * service as its own process with a one-step IVR flow that takes a message, two agent pages in headless
 * Debian Chromium, and a SIPp caller that speaks (PCMA) and ends the message with # (RFC 2833).
 * The message appears live on both pages, plays in the browser (the WAV through the API, a playback token
 * in the query), its number goes to the dial box for a call back, and the first agent to mark it done closes it
 * for everyone, with the code on the interaction. A second flow sets a caller's language (Spanish) before the
 * queue: the agent who takes the call sees it named in the screen pop, and the caller's link to the CRM (config
 * `crmLink`) filled in. Run inside the test namespace
 * (scripts/in-netns.sh).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audioSeconds, screenshot, waitForCallState } from '../harness/browser.js';
import { eventually } from '../harness/service.js';
import { runIvrCaller } from '../ivr/ivr-harness.js';
import { logInReady, type SeatRig, seatAgent, startSeatRig } from './seat-rig.js';
import { talkingCaller, waitPage } from './seat-harness.js';

const SUPERVISOR = 'seat-voicemail-supervisor';
const A1 = seatAgent(1);
const A2 = seatAgent(2);
const SETTINGS = {
  supervisorToken: SUPERVISOR,
  queues: [{ id: 'support', name: 'Support', strategy: 'longest_idle' }],
  agents: [A1, A2],
  routes: [
    { dialed: '900', flow: 'leave-message' },
    { dialed: '901', flow: 'spanish-line' },
  ],
  // The screen pop's link to the caller in the company's CRM, filled in for each call.
  crmLink: {
    url: 'https://crm.example.test/customers?phone={callerNumber}&lang={data.language}&call={interactionId}',
  },
};
const CALLER = '+15556660001';
const FLOW = `import { defineFlow, voicemail } from '../src/ivr/index.js';

export default defineFlow({
  id: 'leave-message',
  entry: 'message',
  steps: {
    message: voicemail({ prompt: 'beep', beep: false, maxSeconds: 30, mailbox: 'general' }),
  },
});
`;

const SPANISH_FLOW = `import { defineFlow, queue, setLanguage } from '../src/ivr/index.js';

export default defineFlow({
  id: 'spanish-line',
  entry: 'spanish',
  steps: {
    spanish: setLanguage('es', { next: 'wait' }),
    wait: queue('support'),
  },
});
`;

let rig: SeatRig;
let p1: Page;
let p2: Page;

const messagesOn = (page: Page) =>
  page.evaluate(
    () =>
      (
        window as unknown as {
          softphone: { state(): { voicemails: { id: string; callerNumber: string }[] } };
        }
      ).softphone.state().voicemails,
  );

beforeAll(async () => {
  // The message flow from a folder of its own; Asterisk's recording spool is where the service reads.
  const flowsDir = mkdtempSync(join(tmpdir(), 'cc-flows-vm-'));
  writeFileSync(join(flowsDir, 'leave-message.ts'), FLOW);
  writeFileSync(join(flowsDir, 'spanish-line.ts'), SPANISH_FLOW);
  rig = await startSeatRig('seat-voicemails', SETTINGS, {
    recordings: true,
    env: { CC_FLOWS_DIR: flowsDir },
  });
  p1 = await rig.openSeatPage(A1);
  p2 = await rig.openSeatPage(A2);
});

afterAll(async () => {
  await rig?.stop();
});

describe('voicemails on the agent pages, on a real Asterisk with a SIPp caller and two browsers', () => {
  it('shows a message left in the IVR on every page as it arrives, playable in the browser', async () => {
    await p1.waitForSelector('#voicemails:not([hidden])');
    await expect(p1.textContent('#voicemail-list')).resolves.toBe('No messages waiting.');
    await expect(p1.textContent('#voicemail-count')).resolves.toBe('0');
    // A seat never logged in counts its logged-out time from the service's start, not from 1970.
    await expect(p1.textContent('#seat-time')).resolves.toMatch(/^\d\d:\d\d$/);

    const caller = await runIvrCaller({
      scenario: 'ivr-caller',
      caller: CALLER,
      dialed: '900',
      // beep prompt, ~7 s of speech, then # ends the message; the service thanks and hangs up.
      actions: [{ pause: 1500 }, { speak: true }, { pause: 7500 }, { key: '#' }],
    });
    expect(caller, caller.stderr).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });

    for (const page of [p1, p2]) {
      await eventually(
        async () => ((await messagesOn(page)).length === 1 ? true : undefined),
        'the message on the page',
        10_000,
      );
      expect((await messagesOn(page))[0]).toMatchObject({ callerNumber: CALLER });
      await expect(page.textContent('#voicemail-count')).resolves.toBe('1');
    }
    // The browser fetched and decoded the WAV through the API, a playback token in the query (not the
    // bearer token: it stays out of URLs).
    const src = (await p1.getAttribute('#voicemail-list audio', 'src')) ?? '';
    expect(src).toMatch(/\?play=play\./);
    expect(src).not.toContain('token=');
    const seconds = await audioSeconds(p1, '#voicemail-list audio');
    expect(seconds).toBeGreaterThan(5);
    await screenshot(p1, 'seat-voicemails');
  });

  it('puts the caller’s number in the dial box for a call back, and closes the message for everyone', async () => {
    const [vm] = await messagesOn(p1);
    await p1.click('.voicemail-call');
    await expect(p1.inputValue('#dial-number')).resolves.toBe(CALLER);

    // Done needs a disposition: no message is closed with a default code nobody chose.
    await p1.click('.voicemail-done');
    await waitPage(
      p1,
      (s) => /Choose a disposition/.test(s.error ?? ''),
      'the page to ask for a disposition',
    );
    expect(await messagesOn(p1)).toHaveLength(1);
    await p1.selectOption('.voicemail-code', 'follow_up');
    // Another message arriving (or a stream snapshot) reads the list again: the choice is kept.
    await p1.evaluate(() =>
      (
        window as unknown as { softphone: { refreshVoicemails(): Promise<void> } }
      ).softphone.refreshVoicemails(),
    );
    await expect(p1.inputValue('.voicemail-code')).resolves.toBe('follow_up');
    await p1.click('.voicemail-done');
    for (const page of [p1, p2]) {
      await eventually(
        async () => ((await messagesOn(page)).length === 0 ? true : undefined),
        'the message gone from the page',
        10_000,
      );
    }
    await expect(p2.textContent('#voicemail-list')).resolves.toBe('No messages waiting.');
    const row = await rig.interaction(vm!.id);
    expect(row).toMatchObject({
      direction: 'voicemail',
      state: 'closed',
      agentId: A1.id,
      wrapUpCode: 'follow_up',
    });
    expect(row.timeline.map((e) => e.type)).toContain('voicemail.worked');
    // The second agent was too late: the server says so rather than closing it twice.
    const token2 = await rig.api.signIn(A2.id, A2.password);
    const late = await rig.api.request<{ code: string }>('POST', `/api/interactions/${vm!.id}/close`, {
      token: token2,
      body: { code: 'resolved' },
    });
    expect(late).toMatchObject({ status: 409, body: { code: 'ALREADY_CLOSED' } });
  });
});

describe("the caller's language on the agent's page", () => {
  it('names the language the caller chose in the IVR first in the screen pop (Spanish)', async () => {
    await logInReady(rig, p1, A1.id);
    const caller = talkingCaller({ number: '+15556660002', dialed: '901', seconds: 40 });
    // The pop comes with the ring: the agent knows before answering.
    await waitPage(p1, (s) => s.pop !== null, 'screen pop loaded', 20_000);
    expect(await p1.$$eval('#pop-data dt', (nodes) => nodes.map((n) => n.textContent))).toEqual(['Language']);
    await expect(p1.textContent('#pop-data dd')).resolves.toBe('Spanish (es)');
    await expect(p1.textContent('#pop-path')).resolves.toBe('IVR: spanish → wait');
    // And the caller in the CRM, one click away (a new tab), with the language the flow set.
    const { interactionId } = await waitPage(p1, (s) => s.pop !== null, 'screen pop loaded');
    await expect(p1.getAttribute('#pop-crm', 'href')).resolves.toBe(
      `https://crm.example.test/customers?phone=%2B15556660002&lang=es&call=${interactionId}`,
    );
    await expect(p1.textContent('#pop-crm')).resolves.toBe('Open in CRM');
    await expect(p1.getAttribute('#pop-crm', 'target')).resolves.toBe('_blank');
    expect(await p1.isVisible('#pop-crm')).toBe(true);
    await screenshot(p1, 'seat-caller-language');
    await p1.click('#answer');
    await waitForCallState(p1, 'connected', 10_000);
    await p1.click('#hangup');
    await expect(caller.exited).resolves.toBe(0);
  });
});
