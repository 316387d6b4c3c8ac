/**
 * Real parts: Asterisk 22 (sandbox root), the service as its own process, headless Chromium with the softphone
 * page, a SIPp caller. The call-waiting indicator: callers waiting in the agent's queues, live.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from '../harness/browser.js';
import { runSipp } from '../harness/sipp.js';
import { waitPage } from './seat-harness.js';
import { type SeatRig, startSeatRig, logIn } from './seat-rig.js';

const AGENT = { id: 'wait1', name: 'Wendy Waiting', transport: 'webrtc', password: 'wait1-secret-pw' };
const SETTINGS = {
  supervisorToken: 'seat-queue-waiting-supervisor',
  queues: [
    { id: 'orders', name: 'Orders', strategy: 'longest_idle', ringTimeoutSeconds: 15 },
    { id: 'returns', name: 'Returns', strategy: 'longest_idle', ringTimeoutSeconds: 15 },
  ],
  agents: [{ ...AGENT, queues: [{ queueId: 'orders' }, { queueId: 'returns' }] }],
  routes: [
    { dialed: '700', queue: 'orders' },
    { dialed: '701', queue: 'returns' },
  ],
};

let rig: SeatRig;
let page: Page;

beforeAll(async () => {
  rig = await startSeatRig('seat-queue-waiting', SETTINGS);
});

afterAll(async () => {
  await rig?.stop();
});

describe('call-waiting indicator on the softphone page', () => {
  it('counts callers waiting in each of the agent’s queues, live, while the agent is not ready', async () => {
    page = await rig.openSeatPage(AGENT);
    await logIn(page);
    await page.click('#seat-not-ready');
    await waitPage(page, (s) => s.seat.type === 'not_ready', 'not ready');
    await expect(page.textContent('#queue-waiting')).resolves.toBe('Waiting — Orders: 0 · Returns: 0');

    // Two callers wait in orders, one in returns; nobody is ready to take them.
    const callers = Promise.all([
      runSipp({
        scenario: 'caller-hangs-up',
        dialed: '700',
        callers: ['+15550801001', '+15550801002'],
        calls: 2,
        limit: 2,
        pauseMs: 4000,
      }),
      runSipp({ scenario: 'caller-hangs-up', dialed: '701', callers: ['+15550801003'], pauseMs: 4000 }),
    ]);
    await page.waitForFunction(
      () => document.getElementById('queue-waiting')?.textContent === 'Waiting — Orders: 2 · Returns: 1',
      undefined,
      { timeout: 10_000 },
    );
    await expect(page.getAttribute('#queue-waiting', 'data-busy')).resolves.toBe('true');
    await screenshot(page, 'seat-queue-waiting');

    // They hang up: the counts fall back to zero without a reload.
    await callers;
    await page.waitForFunction(
      () => document.getElementById('queue-waiting')?.textContent === 'Waiting — Orders: 0 · Returns: 0',
      undefined,
      { timeout: 10_000 },
    );
    await expect(page.getAttribute('#queue-waiting', 'data-busy')).resolves.toBe('false');
  });
});
