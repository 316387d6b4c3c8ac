/**
 * Real parts: Asterisk 22 (sandbox root), the service as its own process (stopped and started again on
 * the same database), SIPp UAS desk phones as the agents and a SIPp caller on the carrier trunk. Agents
 * keep their seats through a short restart of the service and take the next call without signing in
 * again; a caller waiting in the queue and a conversation under way (talking, its agent's rejoin still
 * ringing, on hold, or handed to a
 * colleague by a blind transfer, or in a consultation, which ends with the agent back with the caller),
 * or in a conference, kept with its party), a caller a transfer put in another queue, and one whose
 * blind transfer was still ringing (back in the queue), and an outbound call an agent placed (a SIPp UAS
 * customer on the carrier's address, answered or still ringing) are taken over by the new run; after a longer
 * absence the agents start logged out. A break overstayed (past its reason's limit) stands through a short
 * restart and is on record, how far over, once the agent is back.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import { ApiClient } from '../harness/api.js';
import { startAsterisk, testConfig } from '../harness/asterisk.js';
import { eventually, newDataDir, type ServiceProcess, startService } from '../harness/service.js';
import { runSipp, type SippAgent, startSippAgent } from '../harness/sipp.js';

const PASSWORD = 'agent-password';
const SUPERVISOR = 'supervisor-token-for-tests';
const SETTINGS = {
  supervisorToken: SUPERVISOR,
  queues: [
    ...['sales', 'billing'].map((id) => ({
      id,
      name: id,
      strategy: 'longest_idle',
      ringTimeoutSeconds: 5,
      wrapUpSeconds: 0,
      // Supervisors are told when callers wait with nobody to take them (one is carried over a restart).
      ...(id === 'sales' ? { alerts: { unstaffed: true } } : {}),
    })),
    // Nobody's until a test adds Ann: a wrap-up long enough to outlast a restart.
    { id: 'support', name: 'support', strategy: 'longest_idle', ringTimeoutSeconds: 5, wrapUpSeconds: 12 },
  ],
  // cara's phone rings and is never answered (ring-no-answer); bob also takes billing's calls; dee is in
  // no queue (no phone: she only takes a comfort break that runs over)
  agents: ['ann', 'bob', 'cara', 'dee'].map((id, i) => ({
    id,
    name: id,
    transport: 'udp',
    password: PASSWORD,
    contact: `sip:${id}@127.0.0.1:${5331 + i}`,
    queues:
      id === 'bob'
        ? [{ queueId: 'sales' }, { queueId: 'billing' }]
        : id === 'dee'
          ? []
          : [{ queueId: 'sales' }],
  })),
  reasonCodes: [
    { code: 'break', label: 'Break', maxMinutes: 15 },
    { code: 'lunch', label: 'Lunch', maxMinutes: 60 },
    // The shortest limit there is: an overstay within the file's run.
    { code: 'comfort', label: 'Comfort break', maxMinutes: 1 },
  ],
  routes: [
    { dialed: '600', queue: 'sales' },
    { dialed: '601', queue: 'sales', priority: 5 },
    { dialed: '602', queue: 'support' },
    // Bob's direct line: kept for him for two minutes, through a restart.
    { dialed: '603', queue: 'sales', agent: 'bob', agentWaitSeconds: 120 },
  ],
  outbound: { callerId: { mode: 'fixed', number: '+15550009999', name: 'Acme Sales' } },
};

interface InteractionDetail {
  id: string;
  state: string;
  wrapSeconds: number | null;
  agentId: string | null;
  disposition: string | null;
  talkSeconds: number | null;
  holdSeconds: number | null;
  endedBy: string | null;
  timeline: { type: string; at: string; payload: Record<string, unknown> }[];
}

let asterisk: AsteriskSandbox;
let service: ServiceProcess;
let api: ApiClient;
const dataDir = newDataDir();
const phones: SippAgent[] = [];
const tokens: Record<string, string> = {};

async function restartService(env: Record<string, string> = {}): Promise<void> {
  await service.stop();
  service = await startService(SETTINGS, env, dataDir);
  api = new ApiClient(service.baseUrl);
}

/** The caller's interaction, with its timeline, once `ready` holds for it. */
function interactionOf(
  caller: string,
  ready: (i: InteractionDetail) => boolean,
  what: string,
  timeoutMs?: number,
): Promise<InteractionDetail> {
  return eventually(
    async () => {
      const list = await api.request<{ items: { id: string }[] }>(
        'GET',
        `/api/interactions?callerNumber=${encodeURIComponent(caller)}`,
        { token: SUPERVISOR },
      );
      const id = list.body.items[0]?.id;
      if (!id) return undefined;
      const detail = await api.request<InteractionDetail>('GET', `/api/interactions/${id}`, {
        token: SUPERVISOR,
      });
      return ready(detail.body) ? detail.body : undefined;
    },
    what,
    timeoutMs,
  );
}

/** A SIPp caller on the trunk dials the queue and hangs up `pauseMs` after being answered. */
const callSales = (caller: string, pauseMs: number) =>
  runSipp({ scenario: 'caller-hangs-up', dialed: '600', callers: [caller], pauseMs });

/** Ann on her call again in the new run (the conversation carried on through the restart). */
/**
 * Ann shows talking again the moment the restarted service says it is up (restartService waits for that):
 * /health answers 503 until the calls the previous run left are taken over, her seat with them.
 */
const annTalkingAgain = async () => expect(await seatOf('ann')).toMatchObject({ type: 'talking' });
const has = (type: string) => (i: InteractionDetail) => i.timeline.some((e) => e.type === type);
const closed = (i: InteractionDetail) => i.state === 'closed';
/** The interaction's timeline has a `type` entry at `step` (a transfer's, a rejoin's, an outbound call's). */
const hasStep = (type: string, step: string) => (i: InteractionDetail) =>
  i.timeline.some((e) => e.type === type && e.payload.step === step);

