/**
 * Real parts: Asterisk 22 (sandbox root), the service as its own process, headless Chromium with the
 * supervisor wallboard (/supervisor/) and a wall display page (/wall/) in a context of its own (a screen on
 * the floor: nobody signed in there), a SIPp caller on the trunk. A supervisor makes a screen's link for one
 * team's queue on the wallboard; the link opens its board, which follows an agent going not ready and a
 * caller waiting (the wait ticking) and hanging up, never shows the caller's number, and goes blank with
 * words when the supervisor withdraws the link.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import { ApiClient } from '../harness/api.js';
import { startAsterisk, testConfig } from '../harness/asterisk.js';
import { launchBrowser, pageLog, screenshot } from '../harness/browser.js';
import { type ServiceProcess, startService } from '../harness/service.js';
import { runSipp } from '../harness/sipp.js';

const SUPERVISOR_TOKEN = 'wall-display-test-token';
const SAM = { id: 'sam', name: 'Sam Super', password: 'sam-secret-pw' };
const DORA = { id: 'dora', name: 'Dora Diaz', transport: 'webrtc', password: 'dora-secret-pw' };
const CALLER = '+15550188123';

let asterisk: AsteriskSandbox;
let service: ServiceProcess;
let browser: Browser;
let board: Page;
let wall: Page;
let api: ApiClient;

beforeAll(async () => {
  asterisk = await startAsterisk(testConfig(), 'wall-display');
  service = await startService({
    supervisorToken: SUPERVISOR_TOKEN,
    supervisors: [SAM],
    queues: [
      {
        id: 'billing',
        name: 'Billing',
        strategy: 'longest_idle',
        serviceLevelSeconds: 20,
        serviceLevelTargetPercent: 80,
      },
      { id: 'sales', name: 'Sales', strategy: 'longest_idle' },
    ],
    agents: [{ ...DORA, queues: [{ queueId: 'billing' }] }],
    routes: [{ dialed: '400', queue: 'billing' }],
  });
  api = new ApiClient(service.baseUrl);
  browser = await launchBrowser();
  board = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  wall = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await asterisk?.stop();
});

/** Waits until `selector`'s text passes `check` on `page` (fails with what it last showed and the page's log). */
async function waitFor(page: Page, selector: string, check: (text: string) => boolean, what: string) {
  const deadline = Date.now() + 15_000;
  let last = '';
  while (Date.now() < deadline) {
    last = ((await page.textContent(selector).catch(() => null)) ?? '(no element)').trim();
    if (check(last)) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`${selector} never showed ${what} (last: "${last}")\n${pageLog(page)}`);
}
const tile = (field: string) => `#queues li[data-queue="billing"] [data-figure="${field}"]`;

