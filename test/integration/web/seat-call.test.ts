/**
 * Real parts: Asterisk 22 (sandbox root) with two WebRTC agents in one queue, the service as its own process,
 * two agent pages in headless Debian Chromium (SIP.js + the service API), a SIPp carrier caller that talks
 * (PCMU tone as RTP). One ACD call walked through every seat function built so far: sign in, log in,
 * not ready / ready, screen pop (X-Interaction-Id header, contacts, last interactions), hold / resume
 * (server-side, hold time on the interaction), a refused and a real blind transfer to the second agent,
 * wrap-up (code + notes, done), event stream resume, page reload recovery and today's stats.
 * Each step checks the media (getStats), the server's state (GET /api/agents/:id) and the interaction
 * with its timeline (GET /api/interactions/:id). Run inside the test namespace (scripts/in-netns.sh).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import type { ApiClient } from '../harness/api.js';
import { pageLog, screenshot, waitForCallState, waitForMedia } from '../harness/browser.js';
import { eventually } from '../harness/service.js';
import { inboundGrowth, pageState, type TalkingCaller, talkingCaller, waitPage } from './seat-harness.js';
import { type SeatRig, seatAgent, startSeatRig, logIn } from './seat-rig.js';

const SUPERVISOR = 'seat-supervisor-token';
const A1 = seatAgent(1);
const A2 = seatAgent(2);
const SETTINGS = {
  supervisorToken: SUPERVISOR,
  queues: [
    { id: 'support', name: 'Support', strategy: 'longest_idle', ringTimeoutSeconds: 15, wrapUpSeconds: 120 },
  ],
  agents: [A1, A2],
  routes: [{ dialed: '500', queue: 'support' }],
};
const CALLER = '+15551110001';

interface Interaction {
  id: string;
  state: string;
  agentId: string | null;
  disposition: string | null;
  holdSeconds: number | null;
  notes: string | null;
  wrapUpCode: string | null;
  timeline: { type: string; payload: Record<string, unknown> }[];
}

let rig: SeatRig;
let asterisk: AsteriskSandbox;
let api: ApiClient;
let p1: Page;
let p2: Page;
let caller: TalkingCaller | undefined;
let interactionId = '';

const agentState = (id: string) => api.agentState(id, SUPERVISOR);
const interaction = async () =>
  (await api.request<Interaction>('GET', `/api/interactions/${interactionId}`, { token: SUPERVISOR })).body;
const types = (i: Interaction) => i.timeline.map((e) => e.type);

beforeAll(async () => {
  rig = await startSeatRig('seat-call', SETTINGS);
  ({ asterisk, api } = rig);
});

afterAll(async () => {
  caller?.stop();
  await rig?.stop();
});

describe('the agent seat page on a real Asterisk, two browsers and a talking SIPp caller', () => {
  it('signs in (SIP + API token), logs the seat in, goes not ready with a reason and ready', async () => {
    p1 = await rig.openSeatPage(A1, { autoAnswer: true });
    p2 = await rig.openSeatPage(A2, { autoAnswer: true });
    await expect(p1.textContent('#seat-state')).resolves.toBe('Logged out');
    await logIn(p1);
    await p1.selectOption('#seat-reason-select', 'lunch');
    await p1.click('#seat-not-ready');
    await waitPage(p1, (s) => s.seat.type === 'not_ready' && s.seat.reason === 'lunch', 'not ready: lunch');
    expect(await agentState(A1.id)).toMatchObject({ type: 'not_ready', reason: 'lunch' });
    // Lunch lasts 60 minutes (the default reasons): the page says when it should end.
    await expect(p1.textContent('#seat-reason')).resolves.toMatch(/^Lunch · back by \d\d:\d\d( [AP]M)?$/);
    await screenshot(p1, 'seat-not-ready');
    await p1.keyboard.press('r');
    await waitPage(p1, (s) => s.seat.type === 'available', 'ready');
    expect(await agentState(A1.id)).toMatchObject({ type: 'available' });
    // Time in state runs on the page (redrawn twice a second).
    await p1.waitForFunction(() => document.getElementById('seat-time')?.textContent === '00:01', undefined, {
      timeout: 5000,
    });
    await screenshot(p1, 'seat-ready');

    // agent2 logs in but stays not ready: the call goes to agent1.
    await p2.keyboard.press('l');
    await waitPage(p2, (s) => s.seat.type !== 'logged_out', 'agent2 logged in');
    if ((await agentState(A2.id)).type !== 'not_ready') {
      await api.seat(A2.id, await api.signIn(A2.id, A2.password), 'not-ready', { reason: 'break' });
    }
    await waitPage(p2, (s) => s.seat.type === 'not_ready', 'agent2 not ready');
  });

  it('pops the caller on screen (SIP header, contact, history), with media both ways', async () => {
    expect(
      (
        await api.request('PUT', `/api/contacts/${encodeURIComponent(CALLER)}`, {
          token: SUPERVISOR,
          body: { name: 'Ada Lovelace', notes: 'Prefers email follow-ups' },
        })
      ).status,
    ).toBe(200);
    caller = talkingCaller({ number: CALLER, dialed: '500' });
    await waitForCallState(p1, 'connected', 20_000);
    const state = await waitPage(p1, (s) => s.pop !== null, 'screen pop loaded');
    interactionId = state.interactionId;
    expect(interactionId).toMatch(/^[0-9a-f-]{36}$/);
    // The ACD's originate put the interaction id in a SIP header the page read from the INVITE.
    expect(state.sipInteractionId).toBe(interactionId);
    // The agent's phone was rung with the caller's name from their carrier, as a desk phone shows it.
    expect(state.caller).toEqual({ number: CALLER, name: 'Test Caller' });
    expect(state.pop?.contact).toEqual({
      number: CALLER,
      name: 'Ada Lovelace',
      notes: 'Prefers email follow-ups',
    });
    await expect(p1.textContent('#pop-name')).resolves.toBe('Ada Lovelace');
    await expect(p1.textContent('#pop-recent')).resolves.toBe('First contact');
    await expect(p1.textContent('#pop-path')).resolves.toBe('Queue: Support'); // by its name, not its id
    await waitForMedia(p1, { minGrowth: 25 });
    expect(await agentState(A1.id)).toMatchObject({ type: 'talking', interactionId });
    await waitPage(p1, (s) => s.seat.type === 'talking', 'seat talking');
    await screenshot(p1, 'seat-in-call-screen-pop');
  });

  it('holds and resumes on the server: the agent leaves the bridge, hold time is written', async () => {
    await p1.keyboard.press('o');
    await waitPage(p1, (s) => s.seat.type === 'on_hold', 'on hold');
    expect(await agentState(A1.id)).toMatchObject({ type: 'on_hold' });
    const bridge = await asterisk.cli(`bridge show call-${interactionId}`);
    expect(bridge, bridge).not.toMatch(/PJSIP\/agent1-/);
    // The agent hears nothing while the caller is held (no RTP reaches the page).
    expect(await inboundGrowth(p1, 1500)).toBeLessThan(10);
    await expect(p1.textContent('#hold')).resolves.toMatch(/^Resume/);
    await screenshot(p1, 'seat-on-hold');
    await p1.waitForTimeout(1000);
    await p1.click('#hold');
    await waitPage(p1, (s) => s.seat.type === 'talking', 'resumed');
    expect(await inboundGrowth(p1, 1500)).toBeGreaterThan(25);
    const row = await eventually(async () => {
      const i = await interaction();
      return types(i).includes('call.resumed') ? i : undefined;
    }, 'call.resumed on the timeline');
    expect(row.holdSeconds).toBeGreaterThan(2);
    expect(types(row)).toEqual(expect.arrayContaining(['acd.connected', 'call.held', 'call.resumed']));
  });

  it('pauses the recording from the page and resumes it, each on the timeline with the agent', async () => {
    await expect(p1.textContent('#record-pause')).resolves.toMatch(/^Pause recording/);
    await p1.click('#record-pause');
    await eventually(
      async () => ((await p1.getAttribute('#record-pause', 'aria-pressed')) === 'true' ? true : undefined),
      'the button to show the recording paused',
    );
    await expect(p1.textContent('#record-pause')).resolves.toMatch(/^Resume recording/);
    await p1.waitForTimeout(1000);
    await p1.click('#record-pause');
    await eventually(
      async () => ((await p1.getAttribute('#record-pause', 'aria-pressed')) === 'false' ? true : undefined),
      'the button to show the recording running',
    );
    const row = await eventually(async () => {
      const i = await interaction();
      return types(i).includes('recording.resumed') ? i : undefined;
    }, 'recording.resumed on the timeline');
    const paused = row.timeline.find((e) => e.type === 'recording.paused')!;
    const resumed = row.timeline.find((e) => e.type === 'recording.resumed')!;
    expect(paused.payload).toEqual({ agentId: A1.id });
    expect(resumed.payload.pausedSeconds as number).toBeGreaterThan(0.9);
  });

  it('refuses a transfer to a busy agent with a code, then blind-transfers to agent2 with media', async () => {
    const token1 = await api.signIn(A1.id, A1.password);
    const refused = await api.request<{ code: string; message: string }>(
      'POST',
      `/api/calls/${interactionId}/transfer`,
      { token: token1, body: { type: 'agent', agentId: A2.id } },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('TARGET_AGENT_NOT_AVAILABLE');
    const banned = await api.request<{ code: string }>('POST', `/api/calls/${interactionId}/transfer`, {
      token: token1,
      body: { type: 'number', number: '+19005550100' },
    });
    expect(banned).toMatchObject({ status: 403, body: { code: 'DESTINATION_NOT_ALLOWED' } });

    // agent1 opens the list while agent2 is still not ready; agent2 comes free and the open list says so
    // (the live stream), without agent1 opening it again.
    const agent2Option = `#transfer-target option[value="agent:${A2.id}"]`;
    await p1.focus('#transfer-target');
    const busy = await eventually(
      async () => (await p1.$(agent2Option)) ?? undefined,
      'transfer targets loaded',
    );
    expect(await busy.evaluate((o) => [(o as HTMLOptionElement).disabled, o.textContent])).toEqual([
      true,
      `${A2.name} (not ready)`,
    ]);
    await p2.keyboard.press('r');
    await waitPage(p2, (s) => s.seat.type === 'available', 'agent2 ready');
    const free = await eventually(
      async () => (await p1.$(`${agent2Option}:not([disabled])`)) ?? undefined,
      'agent2 free on the open list',
    );
    await expect(free.textContent()).resolves.toBe(`${A2.name} (available)`);
    // A queue a supervisor makes, renames and deletes meanwhile follows on the open list too.
    const asSupervisor = { token: SUPERVISOR };
    const queueOption = () =>
      p1.$eval('#transfer-target option[value="queue:escalations"]', (o) => o.textContent).catch(() => null);
    const listShows = (want: string | null, what: string) =>
      eventually(async () => ((await queueOption()) === want ? true : undefined), what);
    const escalations = { id: 'escalations', name: 'Escalations', strategy: 'longest_idle' };
    const made = await api.request('PUT', '/api/queues/escalations', { ...asSupervisor, body: escalations });
    expect(made.status).toBe(200);
    await listShows('Queue: Escalations', 'the new queue on the open list');
    const renamed = await api.request('PUT', '/api/queues/escalations', {
      ...asSupervisor,
      body: { ...escalations, name: 'Escalations desk' },
    });
    expect(renamed.status).toBe(200);
    await listShows('Queue: Escalations desk', 'the queue renamed on the open list');
    await p1.selectOption('#transfer-target', 'queue:escalations');
    const deleted = await api.request('DELETE', '/api/queues/escalations', asSupervisor);
    expect(deleted.status).toBe(204);
    await listShows(null, 'the deleted queue gone from the open list');
    expect(await p1.inputValue('#transfer-target')).toBe(''); // no longer chosen
    expect(await p1.$eval(agent2Option, (o) => o.textContent)).toBe(`${A2.name} (available)`);
    expect(await p1.evaluate(() => document.activeElement?.id)).toBe('transfer-target'); // never opened again
    await p1.selectOption('#transfer-target', `agent:${A2.id}`);
    await p1.fill('#transfer-note', 'Wants to change the delivery address');
    await screenshot(p1, 'seat-transfer-choose');
    await p1.click('#transfer');
    await waitForCallState(p2, 'connected', 20_000);
    const s2 = await waitPage(
      p2,
      (s) => s.pop !== null && s.seat.type === 'talking',
      'agent2 talking with pop',
    );
    expect(s2.interactionId).toBe(interactionId);
    // agent1's note came with the call, on agent2's caller card.
    await expect(p2.textContent('#pop-handoff')).resolves.toBe(
      `Transferred by ${A1.name}: “Wants to change the delivery address”`,
    );
    await expect(p1.inputValue('#transfer-note')).resolves.toBe('');
    await waitForMedia(p2, { minGrowth: 25 });
    expect(await agentState(A2.id)).toMatchObject({ type: 'talking' });
    expect(await agentState(A1.id)).toMatchObject({ type: 'wrap_up' });
    await waitForCallState(p1, 'ended');
    // agent1's wrap-up says where the call went (their own action, not the caller's later hang-up).
    await expect(p1.textContent('#wrap-ended')).resolves.toBe(`Transferred to ${A2.name}`);
    expect(await p1.isVisible('#wrap-ended')).toBe(true);
    const row = await eventually(async () => {
      const i = await interaction();
      return i.agentId === A2.id ? i : undefined;
    }, 'the interaction to name agent2');
    const steps = row.timeline.filter((e) => e.type === 'call.transferred').map((e) => e.payload.step);
    expect(steps).toEqual(['requested', 'dialing', 'connected']);
    await screenshot(p2, 'seat-transferred-in');
  });

  it('wraps up on agent1: code and notes on the interaction, timer visible, done', async () => {
    await waitPage(p1, (s) => s.seat.type === 'wrap_up', 'agent1 wrap-up');
    await expect(p1.isVisible('#wrap-up')).resolves.toBe(true);
    await expect(p1.textContent('#wrap-timer')).resolves.toMatch(/^0[12]:\d\d$/);
    await p1.selectOption('#wrap-code', 'follow_up');
    await p1.fill('#wrap-notes', 'Transferred to billing specialist');
    await p1.click('#wrap-save');
    await expect(p1.waitForSelector('#wrap-saved:text("Saved.")')).resolves.toBeTruthy();
    await screenshot(p1, 'seat-wrap-up');
    const row = await interaction();
    expect(row.notes).toBe('Transferred to billing specialist');
    expect(row.wrapUpCode).toBe('follow_up');
    expect(row.timeline.find((e) => e.type === 'wrapup.saved')?.payload).toEqual({
      agentId: A1.id,
      code: 'follow_up',
      notes: 'Transferred to billing specialist',
    });
    // More time: from the page, and from a supervisor (the page hears of it on the live stream). The page
    // re-reads its seat after its own extension; that reply is held back here until after the supervisor's
    // extension has come over the stream, as a slow network would: it must not undo it.
    const until0 = (await pageState(p1)).seat.until;
    let releaseReply!: () => void;
    const replyHeld = new Promise<void>((resolve) => {
      releaseReply = resolve;
    });
    let replyLanded!: () => void;
    const landed = new Promise<void>((resolve) => {
      replyLanded = resolve;
    });
    const seatUrl = new RegExp(`/api/agents/${A1.id}$`);
    await p1.route(seatUrl, async (route) => {
      const response = await route.fetch();
      await replyHeld;
      await route.fulfill({ response });
      replyLanded();
    });
    await p1.click('#wrap-extend');
    await waitPage(p1, (s) => s.seat.until >= until0 + 29_000, 'the page to show 30 s more wrap-up');
    const until1 = (await pageState(p1)).seat.until;
    const extended = await api.request('POST', `/api/agents/${A1.id}/wrap-up/extend`, {
      token: SUPERVISOR,
      body: { seconds: 60 },
    });
    expect(extended.status).toBe(200);
    await waitPage(
      p1,
      (s) => s.seat.until >= until1 + 59_000,
      "the page to learn of the supervisor's extension",
    );
    releaseReply();
    await landed;
    await p1.waitForTimeout(300); // the page handles the late reply
    expect((await pageState(p1)).seat.until).toBeGreaterThanOrEqual(until1 + 59_000);
    await p1.unroute(seatUrl);
    await p1.keyboard.press('d');
    await waitPage(p1, (s) => s.seat.type === 'available', 'agent1 available after done');
    expect(await agentState(A1.id)).toMatchObject({ type: 'available' });
  });

  it('ends the call from agent2; the interaction closes as handled with its whole timeline', async () => {
    // Not ready asked for during the call takes effect after it (no next caller at once), and says so.
    await p2.selectOption('#seat-reason-select', 'lunch');
    await p2.click('#seat-not-ready');
    await expect(p2.waitForSelector('#seat-reason:text("after this call")')).resolves.toBeTruthy();
    expect(await agentState(A2.id)).toMatchObject({ type: 'talking', notReadyAfter: 'lunch' });
    // Changed their mind: Ready during the call drops it; then not ready again.
    await p2.click('#seat-ready');
    await waitPage(p2, (s) => s.seat.type === 'talking' && !s.seat.notReadyAfter, 'the not ready dropped');
    expect((await agentState(A2.id)).notReadyAfter).toBeUndefined();
    await p2.click('#seat-not-ready');
    await expect(p2.waitForSelector('#seat-reason:text("after this call")')).resolves.toBeTruthy();
    await p2.click('#hangup');
    expect(await caller?.exited).toBe(0);
    await waitPage(p2, (s) => s.callEnd === 'You hung up', "agent2's page saying who ended the call");
    const row = await eventually(async () => {
      const i = await interaction();
      return i.state === 'closed' ? i : undefined;
    }, 'the interaction to close');
    expect(row).toMatchObject({ disposition: 'handled', agentId: A2.id });
    expect(types(row)).toEqual(
      expect.arrayContaining([
        'acd.connected',
        'call.held',
        'call.resumed',
        'call.transferred',
        'wrapup.saved',
      ]),
    );
    await waitPage(p2, (s) => s.seat.type === 'wrap_up', 'agent2 wrap-up');
    await screenshot(p2, 'seat-agent2-wrap-up');

    // "I'll call you back the day after tomorrow": booked from the wrap-up card, kept for agent2.
    await p2.click('#callback-book summary');
    const due = new Date(Date.now() + 2 * 24 * 3600_000);
    due.setSeconds(0, 0);
    const local = await p2.evaluate((ms) => {
      const d = new Date(ms);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    }, due.getTime());
    await p2.fill('#callback-when', local);
    // The call's queue by default, or one of the agent's (an outbound call waited in none).
    expect(
      await p2.$$eval('#callback-queue option', (os) => os.map((o) => (o as HTMLOptionElement).value)),
    ).toEqual(['', 'support']);
    await p2.fill('#callback-note', 'Confirm the refund arrived');
    await p2.click('#callback-submit');
    await p2.waitForFunction(() => (document.getElementById('callback-booked')?.textContent ?? '') !== '');
    await expect(p2.textContent('#callback-booked')).resolves.toMatch(
      /^Callback booked for .*, kept for you\.$/,
    );
    await p2.waitForSelector(`#callback-list li.callback[data-id="${interactionId}"]`);
    await expect(p2.textContent('#callback-list li.callback .callback-number')).resolves.toBe(CALLER);
    await expect(p2.textContent('#callback-count')).resolves.toBe('1');
    await screenshot(p2, 'seat-callback-booked');
    const listed = await api.request<{
      items: { interactionId: string; callback: Record<string, unknown> }[];
    }>('GET', '/api/callbacks', { token: SUPERVISOR });
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        interactionId,
        queueId: 'support',
        number: CALLER,
        callback: expect.objectContaining({
          status: 'retry_wait',
          notBefore: due.toISOString(),
          reservedFor: { agentId: A2.id, until: new Date(due.getTime() + 3600_000).toISOString() },
        }),
      }),
    ]);
    // Cancelled from the list: gone there and in the queue, on record as agent2's.
    await p2.click(`#callback-list li.callback[data-id="${interactionId}"] button`);
    await p2.waitForSelector('#callback-list li.hint:text("No callbacks booked for you.")');
    expect(
      (await api.request<{ items: unknown[] }>('GET', '/api/callbacks', { token: SUPERVISOR })).body.items,
    ).toEqual([]);
    const booked = (await interaction()).timeline
      .filter((e) => e.type === 'acd.callback')
      .map((e) => e.payload);
    expect(booked).toEqual([
      expect.objectContaining({
        step: 'requested',
        by: { agentId: A2.id },
        note: 'Confirm the refund arrived',
        scheduledFor: due.getTime(),
      }),
      expect.objectContaining({ step: 'closed', reason: 'cancelled', by: { agentId: A2.id } }),
    ]);
    await p2.keyboard.press('d');
    await waitPage(
      p2,
      (s) => s.seat.type === 'not_ready' && s.seat.reason === 'lunch',
      'agent2 not ready (lunch) once the wrap-up is done',
    );
  });

  it('resumes the event stream after a drop and recovers everything after a reload', async () => {
    const before = await pageState(p1);
    await p1.evaluate(() =>
      (window as unknown as { softphone: { dropEventStream(): void } }).softphone.dropEventStream(),
    );
    await api.seat(A1.id, await api.signIn(A1.id, A1.password), 'not-ready', { reason: 'training' });
    const after = await waitPage(
      p1,
      (s) => s.seat.type === 'not_ready' && s.streamUp,
      'state after the drop',
    );
    expect(after.seat.reason).toBe('training');
    expect(before.streamUp).toBe(true);

    await p1.reload();
    const recovered = await waitPage(
      p1,
      (s) => s.registration === 'registered' && s.signedInToApi && s.streamUp,
      'signed in again after reload',
      20_000,
    );
    expect(recovered.seat).toMatchObject({ type: 'not_ready', reason: 'training' });
    await expect(p1.textContent('#seat-state')).resolves.toBe('Not ready');
  });

  it("shows today's personal stats and works on a narrow screen", async () => {
    const token2 = await api.signIn(A2.id, A2.password);
    const stats = await api.request<{
      handled: number;
      averageHandleSeconds: number;
      secondsInState: Record<string, number>;
    }>('GET', `/api/agents/${A2.id}/stats/today`, { token: token2 });
    expect(stats.status).toBe(200);
    expect(stats.body.handled).toBe(1);
    expect(stats.body.secondsInState.talking).toBeGreaterThan(1);
    await waitPage(p2, (s) => (s.stats?.handled ?? 0) === 1, 'agent2 page shows 1 handled');
    await expect(p2.textContent('#stat-handled')).resolves.toBe('1');
    // One-key shortcuts can be turned off: R then does nothing; on again, it makes the seat ready.
    await p2.uncheck('#shortcuts');
    await p2.focus('#seat-state');
    await p2.keyboard.press('r');
    await p2.waitForTimeout(500);
    expect((await pageState(p2)).seat).toMatchObject({ type: 'not_ready', reason: 'lunch' });
    await p2.check('#shortcuts');
    await p2.keyboard.press('r');
    await waitPage(p2, (s) => s.seat.type === 'available', 'agent2 ready by the R key');
    await p2.setViewportSize({ width: 390, height: 844 });
    await screenshot(p2, 'seat-narrow');
    const log = pageLog(p1);
    expect(log).not.toMatch(/pageerror/);
  });

  it('pops a callback booked for the caller who rings again; the agent cancels it from the pop', async () => {
    // agent2 books a callback for the customer again (the first was cancelled), for tomorrow.
    const token2 = await api.signIn(A2.id, A2.password);
    const at = new Date(Date.now() + 24 * 3600_000).toISOString();
    const booked = await api.request('POST', `/api/interactions/${interactionId}/callback`, {
      token: token2,
      body: { at, agentId: A2.id },
    });
    expect(booked.status).toBe(201);
    // The customer does not wait for it: they ring in and reach agent2 (ready; agent1 is not).
    await waitPage(p2, (s) => s.seat.type === 'available', 'agent2 ready');
    const again = talkingCaller({ number: CALLER, dialed: '500', seconds: 30 });
    try {
      await waitForCallState(p2, 'connected', 20_000);
      const item = `#pop-callbacks li[data-id="${interactionId}"]`;
      await p2.waitForSelector(item, { timeout: 10_000 });
      await expect(p2.textContent(`${item} span`)).resolves.toMatch(
        /^Callback booked for .+ \(Support, kept for you\)$/,
      );
      // The caller's earlier calls name who took them (the first ended with Agent 2, transferred to them).
      await expect(p2.textContent('#pop-recent li:last-child')).resolves.toMatch(
        new RegExp(`· ${A2.name}( ·|$)`),
      );
      await screenshot(p2, 'seat-pop-callback');
      await p2.click(`${item} button`);
      await p2.waitForSelector('#pop-callbacks', { state: 'hidden', timeout: 10_000 });
      const open = await api.request<{ items: unknown[] }>('GET', '/api/callbacks', { token: SUPERVISOR });
      expect(open.body.items).toEqual([]);
      const steps = (await interaction()).timeline.filter((e) => e.type === 'acd.callback');
      expect(steps.at(-1)?.payload).toMatchObject({
        step: 'closed',
        reason: 'cancelled',
        by: { agentId: A2.id },
      });
      await p2.click('#hangup');
      expect(await again.exited).toBe(0);
    } finally {
      again.stop();
    }
    await waitPage(p2, (s) => s.seat.type === 'wrap_up', 'agent2 wrap-up after the second call');
    await p2.keyboard.press('d');
    await waitPage(p2, (s) => s.seat.type === 'available', 'agent2 ready again');
  });

  it('notes the customer asked not to be called, from the caller card: Call is off, and a call out to them is refused saying who noted it', async () => {
    await waitPage(p2, (s) => s.seat.type === 'available', 'agent2 ready');
    const third = talkingCaller({ number: CALLER, dialed: '500', seconds: 30 });
    let thirdCall = '';
    try {
      await waitForCallState(p2, 'connected', 20_000);
      thirdCall = (await pageState(p2)).interactionId ?? '';
      expect(thirdCall).not.toBe('');
      await p2.click('#dnc-send');
      await p2.waitForSelector('#dnc-status:not([hidden])', { timeout: 10_000 });
      await expect(p2.textContent('#dnc-status')).resolves.toBe(
        'On the do-not-call list (noted by you just now): nobody here will call this number.',
      );
      expect(await p2.isHidden('#dnc-send')).toBe(true);
      expect(await p2.isDisabled('#pop-call')).toBe(true);
      await expect(p2.getAttribute('#pop-call', 'title')).resolves.toBe(
        'The customer asked not to be called (noted by you just now)',
      );
      await screenshot(p2, 'seat-do-not-call');
      await p2.click('#hangup');
      expect(await third.exited).toBe(0);
    } finally {
      third.stop();
    }
    await waitPage(p2, (s) => s.seat.type === 'wrap_up', 'agent2 wrap-up after the third call');
    await p2.keyboard.press('d');
    await waitPage(p2, (s) => s.seat.type === 'available', 'agent2 ready again');
    // Typed in the dial box as people write it: refused before anything rings, saying why.
    await p2.fill('#dial-number', '+1 555 111 0001');
    await p2.click('#dial');
    await p2.waitForSelector('#error:not([hidden])', { timeout: 10_000 });
    await expect(p2.textContent('#error-text')).resolves.toMatch(
      new RegExp(
        `the customer asked not to be called: \\${CALLER} is on the do-not-call list, noted by ${A2.name} on \\d{4}-\\d\\d-\\d\\d`,
      ),
    );
    expect((await pageState(p2)).seat.type).toBe('available');
    // On the call's record and the supervisors' list; removed when the customer asks to be called again.
    const record = await api.request<Interaction>('GET', `/api/interactions/${thirdCall}`, {
      token: SUPERVISOR,
    });
    expect(
      record.body.timeline.filter((e) => e.type === 'customer.do_not_call').map((e) => e.payload),
    ).toEqual([expect.objectContaining({ step: 'added', agentId: A2.id })]);
    const listed = await api.request<{ items: { id: string; number: string; interactionId: string }[] }>(
      'GET',
      '/api/do-not-call',
      { token: SUPERVISOR },
    );
    expect(listed.body.items).toEqual([
      expect.objectContaining({ number: CALLER, interactionId: thirdCall }),
    ]);
    const removed = await api.request('DELETE', `/api/do-not-call/${listed.body.items[0]!.id}`, {
      token: SUPERVISOR,
    });
    expect(removed.status).toBe(200);
  });

  it('follows a supervisor adding the agent to a queue and taking them out (callers-waiting line)', async () => {
    const asSupervisor = { token: SUPERVISOR };
    const made = await api.request('PUT', '/api/queues/vip', {
      ...asSupervisor,
      body: { id: 'vip', name: 'VIP', strategy: 'longest_idle' },
    });
    expect(made.status).toBe(200);
    const added = await api.request('PUT', `/api/queues/vip/members/${A2.id}`, { ...asSupervisor, body: {} });
    expect(added.status).toBe(200);
    // Named as people know the queue, and as a supervisor renames it.
    await p2.waitForSelector('#queue-waiting:text("VIP: 0")');
    const renamed = await api.request('PUT', '/api/queues/vip', {
      ...asSupervisor,
      body: { id: 'vip', name: 'Gold callers', strategy: 'longest_idle' },
    });
    expect(renamed.status).toBe(200);
    await p2.waitForSelector('#queue-waiting:text("Gold callers: 0")');
    expect(await p2.textContent('#queue-waiting')).not.toContain('VIP');
    const removed = await api.request('DELETE', `/api/queues/vip/members/${A2.id}`, asSupervisor);
    expect(removed.status).toBe(204);
    await eventually(
      async () => ((await p2.textContent('#queue-waiting'))?.includes('Gold callers') ? undefined : true),
      'the vip queue gone from the callers-waiting line',
    );
  });

  it('signs in again when the agent signs out on another page; its own sign-out ends its token', async () => {
    const tokenOnPage = () =>
      p1.evaluate(() => JSON.parse(sessionStorage.getItem('softphone.session') ?? '{}').token as string);
    const works = async (token: string) =>
      (await api.request('GET', `/api/agents/${A1.id}`, { token })).status;
    const first = await tokenOnPage();
    expect(await works(first)).toBe(200);

    // Signed out elsewhere (here by a supervisor): every token of A1 ends, the page's stream is closed.
    expect((await api.request('DELETE', `/api/agents/${A1.id}/session`, { token: SUPERVISOR })).status).toBe(
      204,
    );
    expect(await works(first)).toBe(401);
    const renewed = await eventually(async () => {
      const token = await tokenOnPage();
      return token !== first && (await pageState(p1)).streamUp ? token : undefined;
    }, 'the page signed in again and its stream back');
    expect(await works(renewed)).toBe(200);

    // The renewed stream carries news, and the page's own calls go through on the new token.
    await api.seat(A1.id, await api.signIn(A1.id, A1.password), 'not-ready', { reason: 'break' });
    await waitPage(p1, (s) => s.seat.type === 'not_ready' && s.seat.reason === 'break', 'not ready: break');
    await p1.click('#seat-ready');
    await waitPage(p1, (s) => s.seat.type === 'available', 'ready from the page');
    expect(await agentState(A1.id)).toMatchObject({ type: 'available' });

    // Signing out on the page ends the token it held: copied elsewhere, it is of no use.
    const last = await tokenOnPage();
    await p1.click('#sign-out');
    await waitPage(p1, (s) => !s.signedInToApi, 'signed out');
    await eventually(async () => ((await works(last)) === 401 ? true : undefined), "the page's token ended");
  });
});