/**
 * A call the new run carried on with Ann, once its caller hangs up: never cut off (SIPp counts a BYE it did
 * not send as a failed call), closed as handled by Ann, taken over and not lost; Ann free again after it.
 */
async function carriedOnWithAnn(
  caller: string,
  running: ReturnType<typeof callSales>,
): Promise<InteractionDetail> {
  expect(await running).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
  const ended = await interactionOf(caller, closed, 'the conversation to close');
  expect(ended).toMatchObject({ agentId: 'ann', disposition: 'handled', endedBy: 'caller' });
  const steps = ended.timeline.map((e) => e.type);
  expect(steps).toContain('call.adopted');
  expect(steps).not.toContain('interaction.lost');
  await eventually(
    async () => ((await seatOf('ann')).type === 'available' ? true : undefined),
    'Ann free again',
  );
  return ended;
}

const seatOf = (id: string) => api.agentState(id, tokens[id]!);

beforeAll(async () => {
  asterisk = await startAsterisk(testConfig({ agents: SETTINGS.agents }), 'seats-restart');
  service = await startService(SETTINGS, {}, dataDir);
  api = new ApiClient(service.baseUrl);
  phones.push(startSippAgent({ port: 5331, scenario: 'agent-answers' }));
  phones.push(startSippAgent({ port: 5332, scenario: 'agent-answers' }));
  phones.push(startSippAgent({ port: 5333, scenario: 'agent-no-answer' }));
  for (const id of ['ann', 'bob', 'cara', 'dee']) tokens[id] = await api.signIn(id, PASSWORD);
});

afterAll(async () => {
  for (const phone of phones) await phone.stop();
  await service?.stop();
  await asterisk?.stop();
});