describe('a wall display', () => {
  it('is made on the wallboard, shows the floor live without callers, and goes blank when withdrawn', async () => {
    // The supervisor makes the screen's link on the wallboard.
    await board.goto(`${service.baseUrl}/supervisor/`);
    await board.fill('#supervisor-id', SAM.id);
    await board.fill('#password', SAM.password);
    await board.click('#sign-in-button');
    await board.waitForSelector('#board:not([hidden])', { timeout: 10_000 });
    await waitFor(board, '#wall-displays li', (t) => t.startsWith('No wall displays'), 'none yet');
    await board.fill('#wall-display-name', 'Billing floor TV');
    // The billing team's screen: their queue only (none ticked would be every queue).
    await board.check('#wall-display-queues input[value="billing"]');
    await board.click('#wall-display-make');
    const line = '#wall-displays li[data-display]';
    await waitFor(
      board,
      `${line} [data-field="what"]`,
      (t) => t.startsWith('Billing floor TV (Billing): 0 screens'),
      'it',
    );
    expect(await board.textContent('#wall-display-note')).toContain('Made "Billing floor TV"');
    const link = ((await board.textContent(`${line} [data-field="note"]`)) ?? '').replace(/^ · /, '').trim();
    expect(link).toMatch(
      new RegExp(`^${service.baseUrl}/wall/#key=wall~wd-[0-9a-f]{16}\\.[A-Za-z0-9_-]{43}$`),
    );

    // Dora signs in and goes to lunch before the screen opens; the screen is nobody's sign-in.
    const dora = await api.signIn(DORA.id, DORA.password);
    await api.seat(DORA.id, dora, 'login');
    await api.seat(DORA.id, dora, 'not-ready', { reason: 'lunch' });
    await wall.goto(link);
    await waitFor(wall, '#display-name', (t) => t === 'Billing floor TV', 'its name');
    expect(await wall.title()).toBe('Billing floor TV: wall display');
    await waitFor(wall, tile('waiting'), (t) => t === '0', 'nobody waiting');
    expect(
      await wall.$$eval('#queues li[data-queue]', (tiles) => tiles.map((t) => t.getAttribute('data-queue'))),
    ).toEqual(['billing']);
    await waitFor(wall, tile('people'), (t) => t === '1 not ready', 'Dora not ready');
    await waitFor(
      wall,
      '#agents li[data-agent="dora"] .state',
      (t) => t === 'Not ready: Lunch',
      'her reason',
    );
    expect(await wall.evaluate(() => sessionStorage.length + localStorage.length)).toBe(0);
    const listed = await api.request<{ items: { watching: number }[] }>('GET', '/api/wall-displays', {
      token: SUPERVISOR_TOKEN,
    });
    expect(listed.body.items[0]?.watching).toBe(1);

    // A caller waits 8 s (nobody is ready), then hangs up: the screen follows, the wait ticking.
    const caller = runSipp({
      scenario: 'caller-hangs-up',
      callers: [CALLER],
      dialed: '400',
      pauseMs: 8_000,
    });
    await waitFor(wall, tile('waiting'), (t) => t === '1', 'the caller waiting');
    const firstWait = await waitFor(
      wall,
      tile('wait'),
      (t) => /^0:0[1-9]$/.test(t),
      'a wait of a few seconds',
    );
    await waitFor(wall, tile('wait'), (t) => t > firstWait, 'the wait growing');
    await screenshot(wall, 'wall-display-caller-waiting');
    expect(await wall.content()).not.toContain('5550188123');
    expect(await caller).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    await waitFor(wall, tile('waiting'), (t) => t === '0', 'nobody waiting again');
    await waitFor(wall, tile('day'), (t) => t.startsWith('Answered 0 · Abandoned 1 (100 %)'), 'the abandon');
    expect(await wall.textContent(tile('wait'))).toBe('0:00');
    expect(await wall.content()).not.toContain('5550188123');

    // Dora back: the screen says she is ready.
    await api.seat(DORA.id, dora, 'ready');
    await waitFor(wall, '#agents li[data-agent="dora"] .state', (t) => t === 'Ready', 'Dora ready');
    await waitFor(wall, tile('people'), (t) => t === '1 ready', 'one ready');

    // Withdrawn on the wallboard: the screen goes blank with words, and stays so (no reconnecting).
    board.once('dialog', (dialog) => void dialog.accept());
    await board.click(`${line} button[data-withdraw-display]`);
    await waitFor(board, '#wall-displays li', (t) => t.startsWith('No wall displays'), 'the list empty');
    await waitFor(
      wall,
      '#closed',
      (t) => t.startsWith('this wall display was withdrawn by a supervisor'),
      'the withdrawal',
    );
    expect(await wall.isHidden('#board')).toBe(true);
    await wall.waitForTimeout(2_500);
    expect(await wall.isHidden('#board')).toBe(true);
    await screenshot(wall, 'wall-display-withdrawn');
    // The link opens nothing any more, not even after a reload.
    await wall.reload();
    await waitFor(wall, '#closed', (t) => t.startsWith('this wall display was withdrawn'), 'still withdrawn');
  });
});
