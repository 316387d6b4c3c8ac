/**
 * Real parts: Asterisk 22 (sandbox root) with two WebRTC agents, the service as its own process, two agent
 * pages in headless Debian Chromium, SIPp carrier callers that talk (PCMU) and a SIPp customer (UAS) on the
 * carrier's address 127.0.0.1:5070 that answers and talks. The seat functions beyond the basics, each end to
 * end (REST → ARI → page → timeline → media asserted with getStats): outbound click-to-dial (typed, refused,
 * and from the screen pop), consulted transfer (cancel, then complete), 3-way conference (number dropped,
 * agent added, the agent leaves the other two talking), rejoin after a page reload mid-call, hold time
 * counted when a call ends on hold, and blind transfer to a queue and to a number. Run inside the test namespace (scripts/in-netns.sh).
 */
import { statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import type { ApiClient } from '../harness/api.js';
import { pageLog, screenshot, waitForCallState, waitForMedia } from '../harness/browser.js';
import { eventually, type ServiceProcess } from '../harness/service.js';
import { readWav } from '../harness/wav.js';
import {
  inboundGrowth,
  selectAgentTarget,
  pageState,
  type TalkingCaller,
  type TalkingCustomer,
  talkingCaller,
  talkingCustomer,
  waitForMediaOrReport,
  waitPage,
} from './seat-harness.js';
import {
  oneReadyOneOnBreak,
  type SeatInteraction,
  type SeatRig,
  seatAgent,
  startSeatRig,
  untilAgentState,
} from './seat-rig.js';

const SUPERVISOR = 'seat-advanced-supervisor';
const A1 = seatAgent(1);
const A2 = seatAgent(2);
const SETTINGS = {
  supervisorToken: SUPERVISOR,
  queues: [
    { id: 'support', name: 'Support', strategy: 'longest_idle', ringTimeoutSeconds: 15, wrapUpSeconds: 60 },
  ],
  agents: [A1, A2],
  routes: [{ dialed: '500', queue: 'support' }],
  outbound: { callerId: { mode: 'fixed', number: '+15550009999', name: 'Acme Support' } },
};
const CUSTOMER = '+15552220001';
const OTHER = '+15552220002';

type Interaction = SeatInteraction;

let rig: SeatRig;
let asterisk: AsteriskSandbox;
let service: ServiceProcess;
let api: ApiClient;
let p1: Page;
let p2: Page;
let customer: TalkingCustomer;
const callers: TalkingCaller[] = [];

const agentState = (id: string) => api.agentState(id, SUPERVISOR);
const interaction = async (id: string) =>
  (await api.request<Interaction>('GET', `/api/interactions/${id}`, { token: SUPERVISOR })).body;
const closed = (id: string) =>
  eventually(async () => {
    const i = await interaction(id);
    return i.state === 'closed' ? i : undefined;
  }, `interaction ${id} to close`);
const steps = (i: Interaction, type: string, key = 'step') =>
  i.timeline.filter((e) => e.type === type).map((e) => e.payload[key]);
const bridge = (name: string) => asterisk.cli(`bridge show ${name}`);
const untilState = (id: string, type: string) => untilAgentState(rig, id, type);

/** An inbound caller into the support queue; resolves with the interaction once agent `page` talks. */
async function inboundTo(page: Page, number: string): Promise<string> {
  callers.push(talkingCaller({ number, dialed: '500' }));
  await waitForCallState(page, 'connected', 20_000);
  const s = await waitPage(page, (x) => x.seat.type === 'talking' && x.interactionId !== '', 'talking');
  await waitForMedia(page, { minGrowth: 25 });
  return s.seat.interactionId;
}

beforeAll(async () => {
  rig = await startSeatRig('seat-advanced', SETTINGS, { recordings: true });
  ({ asterisk, service, api } = rig);
  customer = talkingCustomer(5070);
  p1 = await rig.openSeatPage(A1, { autoAnswer: true });
  p2 = await rig.openSeatPage(A2, { autoAnswer: true });
  await oneReadyOneOnBreak(rig, { page: p1, agent: A1 }, { page: p2, agent: A2 });
});

afterAll(async () => {
  // The service's log, for a failure's post-mortem.
  if (service) writeFileSync(join(tmpdir(), 'seat-advanced-service.log'), service.output());
  for (const c of callers) c.stop();
  await customer?.stop();
  await rig?.stop();
});

describe('outbound, consulted transfer, conference, reload and hold on a real Asterisk with two browsers', () => {
  it('refuses a barred or malformed number with a clear message on the page and in the API', async () => {
    const token1 = await api.signIn(A1.id, A1.password);
    const barred = await api.request<{ code: string; message: string }>('POST', '/api/calls/outbound', {
      token: token1,
      body: { number: '+19005550100' },
    });
    expect(barred).toMatchObject({ status: 403, body: { code: 'DESTINATION_NOT_ALLOWED' } });
    expect(barred.body.message).toMatch(/barred/);
    await p1.fill('#dial-number', 'call me');
    await p1.click('#dial');
    const s = await waitPage(p1, (x) => x.error !== null, 'refusal shown');
    expect(s.error).toMatch(
      /Cannot call call me: callme is not a number agents may dial.*DESTINATION_NOT_ALLOWED/,
    );
    await screenshot(p1, 'seat-outbound-refused');
    expect((await agentState(A1.id)).type).toBe('available');
    await p1.click('#error-close');
  });

  let outboundId = '';
  it('calls a typed number: the page rings and answers itself, the customer is dialled with the caller ID, media flows', async () => {
    await api.request('PUT', `/api/contacts/${encodeURIComponent(CUSTOMER)}`, {
      token: SUPERVISOR,
      body: { name: 'Grace Hopper', notes: 'Asked to be called back' },
    });
    await p1.keyboard.press('c');
    await p1.keyboard.type(CUSTOMER);
    await p1.keyboard.press('Enter');
    await waitForCallState(p1, 'connected', 20_000);
    const s = await waitPage(p1, (x) => x.seat.type === 'talking' && x.pop !== null, 'talking, pop loaded');
    outboundId = s.interactionId;
    expect(s.sipInteractionId).toBe(outboundId);
    await waitForMedia(p1, { minGrowth: 25, timeoutMs: 20_000 });
    await expect(p1.textContent('#pop-name')).resolves.toBe('Grace Hopper');
    const row = await eventually(async () => {
      const i = await interaction(outboundId);
      return steps(i, 'call.outbound').includes('connected') ? i : undefined;
    }, 'outbound connected');
    expect(row).toMatchObject({
      direction: 'outbound',
      agentId: A1.id,
      callerNumber: CUSTOMER,
      state: 'open',
    });
    expect(steps(row, 'call.outbound')).toEqual(['requested', 'agent-answered', 'dialing', 'connected']);
    expect(
      row.timeline.find((e) => e.type === 'call.outbound' && e.payload.step === 'dialing')?.payload.callerId,
    ).toBe('+15550009999');
    expect(customer.messages()).toMatch(/From: "Acme Support" <sip:\+15550009999@/);
    expect(customer.messages()).toMatch(new RegExp(`INVITE sip:\\${CUSTOMER}@127\\.0\\.0\\.1:5070`));
    expect(await agentState(A1.id)).toMatchObject({ type: 'talking' });
    const b = await bridge(`call-${outboundId}`);
    expect(b).toMatch(/PJSIP\/agent1-/);
    expect(b).toMatch(/PJSIP\/carrier-/);
    await screenshot(p1, 'seat-outbound-connected');
    // Hold works on an outbound call like on any other.
    await p1.keyboard.press('o');
    await waitPage(p1, (x) => x.seat.type === 'on_hold', 'outbound on hold');
    await p1.keyboard.press('o');
    await waitPage(p1, (x) => x.seat.type === 'talking', 'outbound resumed');
    await p1.click('#hangup');
    const done = await closed(outboundId);
    expect(done).toMatchObject({ disposition: 'handled', direction: 'outbound' });
    expect(done.recording).toBe(`${outboundId}.wav`);
    expect(done.timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'call.outbound',
        'recording.started',
        'call.held',
        'call.resumed',
        'interaction.closed',
      ]),
    );
    // No wrap-up time for an outbound call: the form stays open for its disposition, to save or dismiss.
    await p1.waitForSelector('#wrap-up:not([hidden])');
    await expect(p1.textContent('#wrap-title')).resolves.toBe('Last call');
    await expect(p1.isVisible('#wrap-done')).resolves.toBe(false);
    await p1.fill('#wrap-notes', 'Left a message with her assistant');
    await p1.selectOption('#wrap-code', 'follow_up');
    await p1.click('#wrap-save');
    const saved = await eventually(async () => {
      const i = await interaction(outboundId);
      return i.wrapUpCode === 'follow_up' ? i : undefined;
    }, 'the outbound call’s disposition saved');
    expect(saved.notes).toBe('Left a message with her assistant');
    await p1.waitForSelector('#wrap-up', { state: 'hidden' });
  });

  it('calls back from the contact in the screen pop', async () => {
    await waitPage(p1, (x) => x.seat.type === 'available' && x.call !== 'connected', 'agent1 free again');
    await p1.waitForSelector('#pop-call:not([disabled])');
    await p1.click('#pop-call');
    await waitForCallState(p1, 'connected', 20_000);
    const s = await waitPage(
      p1,
      (x) => x.seat.type === 'talking' && x.interactionId !== outboundId,
      'second call',
    );
    await waitForMedia(p1, { minGrowth: 25, timeoutMs: 20_000 });
    const row = await interaction(s.interactionId);
    expect(row).toMatchObject({ direction: 'outbound', callerNumber: CUSTOMER });
    await p1.click('#hangup');
    await closed(s.interactionId);
    await p1.waitForSelector('#wrap-up:not([hidden])');
    await p1.click('#wrap-dismiss'); // nothing to say about this one
    await p1.waitForSelector('#wrap-up', { state: 'hidden' });
  });

  let consultId = '';
  it('consults agent2 with the caller on hold, cancels back to the caller, consults again and completes', async () => {
    await waitPage(p1, (x) => x.seat.type === 'available' && x.call !== 'connected', 'agent1 free');
    consultId = await inboundTo(p1, '+15551110101');
    await p2.keyboard.press('r');
    await waitPage(p2, (x) => x.seat.type === 'available', 'agent2 ready');
    await p1.focus('#transfer-target');
    await eventually(
      async () =>
        (await p1.$$eval('#transfer-target option:not([disabled])', (o) => o.length)) > 1 ? true : undefined,
      'targets loaded',
    );
    await p1.selectOption('#transfer-target', `agent:${A2.id}`);
    await p1.click('#consult');
    await waitForCallState(p2, 'connected', 20_000);
    await waitPage(p1, (x) => x.consult?.state === 'connected', 'consult connected on agent1 page');
    // Agent1 and agent2 talk privately; the caller hears music in the call bridge.
    await waitForMedia(p2, { minGrowth: 25 });
    await waitForMedia(p1, { minGrowth: 25 });
    expect(await bridge(`call-${consultId}`)).not.toMatch(/PJSIP\/agent/);
    expect(await bridge(`consult-${consultId}`)).toMatch(/PJSIP\/agent2-/);
    expect(await agentState(A1.id)).toMatchObject({ type: 'on_hold' });
    // The caller stays on hold until the consultation ends: no Resume on the page, and the API refuses it.
    await expect(p1.isDisabled('#hold')).resolves.toBe(true);
    const token1 = await api.signIn(A1.id, A1.password);
    const resume = await api.request<{ code: string }>('POST', `/api/calls/${consultId}/resume`, {
      token: token1,
    });
    expect(resume).toMatchObject({ status: 409, body: { code: 'CONSULT_IN_PROGRESS' } });
    await screenshot(p1, 'seat-consult-talking');
    await p1.keyboard.press('x');
    await waitForCallState(p2, 'ended');
    await waitPage(p1, (x) => x.seat.type === 'talking' && x.consult === null, 'back to the caller');
    expect(await inboundGrowth(p1, 1500)).toBeGreaterThan(25);
    await untilState(A2.id, 'available');

    await p1.selectOption('#transfer-target', `agent:${A2.id}`);
    await p1.keyboard.press('u');
    await waitForCallState(p2, 'connected', 20_000);
    await waitPage(p1, (x) => x.consult?.state === 'connected', 'consult connected again');
    // A reload mid-consultation: the page rings back into the consultation (not the caller, who stays on
    // hold) and shows its bar again, so the agent can still complete it.
    await p1.reload();
    await waitPage(
      p1,
      (x) => x.registration === 'registered' && x.signedInToApi,
      'signed in after the reload',
      20_000,
    );
    await waitForCallState(p1, 'connected', 20_000);
    await waitPage(p1, (x) => x.consult?.state === 'connected', 'the consultation back on the reloaded page');
    await waitForMedia(p1, { minGrowth: 25 });
    expect(await bridge(`consult-${consultId}`)).toMatch(
      /PJSIP\/agent1-[\s\S]*PJSIP\/agent2-|PJSIP\/agent2-[\s\S]*PJSIP\/agent1-/,
    );
    expect(await bridge(`call-${consultId}`)).not.toMatch(/PJSIP\/agent/);
    await p1.keyboard.press('y');
    await waitForCallState(p1, 'ended');
    await waitPage(p2, (x) => x.seat.type === 'talking', 'agent2 talking with the caller');
    await waitForMedia(p2, { minGrowth: 25 });
    expect(await agentState(A1.id)).toMatchObject({ type: 'wrap_up' });
    const b = await bridge(`call-${consultId}`);
    expect(b).toMatch(/PJSIP\/agent2-/);
    expect(b).toMatch(/PJSIP\/carrier-/);
    const row = await eventually(async () => {
      const i = await interaction(consultId);
      return i.agentId === A2.id ? i : undefined;
    }, 'the interaction to name agent2');
    expect(steps(row, 'call.transferred')).toEqual([
      'requested',
      'dialing',
      'connected',
      'cancelled',
      'requested',
      'dialing',
      'connected',
      'completed',
    ]);
    expect(row.holdSeconds).toBeGreaterThan(0);
    await screenshot(p2, 'seat-consult-completed');
  });

  it('conferences a number (dropped), then agent1 (all browsers hear), and agent2 leaves the other two talking', async () => {
    await p1.keyboard.press('r'); // Ready in wrap-up finishes it
    await untilState(A1.id, 'available');
    await p2.fill('#transfer-number', OTHER);
    await p2.keyboard.press('Escape');
    await p2.click('#conference');
    const withNumber = await waitPage(
      p2,
      (x) => x.parties.some((p) => p.state === 'joined'),
      'number joined',
    );
    expect(await bridge(`call-${consultId}`)).toMatch(/PJSIP\/carrier-[\s\S]*PJSIP\/carrier-/);
    await screenshot(p2, 'seat-conference-number');
    // No hold in a conference: its music would play over the caller and the party.
    await expect(p2.isDisabled('#hold')).resolves.toBe(true);
    await p2.click(`#parties button[data-channel="${withNumber.parties[0]!.channelId}"]`);
    await waitPage(p2, (x) => x.parties.length === 0, 'number dropped');

    await selectAgentTarget(p2, A1.id);
    await p2.click('#conference');
    await waitPage(p2, (x) => x.parties.some((p) => p.state === 'joined'), 'agent1 joined', 20_000);
    await waitForCallState(p1, 'connected');
    await waitForMedia(p1, { minGrowth: 25 });
    await waitForMediaOrReport(p2, asterisk, { minGrowth: 25 });
    await screenshot(p2, 'seat-conference-three');
    await p2.click('#leave');
    await waitForCallState(p2, 'ended');
    await waitPage(p2, (x) => x.seat.type === 'wrap_up', 'agent2 wrap-up');
    await waitForMedia(p1, { minGrowth: 25 });
    const row = await eventually(async () => {
      const i = await interaction(consultId);
      return i.agentId === A1.id ? i : undefined;
    }, 'the interaction to name agent1');
    expect(steps(row, 'call.conference')).toEqual([
      'dialing',
      'joined',
      'dropped',
      'dialing',
      'joined',
      'left',
    ]);
    await p1.click('#hangup');
    await closed(consultId);
    await p2.keyboard.press('d');
  });

  let reloadId = '';
  it('keeps the call through a page reload (rejoin), and counts the hold when the call ends on hold', async () => {
    await waitPage(p1, (x) => x.seat.type === 'wrap_up', 'agent1 wrap-up after the conference');
    await p1.keyboard.press('d');
    await untilState(A1.id, 'available');
    await api.seat(A2.id, await api.signIn(A2.id, A2.password), 'not-ready', { reason: 'break' });
    const id = await inboundTo(p1, '+15551110102');
    reloadId = id;
    await p1.reload();
    await waitPage(
      p1,
      (x) => x.registration === 'registered' && x.signedInToApi,
      'signed in after reload',
      20_000,
    );
    await waitForCallState(p1, 'connected', 20_000);
    await waitForMedia(p1, { minGrowth: 25 });
    expect(await agentState(A1.id)).toMatchObject({ type: 'talking', interactionId: id });
    const row = await interaction(id);
    expect(row.state).toBe('open');
    expect(steps(row, 'call.rejoined')).toContain('rejoined');
    await screenshot(p1, 'seat-rejoined');

    // A second reload whose rejoin request does not get through: the page says so and offers Rejoin call,
    // the caller still on the line; the button rings the page again and it takes the call back, with media.
    await p1.route('**/api/calls/*/rejoin', (route) => route.abort(), { times: 1 });
    await p1.reload();
    await waitPage(
      p1,
      (x) => x.signedInToApi && /Cannot rejoin/.test(x.error ?? ''),
      'the rejoin refused',
      20_000,
    );
    await p1.locator('#rejoin').waitFor({ state: 'visible' });
    expect(await p1.textContent('#caller-name')).toBe('Call in progress');
    await screenshot(p1, 'seat-rejoin-offered');
    await p1.click('#rejoin');
    await waitForCallState(p1, 'connected', 20_000);
    await waitForMedia(p1, { minGrowth: 25 });
    expect(await p1.isVisible('#rejoin')).toBe(false);
    expect(steps(await interaction(id), 'call.rejoined').filter((s) => s === 'rejoined')).toHaveLength(2);

    // A third reload whose ring the page's side turns down (the server's INVITE answered 480 on the way to
    // the page, which never sees it): the server gives that ring up and says so on the live stream; the page
    // shows why and offers Rejoin call.
    let refuseInvites = true;
    await p1.routeWebSocket(/\/ws(\?.*)?$/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => server.send(message));
      server.onMessage((message) => {
        if (refuseInvites && typeof message === 'string' && /^(INVITE|ACK) /.test(message)) {
          if (message.startsWith('INVITE ')) server.send(sipRefusal(message, '480 Temporarily Unavailable'));
          return;
        }
        ws.send(message);
      });
    });
    await p1.reload();
    const gaveUp = await waitPage(
      p1,
      (x) => x.signedInToApi && /could not rejoin the call/.test(x.error ?? ''),
      'the given-up ring shown on the page',
      45_000,
    );
    expect(gaveUp.error).toMatch(
      /^This page could not rejoin the call \(.+\): press Rejoin call to try again\.$/,
    );
    await p1.locator('#rejoin').waitFor({ state: 'visible' });
    expect(steps(await interaction(id), 'call.rejoined')).toContain('gave-up');
    expect(await agentState(A1.id)).toMatchObject({ type: 'talking', interactionId: id });
    await screenshot(p1, 'seat-rejoin-gave-up');
    refuseInvites = false;
    await p1.click('#rejoin');
    await waitForCallState(p1, 'connected', 20_000);
    await waitForMedia(p1, { minGrowth: 25 });
    expect(steps(await interaction(id), 'call.rejoined').filter((s) => s === 'rejoined')).toHaveLength(3);

    await p1.keyboard.press('o');
    await waitPage(p1, (x) => x.seat.type === 'on_hold', 'on hold');
    await p1.waitForTimeout(1500);
    const channels = await asterisk.cli('core show channels concise');
    const callerChannel = channels
      .split('\n')
      .find((l) => l.startsWith('PJSIP/carrier-'))
      ?.split('!')[0];
    expect(callerChannel).toBeTruthy();
    await asterisk.cli(`channel request hangup ${callerChannel}`);
    const done = await closed(id);
    // The page says the caller hung up (the stream's news), in the call panel and the wrap-up.
    await waitPage(p1, (x) => x.callEnd === 'The caller hung up', "agent1's page saying the caller hung up");
    await waitPage(p1, (x) => x.seat.type === 'wrap_up', 'agent1 wrapping up the held call');
    await expect(p1.textContent('#wrap-ended')).resolves.toBe('The caller hung up');
    expect(done.holdSeconds).toBeGreaterThan(1);
    expect(done.timeline.find((e) => e.type === 'call.resumed')?.payload).toMatchObject({
      endedOnHold: true,
    });
    expect(pageLog(p1)).not.toMatch(/pageerror/);
  });

  it('blind-transfers to a queue (agent2 takes it from the line, with media) and on to a number on the trunk', async () => {
    await waitPage(p1, (x) => x.seat.type === 'wrap_up', 'agent1 wrap-up after the reload call');
    // Filled in, not saved, then Done: saved on the way out; the next call's wrap-up still starts empty.
    await p1.selectOption('#wrap-code', 'follow_up');
    await p1.fill('#wrap-notes', 'Notes about the reload caller');
    await p1.focus('#wrap-done');
    await p1.keyboard.press('d');
    await untilState(A1.id, 'available');
    const kept = await eventually(async () => {
      const i = await interaction(reloadId);
      return i.wrapUpCode === 'follow_up' ? i : undefined;
    }, 'the unsaved wrap-up saved when it was done');
    expect(kept.notes).toBe('Notes about the reload caller');
    const id = await inboundTo(p1, '+15551110103');
    // agent2 comes back from break while agent1 talks: nobody waits, so nothing is offered yet.
    const token2 = await api.signIn(A2.id, A2.password);
    await api.seat(A2.id, token2, 'ready');
    await untilState(A2.id, 'available');

    await p1.waitForTimeout(3000); // a first conversation longer than the second one below
    // agent1 sends the caller back to the support line: agent1 wraps up, so agent2 is the one free.
    await p1.focus('#transfer-target');
    await eventually(
      async () => ((await p1.$$eval('#transfer-target option', (o) => o.length)) > 1 ? true : undefined),
      'transfer targets loaded',
    );
    await p1.selectOption('#transfer-target', 'queue:support');
    await p1.click('#transfer');
    await waitPage(p1, (x) => x.seat.type === 'wrap_up', 'agent1 in wrap-up after the transfer');
    await expect(p1.inputValue('#wrap-notes')).resolves.toBe('');
    await expect(p1.inputValue('#wrap-code')).resolves.toBe('');
    await waitForCallState(p2, 'connected', 20_000);
    await waitPage(p2, (x) => x.seat.type === 'talking' && x.interactionId === id, 'agent2 talking');
    await waitForMedia(p2, { minGrowth: 25 });
    let row = await interaction(id);
    expect(row.agentId).toBe(A2.id);
    const toQueue = row.timeline.filter((e) => e.type === 'call.transferred').map((e) => e.payload);
    expect(toQueue.map((t) => [(t.target as { type: string }).type, t.step])).toEqual([
      ['queue', 'requested'],
      ['queue', 'completed'],
    ]);
    expect(row.timeline.filter((e) => e.type === 'acd.offered').map((e) => e.payload.agentIds)).toEqual([
      [A1.id],
      [A2.id],
    ]);
    // The recording follows the caller: what agent2 and the number say is added to the same file.
    const file = join(rig.recordingsDir!, `${id}.wav`);
    // MixMonitor writes through a 32 KiB buffer (~2 s of 8 kHz 16-bit audio), so the size on disk lags the
    // call by up to that much (seen: 32,812 bytes after ~4 s on a loaded machine): wait for 3 s to land.
    const firstPart = await eventually(async () => {
      const size = statSync(file).size;
      return size > 3 * 16_000 ? size : undefined;
    }, 'the first 3 s of the recording on disk');
    await p1.keyboard.press('d');

    // agent2 sends the caller on to a number: the customer on the trunk answers and talks to the caller.
    await p2.fill('#transfer-number', OTHER);
    await p2.click('#transfer');
    await waitPage(p2, (x) => x.seat.type === 'wrap_up', 'agent2 in wrap-up after the transfer');
    row = await eventually(async () => {
      const i = await interaction(id);
      return steps(i, 'call.transferred').includes('connected') ? i : undefined;
    }, 'the number to answer the transfer');
    const members = await bridge(`call-${id}`);
    expect(members.match(/PJSIP\/carrier-/g)?.length).toBe(2);
    expect(customer.messages()).toMatch(new RegExp(`INVITE sip:\\${OTHER}@127\\.0\\.0\\.1:5070`));
    const channels = await asterisk.cli('core show channels concise');
    const callerChannel = channels
      .split('\n')
      .find((l) => l.startsWith('PJSIP/carrier-') && l.includes('!from-trunk!'))
      ?.split('!')[0];
    expect(callerChannel).toBeTruthy();
    await asterisk.cli(`channel request hangup ${callerChannel}`);
    const done = await closed(id);
    expect(done.recording).toBe(`${id}.wav`);
    // One recording, started at the first answer, on the caller's channel: it follows the caller through
    // agent1, the line, agent2 and the number, so it lasts as long as the call did from its first answer.
    expect(done.timeline.filter((e) => e.type === 'recording.started')).toHaveLength(1);
    const firstAnswer = Date.parse(done.timeline.find((e) => e.type === 'acd.connected')?.at ?? '');
    const callSeconds = (Date.parse(done.endedAt ?? '') - firstAnswer) / 1000;
    expect(callSeconds).toBeGreaterThan(4);
    const wav = await eventually(async () => {
      const w = readWav(file); // Asterisk writes the header's sizes when it closes the file
      return w.wellFormed && w.seconds > 0.8 * callSeconds ? w : undefined;
    }, 'the recording to hold the whole call, closed');
    expect(wav.seconds).toBeGreaterThan(firstPart / 16_000);
    await p2.keyboard.press('d');
  });

  it('lays out on a laptop and a narrow screen', async () => {
    await p2.setViewportSize({ width: 1366, height: 768 });
    await screenshot(p2, 'seat-advanced-laptop');
    await p2.setViewportSize({ width: 390, height: 844 });
    await screenshot(p2, 'seat-advanced-narrow');
    expect((await pageState(p2)).registration).toBe('registered');
  });

  it("takes an outbound campaign's call: the caller card says whose and what about, with the campaign's script", async () => {
    await waitPage(p1, (x) => x.seat.type !== 'wrap_up', 'agent1 done with the last call');
    await waitPage(p2, (x) => x.seat.type !== 'wrap_up', 'agent2 done with the last call');
    await api.seat(A2.id, await api.signIn(A2.id, A2.password), 'not-ready', { reason: 'break' });
    if ((await agentState(A1.id)).type !== 'available')
      await api.seat(A1.id, await api.signIn(A1.id, A1.password), 'ready');
    await untilState(A1.id, 'available');
    const script = 'Hello, this is Acme Support about your renewal.\nAsk: is the address still right?';
    const made = await api.request('POST', '/api/campaigns', {
      token: SUPERVISOR,
      body: {
        id: 'renewals',
        name: 'Renewals',
        queueId: 'support',
        contacts: [{ number: '+15552220003', name: 'Alan Turing', note: 'renewal due' }],
        script,
      },
    });
    expect(made.status).toBe(201);
    // agent1's page rings first (auto-answered), then the customer on the trunk is dialled and talks.
    await waitForCallState(p1, 'connected', 20_000);
    const s = await waitPage(
      p1,
      (x) => x.seat.type === 'talking' && x.pop !== null && x.interactionId !== '',
      'agent1 talking to the campaign customer, pop loaded',
    );
    await waitForMedia(p1, { minGrowth: 25, timeoutMs: 20_000 });
    expect(customer.messages()).toMatch(/INVITE sip:\+15552220003@127\.0\.0\.1:5070/);
    await expect(p1.textContent('#pop-path')).resolves.toBe('Campaign call (Renewals): renewal due');
    await p1.waitForSelector('#pop-script:not([hidden])');
    await expect(p1.textContent('#pop-script-text')).resolves.toBe(script);
    await screenshot(p1, 'seat-campaign-script');
    await p1.click('#hangup');
    await closed(s.interactionId);
    const contacts = await eventually(async () => {
      const r = await api.request<{ items: { state: string }[] }>('GET', '/api/campaigns/renewals/contacts', {
        token: SUPERVISOR,
      });
      return r.body.items[0]?.state === 'reached' ? r.body.items : undefined;
    }, 'the contact reached');
    expect(contacts).toHaveLength(1);
    // The next call's card has no script: an inbound caller's.
    await waitPage(p1, (x) => x.seat.type === 'wrap_up', 'agent1 wrapping up the campaign call');
    await p1.keyboard.press('d');
    await untilState(A1.id, 'available');
    await inboundTo(p1, '+15551110104');
    await p1.waitForSelector('#pop-script', { state: 'hidden' });
    await p1.click('#hangup');

    // Listening for answering machines from now on: this customer's line talks on without a pause (a
    // recorded greeting, as far as anyone can tell), so it is hung up on, and agent1's page says so.
    const machines = await api.request('PUT', '/api/campaigns/renewals/answering-machine', {
      token: SUPERVISOR,
      body: { action: 'hang_up' },
    });
    expect(machines.status).toBe(200);
    await waitPage(p1, (x) => x.seat.type === 'wrap_up', 'agent1 wrapping up the inbound call');
    await p1.keyboard.press('d');
    await untilState(A1.id, 'available');
    const more = await api.request('POST', '/api/campaigns/renewals/contacts', {
      token: SUPERVISOR,
      body: { contacts: [{ number: '+15552220004', name: 'Grace Hopper' }] },
    });
    expect(more.status).toBe(200);
    await p1.waitForFunction(
      () => document.getElementById('machine-status')?.textContent?.startsWith('An answering machine'),
      undefined,
      { timeout: 20_000 },
    );
    await expect(p1.textContent('#machine-status')).resolves.toBe(
      'An answering machine answered and was hung up on. You are free for the next call.',
    );
    expect(customer.messages()).toMatch(/INVITE sip:\+15552220004@127\.0\.0\.1:5070/);
    await screenshot(p1, 'seat-campaign-machine');
    // Nothing to wrap up after a machine: free at once.
    await untilState(A1.id, 'available');
  });
});

/** A final SIP response to `request` (its Via, From, Call-ID and CSeq; a To tag of its own), no body. */
function sipRefusal(request: string, status: string): string {
  const lines = request.split('\r\n');
  const headers = (name: string) => lines.filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return [
    `SIP/2.0 ${status}`,
    ...headers('Via'),
    ...headers('From'),
    `${headers('To')[0]};tag=refused-by-test`,
    ...headers('Call-ID'),
    ...headers('CSeq'),
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}