describe('agent seats through a restart of the service', () => {
  it('keeps each agent as they were through a short restart, and routes the next call to them', async () => {
    await api.seat('ann', tokens.ann!, 'login');
    await api.seat('bob', tokens.bob!, 'login');
    await api.seat('bob', tokens.bob!, 'not-ready', { reason: 'lunch' });
    // Dee's one-minute comfort break: past its limit later in the file (see the overstay case).
    await api.seat('dee', tokens.dee!, 'login');
    await api.seat('dee', tokens.dee!, 'not-ready', { reason: 'comfort' });
    // Bob asked a supervisor for help; Sam (the token) is on it.
    const asked = await api.request('POST', '/api/agents/bob/help', {
      token: tokens.bob!,
      body: { note: 'who covers my queue at lunch?' },
    });
    expect(asked.status).toBe(201);
    expect((await api.request('POST', '/api/agents/bob/help/take', { token: SUPERVISOR })).status).toBe(200);

    await restartService();
    // The same tokens still work (they are signed, not sessions) and the seats are as they were.
    expect(await seatOf('ann')).toEqual({ type: 'available' });
    expect(await seatOf('bob')).toMatchObject({ type: 'not_ready', reason: 'lunch' });
    // And so is Bob's request for help: still standing, still taken on.
    const standing = await api.request<{ items: { agentId: string; note: string; taken: unknown }[] }>(
      'GET',
      '/api/help',
      { token: SUPERVISOR },
    );
    expect(standing.body.items).toEqual([
      expect.objectContaining({
        agentId: 'bob',
        note: 'who covers my queue at lunch?',
        taken: { at: expect.any(String) },
      }),
    ]);
    expect((await api.request('DELETE', '/api/agents/bob/help', { token: tokens.bob! })).status).toBe(200);

    // A caller reaches Ann's phone with nobody signing in again.
    const caller = '+15550007001';
    const run = await callSales(caller, 2500);
    expect(run).toMatchObject({ exitCode: 0, successful: 1 });
    const handled = await interactionOf(caller, closed, 'the call after the restart to close');
    expect(handled).toMatchObject({ agentId: 'ann', disposition: 'handled' });
  });

  it('takes over a caller left waiting in the queue: kept by first arrival, then connected to an agent', async () => {
    await api.seat('ann', tokens.ann!, 'not-ready', { reason: 'break' });
    await api.seat('bob', tokens.bob!, 'logout');
    const caller = '+15550007002';
    // Waits in the queue (nobody is ready) and hangs up 14 s after being answered.
    const running = callSales(caller, 14_000);
    await interactionOf(caller, has('acd.enqueued'), 'the caller to wait in the queue');
    // Nobody can take the caller: a supervisor is alerted and takes it on.
    const unstaffed = () =>
      api
        .request<{ alerts: { kind: string; since: string; acknowledged?: { at: string } }[] }>(
          'GET',
          '/api/queues/sales/stats',
          { token: SUPERVISOR },
        )
        .then((r) => r.body.alerts.filter((a) => a.kind === 'unstaffed'));
    const raised = await eventually(async () => (await unstaffed())[0], 'the unstaffed alert');
    const taken = await api.request('POST', '/api/queues/sales/alerts/unstaffed/acknowledge', {
      token: SUPERVISOR,
    });
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);

    await restartService();
    expect(await seatOf('ann')).toMatchObject({ type: 'not_ready', reason: 'break' });
    const adopted = await interactionOf(caller, has('call.adopted'), 'the new run to take the caller over');
    expect(adopted.state).toBe('open');
    const stats = await api.request<{ waiting: number }>('GET', '/api/queues/sales/stats', {
      token: SUPERVISOR,
    });
    expect(stats.body.waiting).toBe(1);
    // The alert goes on through the restart as the same one, still taken on (not raised anew for nobody).
    expect(await unstaffed()).toEqual([
      expect.objectContaining({
        since: raised.since,
        acknowledged: expect.objectContaining({ at: expect.any(String) }),
      }),
    ]);

    await api.seat('ann', tokens.ann!, 'ready');
    expect(await running).toMatchObject({ exitCode: 0, successful: 1 });
    // One alert on record for the whole spell, cleared once Ann could take the caller.
    const onRecord = await api.request<{
      items: { kind: string; raisedAt: string; clearedAt: string | null }[];
    }>('GET', `/api/alerts?from=${encodeURIComponent(raised.since)}`, { token: SUPERVISOR });
    expect(onRecord.body.items.filter((a) => a.kind === 'unstaffed')).toEqual([
      expect.objectContaining({ raisedAt: raised.since, clearedAt: expect.any(String) }),
    ]);
    const handled = await interactionOf(caller, closed, 'the taken-over call to close');
    expect(handled).toMatchObject({ agentId: 'ann', disposition: 'handled' });
    // The wait runs from the first arrival, before the restart.
    const firstEnqueued = handled.timeline.find((e) => e.type === 'acd.enqueued')!;
    const connected = handled.timeline.find((e) => e.type === 'acd.connected')!;
    const sinceFirstArrival = (Date.parse(connected.at) - Date.parse(firstEnqueued.at)) / 1000;
    expect(connected.payload.waitSeconds).toBeCloseTo(sinceFirstArrival, 0);
    const steps = handled.timeline.map((e) => e.type);
    expect(steps.indexOf('call.adopted')).toBeGreaterThan(steps.indexOf('acd.enqueued'));
    expect(steps.slice(steps.indexOf('call.adopted'))).toEqual(
      expect.arrayContaining(['acd.enqueued', 'acd.offered', 'acd.connected', 'interaction.closed']),
    );
    expect(steps).not.toContain('interaction.lost');
  });

  it('keeps a caller whose offer went unanswered at the front of the line through a restart', async () => {
    await api.seat('ann', tokens.ann!, 'not-ready', { reason: 'break' });
    await api.seat('cara', tokens.cara!, 'login');
    const first = '+15550007005';
    const vip = '+15550007006';
    // First rings cara, who does not answer (5 s): back in line at the front.
    const firstRun = callSales(first, 24_000);
    await interactionOf(first, has('acd.requeued'), 'the unanswered offer to put the caller back in line');
    // Then a caller with a higher priority: still behind the first, who keeps the front.
    const vipRun = runSipp({ scenario: 'caller-hangs-up', dialed: '601', callers: [vip], pauseMs: 24_000 });
    await interactionOf(vip, has('acd.enqueued'), 'the priority caller to wait');
    await api.seat('cara', tokens.cara!, 'logout');

    await restartService();
    await interactionOf(first, has('call.adopted'), 'the new run to take the first caller over');
    await interactionOf(vip, has('call.adopted'), 'the new run to take the priority caller over');
    await api.seat('ann', tokens.ann!, 'ready');
    const connected = await interactionOf(first, has('acd.connected'), 'the first caller to reach Ann');
    expect(connected.agentId).toBe('ann');
    const other = await interactionOf(vip, () => true, 'the priority caller');
    expect(other.timeline.map((e) => e.type)).not.toContain('acd.connected');

    expect(await firstRun).toMatchObject({ exitCode: 0, successful: 1 });
    expect(await vipRun).toMatchObject({ exitCode: 0, successful: 1 });
    await eventually(
      async () => ((await seatOf('ann')).type === 'available' ? true : undefined),
      'Ann free again',
    );
  });

  it("keeps a direct line's caller for its agent through a restart: Ann, free, is not offered it; Bob is, once ready", async () => {
    await api.seat('bob', tokens.bob!, 'login');
    await api.seat('bob', tokens.bob!, 'not-ready', { reason: 'break' });
    expect(await seatOf('ann')).toEqual({ type: 'available' });
    const caller = '+15550007013';
    const running = runSipp({
      scenario: 'caller-hangs-up',
      dialed: '603',
      callers: [caller],
      pauseMs: 30_000,
    });
    const waiting = await interactionOf(caller, has('acd.enqueued'), 'the caller to wait for Bob');
    expect(waiting.timeline.find((e) => e.type === 'acd.enqueued')?.payload.reservedFor).toMatchObject({
      agentId: 'bob',
    });

    await restartService();
    await interactionOf(caller, has('call.adopted'), 'the new run to take the caller over');
    // Still Bob's in the new run: the line says so, and Ann, free all along, is not offered it.
    const line = await api.request<{ places: { directLine?: { agentId: string } }[] }>(
      'GET',
      '/api/queues/sales/line',
      { token: SUPERVISOR },
    );
    expect(line.body.places.map((p) => p.directLine?.agentId)).toEqual(['bob']);
    await api.seat('bob', tokens.bob!, 'ready');
    const connected = await interactionOf(caller, has('acd.connected'), 'the caller to reach Bob');
    expect(connected.agentId).toBe('bob');
    expect(connected.timeline.filter((e) => e.type === 'acd.offered').map((e) => e.payload.agentIds)).toEqual(
      [['bob']],
    );
    expect(await running).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    await eventually(
      async () => ((await seatOf('bob')).type === 'available' ? true : undefined),
      'Bob free again',
    );
    await api.seat('bob', tokens.bob!, 'logout');
  });

  it('carries on a conversation through a restart: nobody is cut off, and it ends as any other', async () => {
    expect(await seatOf('ann')).toEqual({ type: 'available' });
    const caller = '+15550007003';
    // Connected to Ann at once; the caller hangs up 16 s after being answered, a restart in between (its
    // stop, start and takeover take 9-13 s on a busy 2-core machine).
    const running = callSales(caller, 16_000);
    await interactionOf(caller, has('acd.connected'), 'the caller to be talking to Ann');

    await restartService();
    await annTalkingAgain();

    const ended = await carriedOnWithAnn(caller, running);
    expect(ended.talkSeconds).toBeGreaterThan(10); // from the first connect, before the restart
  });

  it('carries on a call whose agent was rejoining when the service restarted: the caller is not cut off', async () => {
    expect(await seatOf('ann')).toEqual({ type: 'available' });
    const caller = '+15550007012';
    // The caller hangs up 24 s after being answered; the rejoin rings Ann's phone for 20 s.
    const running = callSales(caller, 24_000);
    const connected = await interactionOf(caller, has('acd.connected'), 'the caller to be talking to Ann');
    // Ann's phone goes (as a page reload takes the softphone's); the one in its place rings without answering,
    // so the rejoin is still ringing when the restart comes. Her first leg stays bridged.
    await phones[0]!.stop();
    phones[0] = startSippAgent({ port: 5331, scenario: 'agent-no-answer' });
    const rejoin = await api.request('POST', `/api/calls/${connected.id}/rejoin`, { token: tokens.ann });
    expect(rejoin.status).toBe(200);
    await interactionOf(caller, hasStep('call.rejoined', 'ringing'), 'the rejoin to ring');

    await restartService();
    await annTalkingAgain();
    // Before, the restart closed such a call as lost and hung the caller up.
    const carried = await interactionOf(
      caller,
      hasStep('call.rejoined', 'gave-up'),
      'the new run to give the ringing rejoin up',
    );
    expect(carried.state).toBe('open');
    await carriedOnWithAnn(caller, running);
    await phones[0]!.stop();
    phones[0] = startSippAgent({ port: 5331, scenario: 'agent-answers' });
  });

  it('carries on a call on hold through a restart: the agent resumes it, and the hold time counts', async () => {
    expect(await seatOf('ann')).toEqual({ type: 'available' });
    const caller = '+15550007004';
    const running = callSales(caller, 14_000);
    const talking = await interactionOf(caller, has('acd.connected'), 'the caller to be talking to Ann');
    const call = (action: string) =>
      api.request('POST', `/api/calls/${talking.id}/${action}`, { token: tokens.ann! });
    expect((await call('hold')).status).toBe(200);

    await restartService();
    await eventually(async () => {
      const seat = await seatOf('ann');
      return seat.type === 'on_hold' ? true : undefined;
    }, 'Ann to have the caller on hold again in the new run');
    const resumed = await call('resume');
    expect(resumed.status).toBe(200);
    expect(await seatOf('ann')).toMatchObject({ type: 'talking' });

    // The caller hangs up as planned: never cut off.
    expect(await running).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    const ended = await interactionOf(caller, closed, 'the held-then-resumed call to close');
    expect(ended).toMatchObject({ agentId: 'ann', disposition: 'handled', endedBy: 'caller' });
    const held = ended.timeline.find((e) => e.type === 'call.held')!;
    const back = ended.timeline.find((e) => e.type === 'call.resumed')!;
    const heldFor = (Date.parse(back.at) - Date.parse(held.at)) / 1000;
    expect(heldFor).toBeGreaterThan(2); // the restart took place during the hold
    expect(back.payload.heldSeconds).toBeCloseTo(heldFor, 0);
    expect(ended.holdSeconds).toBeCloseTo(heldFor, 0);
    await eventually(
      async () => ((await seatOf('ann')).type === 'available' ? true : undefined),
      'Ann free again',
    );
  });

  it('carries on a call a blind transfer handed to a colleague: the colleague talks on, and it ends as any other', async () => {
    expect(await seatOf('ann')).toEqual({ type: 'available' });
    const caller = '+15550007007';
    const running = callSales(caller, 16_000);
    const talking = await interactionOf(caller, has('acd.connected'), 'the caller to be talking to Ann');
    await api.seat('bob', tokens.bob!, 'login'); // only now: the queue offered the call to Ann
    const transfer = await api.request('POST', `/api/calls/${talking.id}/transfer`, {
      token: tokens.ann!,
      body: { type: 'agent', agentId: 'bob' },
    });
    expect(transfer.status).toBe(200);
    await interactionOf(caller, hasStep('call.transferred', 'connected'), 'Bob to answer the transfer');

    await restartService();
    await eventually(async () => {
      const seat = await seatOf('bob');
      return seat.type === 'talking' ? true : undefined;
    }, 'Bob to be talking again in the new run');

    // Neither the caller nor Bob was cut off: the caller hangs up as planned.
    expect(await running).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    const ended = await interactionOf(caller, closed, 'the transferred call to close');
    expect(ended).toMatchObject({ agentId: 'bob', disposition: 'handled', endedBy: 'caller' });
    const steps = ended.timeline.map((e) => e.type);
    expect(steps.indexOf('call.adopted')).toBeGreaterThan(steps.lastIndexOf('call.transferred'));
    expect(steps).not.toContain('interaction.lost');
    await eventually(
      async () => ((await seatOf('bob')).type === 'available' ? true : undefined),
      'Bob free again',
    );
    expect(await seatOf('ann')).toEqual({ type: 'available' });
    await api.seat('bob', tokens.bob!, 'logout');
  });

  it('ends a consultation a restart interrupted: the agent is back with the caller, and nobody is cut off', async () => {
    expect(await seatOf('ann')).toEqual({ type: 'available' });
    const caller = '+15550007009';
    const running = callSales(caller, 18_000);
    const talking = await interactionOf(caller, has('acd.connected'), 'the caller to be talking to Ann');
    await api.seat('bob', tokens.bob!, 'login'); // only now: the queue offered the call to Ann
    const consult = await api.request('POST', `/api/calls/${talking.id}/consult`, {
      token: tokens.ann!,
      body: { type: 'agent', agentId: 'bob' },
    });
    expect(consult.status).toBe(200);
    const consultStep = (step: string) => (i: InteractionDetail) =>
      i.timeline.some(
        (e) => e.type === 'call.transferred' && e.payload.kind === 'consult' && e.payload.step === step,
      );
    await interactionOf(caller, consultStep('connected'), 'Bob to answer the consultation');

    await restartService();
    await eventually(async () => {
      const seat = await seatOf('ann');
      return seat.type === 'talking' ? true : undefined;
    }, 'Ann to be back with the caller in the new run');
    const during = await interactionOf(caller, consultStep('cancelled'), 'the consultation to end');
    const cancelled = during.timeline.find(
      (e) => e.type === 'call.transferred' && e.payload.step === 'cancelled',
    );
    expect(cancelled?.payload).toMatchObject({
      agentId: 'ann',
      target: { type: 'agent', id: 'bob' },
      reason: 'the service restarted during the consultation',
    });
    expect((await seatOf('bob')).type).not.toBe('talking'); // the consulted party's leg was hung up

    // The caller was never cut off, and hangs up as planned.
    expect(await running).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    const ended = await interactionOf(caller, closed, 'the call to close');
    expect(ended).toMatchObject({ agentId: 'ann', disposition: 'handled', endedBy: 'caller' });
    const steps = ended.timeline.map((e) => e.type);
    expect(steps).not.toContain('interaction.lost');
    expect(steps.indexOf('call.resumed')).toBeGreaterThan(steps.indexOf('call.adopted'));
    // The hold the consultation put the caller on counts, through the restart.
    const held = ended.timeline.find((e) => e.type === 'call.held')!;
    const back = ended.timeline.find((e) => e.type === 'call.resumed')!;
    expect(ended.holdSeconds).toBeCloseTo((Date.parse(back.at) - Date.parse(held.at)) / 1000, 0);
    await eventually(
      async () => ((await seatOf('ann')).type === 'available' ? true : undefined),
      'Ann free again',
    );
    await api.seat('bob', tokens.bob!, 'logout');
  });

  it('keeps a conference through a restart: all three talk on, and the agent can still drop the party', async () => {
    expect(await seatOf('ann')).toEqual({ type: 'available' });
    const caller = '+15550007011';
    const running = callSales(caller, 18_000);
    const talking = await interactionOf(caller, has('acd.connected'), 'the caller to be talking to Ann');
    await api.seat('bob', tokens.bob!, 'login'); // only now: the queue offered the call to Ann
    const conference = await api.request<{ channelId: string }>(
      'POST',
      `/api/calls/${talking.id}/conference`,
      {
        token: tokens.ann!,
        body: { type: 'agent', agentId: 'bob' },
      },
    );
    expect(conference.status).toBe(200);
    const step = (s: string) => (i: InteractionDetail) =>
      i.timeline.some((e) => e.type === 'call.conference' && e.payload.step === s);
    await interactionOf(caller, step('joined'), 'Bob to join the conference');
    const bridgeId = String(talking.timeline.find((e) => e.type === 'acd.connected')?.payload.bridgeId);

    await restartService();
    await interactionOf(caller, has('call.adopted'), 'the new run to take the call over');
    // All three are still in the call's bridge, and both seats are on the call again.
    expect((await asterisk.cli(`bridge show ${bridgeId}`)).match(/PJSIP\//g)).toHaveLength(3);
    expect(await seatOf('ann')).toMatchObject({ type: 'talking' });
    expect(await seatOf('bob')).toMatchObject({ type: 'talking' });
    const parties = await api.request<{ channelId: string; id: string; state: string }[]>(
      'GET',
      `/api/calls/${talking.id}/parties`,
      { token: tokens.ann! },
    );
    expect(parties.body).toMatchObject([
      { id: 'bob', state: 'joined', channelId: conference.body.channelId },
    ]);
    // The new run knows Bob's leg: Ann drops him, as she could have before the restart.
    const drop = await api.request(
      'DELETE',
      `/api/calls/${talking.id}/parties/${conference.body.channelId}`,
      {
        token: tokens.ann!,
      },
    );
    expect(drop.status).toBe(200);
    const dropped = await interactionOf(caller, step('dropped'), 'Ann to drop Bob');
    const steps = dropped.timeline.filter((e) => e.type === 'call.conference').map((e) => e.payload);
    expect(steps.map((p) => p.step)).toEqual(['dialing', 'joined', 'dropped']);
    expect(steps[2]?.reason).toBeUndefined(); // Ann's doing, not the restart's
    await eventually(async () => ((await seatOf('bob')).type !== 'talking' ? true : undefined), 'Bob freed');

    expect(await running).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    const ended = await interactionOf(caller, closed, 'the call to close');
    expect(ended).toMatchObject({ agentId: 'ann', disposition: 'handled', endedBy: 'caller' });
    expect(ended.timeline.map((e) => e.type)).not.toContain('interaction.lost');
    await eventually(
      async () => ((await seatOf('ann')).type === 'available' ? true : undefined),
      'Ann free again',
    );
    // Bob was ready when called in: ready again once off the call, restart or not.
    await eventually(
      async () => ((await seatOf('bob')).type === 'available' ? true : undefined),
      'Bob ready again after the call',
    );
    await api.seat('bob', tokens.bob!, 'logout');
  });

  it('fails a blind transfer a restart found ringing: the caller back in the queue, answered there', async () => {
    expect(await seatOf('ann')).toEqual({ type: 'available' });
    const caller = '+15550007010';
    const running = callSales(caller, 18_000);
    const talking = await interactionOf(caller, has('acd.connected'), 'the caller to be talking to Ann');
    await api.seat('cara', tokens.cara!, 'login'); // cara's phone rings and is never answered
    const transfer = await api.request('POST', `/api/calls/${talking.id}/transfer`, {
      token: tokens.ann!,
      body: { type: 'agent', agentId: 'cara' },
    });
    expect(transfer.status).toBe(200);
    await interactionOf(caller, hasStep('call.transferred', 'dialing'), 'the transfer to ring Cara');

    await restartService();
    // Back in sales, where Ann (free again) answers.
    expect(await running).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    const ended = await interactionOf(caller, closed, 'the call to close');
    expect(ended).toMatchObject({ agentId: 'ann', disposition: 'handled', endedBy: 'caller' });
    const failed = ended.timeline.find((e) => e.type === 'call.transferred' && e.payload.step === 'failed');
    expect(failed?.payload).toMatchObject({
      target: { type: 'agent', id: 'cara' },
      reason: 'the service restarted while the target rang',
    });
    const steps = ended.timeline.map((e) => e.type);
    expect(steps).not.toContain('interaction.lost');
    const after = steps.slice(steps.indexOf('call.adopted'));
    expect(after).toEqual(expect.arrayContaining(['acd.enqueued', 'acd.offered', 'acd.connected']));
    expect(ended.timeline.filter((e) => e.type === 'acd.connected')).toHaveLength(2);
    expect((await seatOf('cara')).type).not.toBe('talking');
    await eventually(
      async () => ((await seatOf('ann')).type === 'available' ? true : undefined),
      'Ann free again',
    );
    await api.seat('cara', tokens.cara!, 'logout');
  });

  it('takes over a caller a blind transfer put in another queue: it waits there, and the call counts as handled', async () => {
    expect(await seatOf('ann')).toEqual({ type: 'available' });
    const caller = '+15550007008';
    const running = callSales(caller, 20_000);
    const talking = await interactionOf(caller, has('acd.connected'), 'the caller to be talking to Ann');
    await sleep(3000); // Ann's part of the call: a few seconds that are hers, not billing's
    const transfer = await api.request('POST', `/api/calls/${talking.id}/transfer`, {
      token: tokens.ann!,
      body: { type: 'queue', queueId: 'billing' },
    });
    expect(transfer.status).toBe(200);
    await interactionOf(caller, hasStep('call.transferred', 'completed'), 'the caller to wait in billing');

    await restartService();
    await interactionOf(caller, has('call.adopted'), 'the new run to take the caller over');
    const stats = await api.request<{ waiting: number }>('GET', '/api/queues/billing/stats', {
      token: SUPERVISOR,
    });
    expect(stats.body.waiting).toBe(1);
    await api.seat('bob', tokens.bob!, 'login'); // billing's agent

    expect(await running).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    const ended = await interactionOf(caller, closed, 'the call to close');
    expect(ended).toMatchObject({ agentId: 'bob', disposition: 'handled', endedBy: 'caller' });
    const steps = ended.timeline.map((e) => e.type);
    expect(steps).not.toContain('interaction.lost');
    const connects = ended.timeline.filter((e) => e.type === 'acd.connected');
    expect(connects.map((e) => e.payload.agentId)).toEqual(['ann', 'bob']);
    // Bob's answer waited from the transfer into billing (before the restart), not from the call's first
    // arrival nor from the new run taking it over.
    const intoBilling = ended.timeline.find(
      (e) => e.type === 'acd.enqueued' && e.payload.queueId === 'billing',
    )!;
    const waited = (Date.parse(connects[1]!.at) - Date.parse(intoBilling.at)) / 1000;
    expect(connects[1]!.payload.waitSeconds).toBeCloseTo(waited, 0);
    // Talk time is the two conversations (Ann's until the transfer into billing, then Bob's), across the
    // restart, without the wait in billing between them.
    const seconds = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 1000;
    const talked =
      seconds(connects[0]!.at, intoBilling.at) + seconds(connects[1]!.at, ended.timeline.at(-1)!.at);
    expect(ended.talkSeconds).toBeGreaterThan(talked - 1);
    expect(ended.talkSeconds).toBeLessThan(talked + 1);
    await eventually(
      async () => ((await seatOf('bob')).type === 'available' ? true : undefined),
      'Bob free again',
    );
    // Billing's figures carry Bob's part of the call only: Ann's talk before the transfer is sales'.
    const bobTalked = seconds(connects[1]!.at, ended.timeline.at(-1)!.at);
    const report = await api.request<{
      rows: { offered: number; answered: number; talkSeconds: number; ahtSeconds: number | null }[];
    }>(
      'GET',
      `/api/reports/queues?queueId=billing&interval=day&from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`,
      { token: SUPERVISOR },
    );
    expect(report.status).toBe(200);
    const billing = report.body.rows.filter((r) => r.offered > 0);
    expect(billing).toHaveLength(1);
    expect(billing[0]).toMatchObject({ offered: 1, answered: 1 });
    expect(billing[0]!.talkSeconds).toBeGreaterThan(bobTalked - 1);
    expect(billing[0]!.talkSeconds).toBeLessThan(bobTalked + 1);
    expect(ended.talkSeconds! - billing[0]!.talkSeconds).toBeGreaterThan(2.5); // Ann's ~3 s are not in it
    expect(billing[0]!.ahtSeconds).toBeCloseTo(billing[0]!.talkSeconds, 0); // billing's wrap-up is 0
    await api.seat('bob', tokens.bob!, 'logout');
  });

  it('carries on an outbound call the agent placed: the customer talks on, and it ends as any other', async () => {
    expect(await seatOf('ann')).toEqual({ type: 'available' });
    // The customer (on the carrier's address) answers, talks 12 s and hangs up itself.
    const customer = startSippAgent({ port: 5070, scenario: 'callee-answers-hangs-up', pauseMs: 16_000 });
    try {
      const number = '+15553330002';
      const placed = await api.request<{ interactionId: string }>('POST', '/api/calls/outbound', {
        token: tokens.ann!,
        body: { number },
      });
      expect(placed.status).toBe(200);
      await interactionOf(number, hasStep('call.outbound', 'connected'), 'the customer to answer');

      await restartService();
      await annTalkingAgain(); // on the call again, not cut off
      const ended = await interactionOf(number, closed, 'the customer to hang up and the call to close');
      expect(ended).toMatchObject({ id: placed.body.interactionId, agentId: 'ann', disposition: 'handled' });
      expect(ended.endedBy).toBe('caller'); // the customer: neither run hung up on them
      const steps = ended.timeline.map((e) => e.type);
      expect(steps).not.toContain('interaction.lost');
      expect(ended.timeline.find((e) => e.type === 'call.adopted')?.payload).toEqual({
        reason: 'the service restarted during the outbound call',
      });
      expect(ended.talkSeconds).toBeGreaterThan(10); // from the customer's answer, across the restart
      // The customer's side saw a normal call: answered, talked, hung up, no BYE from the service.
      expect(await customer.stop()).toMatchObject({ successful: 1, failed: 0 });
      // Ann placed it while ready (on its record): ready again after it, as without the restart.
      expect(
        ended.timeline.find((e) => e.type === 'call.outbound' && e.payload.step === 'requested')?.payload,
      ).toMatchObject({ after: { type: 'available' } });
      await eventually(
        async () => ((await seatOf('ann')).type === 'available' ? true : undefined),
        'Ann ready again after the call',
      );
    } finally {
      await customer.stop();
    }
  });

  it('carries on an outbound call whose customer still rang: connected when they answer, not dialled again', async () => {
    expect(await seatOf('ann')).toEqual({ type: 'available' });
    // The customer's phone rings 20 s (a restart takes 9-13 s here), then they talk 4 s and hang up.
    const customer = startSippAgent({
      port: 5070,
      scenario: 'callee-rings-answers-hangs-up',
      pauseMs: 20_000,
    });
    try {
      const number = '+15553330003';
      const placed = await api.request<{ interactionId: string }>('POST', '/api/calls/outbound', {
        token: tokens.ann!,
        body: { number },
      });
      expect(placed.status).toBe(200);
      const step = (s: string) => (e: InteractionDetail['timeline'][number]) =>
        e.type === 'call.outbound' && e.payload.step === s;
      const dialling = await interactionOf(
        number,
        (i) => i.timeline.some(step('dialing')),
        'the customer to be rung',
      );

      await restartService();
      await annTalkingAgain(); // still on her call
      // The call ends ~25 s after the dialling however quick the restart was (one took 4 s and left 20 s too few).
      const ended = await interactionOf(number, closed, 'the customer to answer, talk and hang up', 40_000);
      expect(ended).toMatchObject({ id: placed.body.interactionId, agentId: 'ann', disposition: 'handled' });
      expect(ended.endedBy).toBe('caller');
      expect(ended.timeline.map((e) => e.type)).not.toContain('interaction.lost');
      expect(ended.timeline.find((e) => e.type === 'call.adopted')?.payload).toEqual({
        reason: 'the service restarted while the outbound call rang the customer',
      });
      expect(ended.timeline.filter(step('dialing'))).toHaveLength(1); // rung on, not dialled again
      // Answered when the customer's phone picked up, ~20 s after it was dialled, across the restart.
      const dialledAt = Date.parse(dialling.timeline.find(step('dialing'))!.at);
      const connectedAt = Date.parse(ended.timeline.find(step('connected'))!.at);
      expect(connectedAt - dialledAt).toBeGreaterThan(18_000);
      expect(ended.talkSeconds).toBeGreaterThan(3);
      // The customer saw one normal call: rang, answered, talked, hung up, no BYE from the service.
      expect(await customer.stop()).toMatchObject({ successful: 1, failed: 0 });
      await eventually(
        async () => ((await seatOf('ann')).type === 'available' ? true : undefined),
        'Ann ready again after the call',
      );
    } finally {
      await customer.stop();
    }
  });

  it('gives an agent in wrap-up the rest of it through a restart, then what they chose for after it', async () => {
    expect(await seatOf('ann')).toEqual({ type: 'available' });
    const asSupervisor = { token: SUPERVISOR, body: {} };
    expect((await api.request('PUT', '/api/queues/support/members/ann', asSupervisor)).status).toBe(200);
    const caller = '+15550007030';
    await runSipp({ scenario: 'caller-hangs-up', dialed: '602', callers: [caller], pauseMs: 1000 });
    const wrapping = await eventually(async () => {
      const seat = await seatOf('ann');
      return seat.type === 'wrap_up' ? seat : undefined;
    }, 'Ann in wrap-up');
    // Chosen in the wrap-up: lunch once it ends.
    await api.seat('ann', tokens.ann!, 'not-ready', { reason: 'lunch' });

    await restartService();
    const back = await seatOf('ann');
    expect(back).toMatchObject({ type: 'wrap_up', until: wrapping.until, notReadyAfter: 'lunch' });
    const after = await eventually(
      async () => {
        const seat = await seatOf('ann');
        return seat.type === 'wrap_up' ? undefined : seat;
      },
      'the wrap-up to end',
      20_000,
    );
    expect(after).toMatchObject({ type: 'not_ready', reason: 'lunch' });
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(wrapping.until!));
    // Its time counts whole, from the hang-up before the restart to the end in the new run.
    const call = await interactionOf(caller, (i) => (i.wrapSeconds ?? 0) > 0, 'the wrap-up time written');
    expect(call.wrapSeconds).toBeGreaterThanOrEqual(11.5);
    expect(call.wrapSeconds).toBeLessThan(14);

    await api.seat('ann', tokens.ann!, 'ready');
    expect(
      (await api.request('DELETE', '/api/queues/support/members/ann', { token: SUPERVISOR })).status,
    ).toBe(204);
  });

  it('keeps a break overstayed through a short restart, and records how far over once the agent is back', async () => {
    type Overstay = {
      id: string;
      agentId: string;
      reason: string;
      limitMinutes: number;
      since: string;
      dueAt: string;
      overSeconds: number;
      ended?: { at: string; to: string };
    };
    const standing = async () =>
      (await api.request<{ items: Overstay[] }>('GET', '/api/overstays', { token: SUPERVISOR })).body.items;
    // Dee went on her one-minute comfort break in the first case (before a restart): due a minute after it.
    const over = await eventually(
      async () => (await standing()).find((o) => o.agentId === 'dee'),
      "Dee's comfort break to run past its minute",
      90_000,
    );
    expect(over).toMatchObject({ reason: 'comfort', limitMinutes: 1 });
    expect(Date.parse(over.dueAt) - Date.parse(over.since)).toBe(60_000);
    const metrics = await fetch(`${service.baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${SUPERVISOR}` },
    });
    expect(await metrics.text()).toContain('cc_agents_over_limit{reason="comfort"} 1');

    await restartService();
    // Still the same overstay (not a new one from the restart), still counting.
    const kept = await standing();
    expect(kept).toEqual([expect.objectContaining({ id: over.id, agentId: 'dee', since: over.since })]);
    expect(kept[0]!.overSeconds).toBeGreaterThanOrEqual(over.overSeconds);

    await api.seat('dee', tokens.dee!, 'ready');
    const history = await eventually(async () => {
      const read = await api.request<{
        items: Overstay[];
        totals: { agentId: string; count: number; overSeconds: number }[];
      }>('GET', '/api/overstays/history?agentId=dee', { token: SUPERVISOR });
      return read.body.items.at(-1)?.ended ? read.body : undefined;
    }, "Dee's overstay to end on record");
    const [ended] = history.items;
    expect(history.items).toHaveLength(1);
    expect(ended).toMatchObject({ id: over.id, ended: { to: 'available' } });
    // How far over: from when she was due back to when she was ready.
    expect(ended!.overSeconds).toBe(
      Math.floor((Date.parse(ended!.ended!.at) - Date.parse(ended!.dueAt)) / 1000),
    );
    expect(ended!.overSeconds).toBeGreaterThanOrEqual(kept[0]!.overSeconds);
    expect(history.totals).toEqual([
      { agentId: 'dee', count: 1, overSeconds: ended!.overSeconds, longestSeconds: ended!.overSeconds },
    ]);
    expect(await standing()).toEqual([]);
  });

  it('starts everyone logged out after a longer absence than the configured one', async () => {
    await api.seat('bob', tokens.bob!, 'login');
    expect(await seatOf('ann')).toEqual({ type: 'available' });
    expect((await api.request('POST', '/api/agents/ann/help', { token: tokens.ann!, body: {} })).status).toBe(
      201,
    );
    await service.stop();
    await sleep(2500);
    await restartService({ CC_KEEP_SEATS_SECONDS: '1' });
    expect(await seatOf('ann')).toEqual({ type: 'logged_out' });
    expect(await seatOf('bob')).toEqual({ type: 'logged_out' });
    // Ann's request for help ended with her seat, when the previous run was last alive.
    expect(
      (await api.request<{ items: unknown[] }>('GET', '/api/help', { token: SUPERVISOR })).body.items,
    ).toEqual([]);
    const history = await api.request<{ items: { agentId: string; ended?: { reason: string } }[] }>(
      'GET',
      '/api/help/history?agentId=ann',
      { token: SUPERVISOR },
    );
    expect(history.body.items.at(-1)).toMatchObject({
      agentId: 'ann',
      ended: { reason: 'service_restarted' },
    });
  });

  it('carries a conversation on when agents start logged out (keepSeatsSeconds 0): the caller is not cut off', async () => {
    await api.seat('ann', tokens.ann!, 'login');
    await api.seat('bob', tokens.bob!, 'login');
    await api.seat('bob', tokens.bob!, 'not-ready', { reason: 'break' });
    const caller = '+15550007020';
    const running = callSales(caller, 16_000);
    await interactionOf(caller, has('acd.connected'), 'the caller to be talking to Ann');

    await restartService({ CC_KEEP_SEATS_SECONDS: '0' });
    // Bob, on a break, starts logged out; Ann is held for her conversation, which the new run carries on.
    expect(await seatOf('bob')).toEqual({ type: 'logged_out' });
    await annTalkingAgain();

    expect(await running).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    const ended = await interactionOf(caller, closed, 'the conversation to close');
    expect(ended).toMatchObject({ agentId: 'ann', disposition: 'handled', endedBy: 'caller' });
    expect(ended.timeline.map((e) => e.type)).not.toContain('interaction.lost');
  });
});
