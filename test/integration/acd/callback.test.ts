/**
 * Real parts: Asterisk 22 (sandbox root), the service as its own process, a SIPp caller that presses * (RFC 2833)
 * while waiting, a SIPp UAS desk phone as the agent, and a SIPp UAS on the carrier's address as the customer
 * reached by the callback. Callback instead of waiting, end to end, and the callback's conversation through a
 * restart of the service; callers who give up waiting called back by their queue (a SIPp caller that hangs
 * up), and that callback cancelled when they call again and reach the agent first; an outbound campaign's
 * contacts called one after another by the free agent, a caller who rings in meanwhile served first; and a
 * campaign listening for answering machines (Asterisk's TALK_DETECT on the customer's channel, SIPp customers
 * streaming a long greeting or a short "Hello?" as RTP): the message left on one, another hung up on, a person
 * put through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import { ApiClient } from '../harness/api.js';
import { startAsterisk, testConfig } from '../harness/asterisk.js';
import { eventually, newDataDir, type ServiceProcess, startService } from '../harness/service.js';
import { runSipp, type SippAgent, startSippAgent } from '../harness/sipp.js';
import { muLawToneWav } from '../harness/wav.js';

const PASSWORD = 'agent-password';
const TRUNK_PORT = 5070; // the carrier's address: where the callback dials the customer

const SUPERVISOR = 'supervisor-token-for-tests';
const SETTINGS = {
  supervisorToken: SUPERVISOR,
  queues: [
    {
      id: 'callme',
      name: 'Call me back',
      strategy: 'longest_idle',
      ringTimeoutSeconds: 5,
      wrapUpSeconds: 1,
      exitKey: '*',
      exitTarget: { type: 'callback' },
      callbackPolicy: { maxAttempts: 2, retryIntervalSeconds: 30 },
      // The agent hears it before the customer is dialled (a desk phone shows no screen pop).
      agentAnnouncement: ['beep'],
    },
    // Callers who give up after 2 s are called back 2 s later (`recover`), or 10 min later (`recover-later`:
    // long enough for them to call again first).
    {
      id: 'recover',
      name: 'Recover',
      strategy: 'longest_idle',
      ringTimeoutSeconds: 5,
      wrapUpSeconds: 1,
      abandonedCallback: { minWaitSeconds: 2, delaySeconds: 2 },
    },
    {
      id: 'recover-later',
      name: 'Recover later',
      strategy: 'longest_idle',
      ringTimeoutSeconds: 5,
      wrapUpSeconds: 1,
      abandonedCallback: { minWaitSeconds: 2, delaySeconds: 600 },
    },
    // An outbound campaign's queue; callers may ring it too (503), and go first.
    {
      id: 'outbound',
      name: 'Outbound',
      strategy: 'longest_idle',
      ringTimeoutSeconds: 5,
      wrapUpSeconds: 1,
      callbackPolicy: { maxAttempts: 1, retryIntervalSeconds: 30 },
    },
  ],
  agents: [
    {
      id: 'cb1',
      name: 'Callback Agent',
      transport: 'udp',
      password: PASSWORD,
      contact: 'sip:cb1@127.0.0.1:5311',
      queues: [
        { queueId: 'callme' },
        { queueId: 'recover' },
        { queueId: 'recover-later' },
        { queueId: 'outbound' },
      ],
    },
  ],
  routes: [
    { dialed: '500', queue: 'callme' },
    { dialed: '501', queue: 'recover' },
    { dialed: '502', queue: 'recover-later' },
    { dialed: '503', queue: 'outbound' },
  ],
  // The caller ID customers see, callbacks included.
  outbound: { callerId: { mode: 'fixed', number: '+15550009999', name: 'Acme Support' } },
};

interface Interaction {
  id: string;
  state: string;
  direction: string;
  callerNumber: string;
  disposition: string | null;
  agentId: string | null;
  parentId: string | null;
  recording: string | null;
  timeline: { type: string; payload: Record<string, unknown> }[];
}

let asterisk: AsteriskSandbox;
let service: ServiceProcess;
let dataDir: string;
let api: ApiClient;
let token: string;
const phones: SippAgent[] = [];

async function byCaller(number: string, direction: string): Promise<Interaction | undefined> {
  const list = await api.request<{ items: Interaction[] }>(
    'GET',
    `/api/interactions?callerNumber=${encodeURIComponent(number)}&direction=${direction}`,
    { token: SUPERVISOR },
  );
  const row = list.body.items[0];
  return (
    row && (await api.request<Interaction>('GET', `/api/interactions/${row.id}`, { token: SUPERVISOR })).body
  );
}

/** The caller's interaction of that direction, once it is closed. */
function closedCall(caller: string, direction: string, what: string): Promise<Interaction> {
  return eventually(
    async () => {
      const i = await byCaller(caller, direction);
      return i?.state === 'closed' ? i : undefined;
    },
    `${what} to close`,
    30_000,
  );
}

/**
 * A SIPp caller waits 1.5 s in the queue, presses *, hears the number read back, and is hung up by the
 * service; resolves with the closed call that asked for the callback.
 */
async function callbackRequestedBy(caller: string): Promise<Interaction> {
  const run = await runSipp({
    scenario: 'caller-presses-key',
    fill: { DIGIT: 'star' },
    dialed: '500',
    callers: [caller],
    pauseMs: 1500,
  });
  expect(run).toMatchObject({ exitCode: 0, successful: 1 });
  const original = await closedCall(caller, 'inbound', 'the original call');
  expect(original.disposition).toBe('callback-requested');
  return original;
}

/** Puts cb1 on a break once free (or leaves them on one), so nothing rings until the test says. */
async function agentOnBreak() {
  const state = await eventually(async () => {
    const agent = await api.request<{ state: { type: string } }>('GET', '/api/agents/cb1', { token });
    const type = agent.body.state.type;
    return type === 'available' || type === 'not_ready' ? type : undefined;
  }, 'the agent to be free or on a break');
  if (state === 'available') await api.seat('cb1', token, 'not-ready', { reason: 'break' });
}

beforeAll(async () => {
  asterisk = await startAsterisk(testConfig({ agents: SETTINGS.agents }), 'callback');
  dataDir = newDataDir();
  service = await startService(SETTINGS, {}, dataDir);
  api = new ApiClient(service.baseUrl);
  phones.push(startSippAgent({ port: 5311, scenario: 'agent-answers' }));
  phones.push(startSippAgent({ port: TRUNK_PORT, scenario: 'callee-answers-hangs-up', pauseMs: 4000 }));
  token = await api.signIn('cb1', PASSWORD);
  await api.seat('cb1', token, 'login');
  await api.seat('cb1', token, 'not-ready', { reason: 'break' });
});

afterAll(async () => {
  if (process.env.CC_DEBUG_OUTPUT)
    for (const phone of phones) console.log(`SIPP ${phone.port}`, phone.errors().slice(0, 3000));
  if (process.env.CC_DEBUG_OUTPUT)
    console.log(
      service
        .output()
        .split('\n')
        .filter((l) => l.length > 0)
        .join('\n'),
    );
  for (const phone of phones) await phone.stop();
  await service?.stop();
  await asterisk?.stop();
});

describe('callback instead of waiting', () => {
  it('keeps the caller’s place, rings the agent, dials the customer and links the conversation', async () => {
    const caller = '+15550006001';
    const original = await callbackRequestedBy(caller);
    const waiting = await api.request<{ callbacksWaiting: number; waiting: number }>(
      'GET',
      '/api/queues/callme/stats',
      { token: SUPERVISOR },
    );
    expect(waiting.body).toMatchObject({ callbacksWaiting: 1, waiting: 0 });

    // The agent becomes ready: the callback is due, the agent's phone answers, the customer is dialled.
    await api.seat('cb1', token, 'ready');
    await eventually(async () => {
      const i = await byCaller(caller, 'callback');
      return i?.timeline.some((e) => e.type === 'acd.connected') ? i : undefined;
    }, 'the customer connected to the agent');
    // The seat knows the call as the request; the agent holds the customer a moment on it.
    const seat = await api.request<{ state: { type: string; interactionId?: string } }>(
      'GET',
      '/api/agents/cb1',
      {
        token,
      },
    );
    expect(seat.body.state).toMatchObject({ type: 'talking', interactionId: original.id });
    expect((await api.request('POST', `/api/calls/${original.id}/hold`, { token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 800));
    expect((await api.request('POST', `/api/calls/${original.id}/resume`, { token })).status).toBe(200);

    const conversation = await closedCall(caller, 'callback', 'the callback conversation');
    expect(conversation).toMatchObject({
      direction: 'callback',
      parentId: original.id,
      agentId: 'cb1',
      disposition: 'handled',
      recording: `${conversation.id}.wav`, // recorded like any answered call
    });
    // The hold and the wrap-up are the conversation's figures, not the request's.
    const held = conversation as Interaction & { holdSeconds: number };
    expect(held.holdSeconds).toBeGreaterThanOrEqual(0.7);
    expect(held.holdSeconds).toBeLessThan(3);
    const wrapUp = await api.request('POST', `/api/interactions/${original.id}/wrap-up`, {
      token,
      body: { code: 'resolved', notes: 'called back, sorted' },
    });
    expect(wrapUp.status).toBe(200);
    const read = async (id: string) =>
      (
        await api.request<
          Interaction & { wrapUpCode: string | null; notes: string | null; wrapSeconds: number | null }
        >('GET', `/api/interactions/${id}`, { token: SUPERVISOR })
      ).body;
    expect(await read(conversation.id)).toMatchObject({
      wrapUpCode: 'resolved',
      notes: 'called back, sorted',
    });
    expect(await read(original.id)).toMatchObject({ wrapUpCode: null, holdSeconds: null });

    const steps = await eventually(async () => {
      const i = await api.request<Interaction>('GET', `/api/interactions/${original.id}`, {
        token: SUPERVISOR,
      });
      const list = i.body.timeline.filter((e) => e.type === 'acd.callback').map((e) => e.payload.step);
      return list.includes('closed') ? list : undefined;
    }, 'the callback to close');
    expect(steps).toEqual(['requested', 'due', 'dialing', 'connected', 'closed']);
    // The queue's announcement was played to the agent, to its end, before the customer was dialled.
    const request = (
      await api.request<Interaction>('GET', `/api/interactions/${original.id}`, { token: SUPERVISOR })
    ).body.timeline;
    const announced = request.findIndex((e) => e.type === 'acd.agent.announced');
    expect(request[announced]?.payload).toMatchObject({
      agentId: 'cb1',
      sounds: ['beep'],
      outcome: 'played',
    });
    expect(announced).toBeLessThan(
      request.findIndex((e) => e.type === 'acd.callback' && e.payload.step === 'connected'),
    );
    const closed = (
      await api.request<Interaction>('GET', `/api/interactions/${original.id}`, { token: SUPERVISOR })
    ).body.timeline.find((e) => e.type === 'acd.callback' && e.payload.step === 'closed')!;
    expect(closed.payload).toMatchObject({ reason: 'completed', attempt: 1 });
    const timeline = (
      await api.request<Interaction>('GET', `/api/interactions/${original.id}`, { token: SUPERVISOR })
    ).body.timeline;
    // The customer is shown the contact center's caller ID from the outbound rules.
    expect(
      timeline.find((e) => e.type === 'acd.callback' && e.payload.step === 'dialing')?.payload.callerId,
    ).toBe('"Acme Support" <+15550009999>');
    const after = await api.request<{ callbacksWaiting: number }>('GET', '/api/queues/callme/stats', {
      token: SUPERVISOR,
    });
    expect(after.body.callbacksWaiting).toBe(0);
    await eventually(async () => {
      const agent = await api.request<{ state: { type: string } }>('GET', '/api/agents/cb1', { token });
      return agent.body.state.type === 'available' ? true : undefined;
    }, 'the agent to be free again');
    // The agent's wrap-up time (1 s) is the conversation's too.
    const wrapped = await eventually(async () => {
      const i = await read(conversation.id);
      return i.timeline.some((e) => e.type === 'acd.wrapup.ended') ? i : undefined;
    }, 'the wrap-up time on the conversation');
    expect(wrapped.wrapSeconds).toBeGreaterThanOrEqual(0.9);
    expect(await read(original.id)).toMatchObject({ wrapSeconds: null });
  });

  it('keeps a callback request through a restart of the service: same place, then carried out', async () => {
    const caller = '+15550006002';
    await api.seat('cb1', token, 'not-ready', { reason: 'break' });
    const original = await callbackRequestedBy(caller);

    // The service stops and starts again on the same database: the request was only in its memory.
    await service.stop();
    service = await startService(SETTINGS, {}, dataDir);
    api = new ApiClient(service.baseUrl);
    // Put back in line once Asterisk hears the new run; the agent kept their seat (not ready, break).
    await eventually(async () => {
      const stats = await api.request<{ callbacksWaiting: number; waiting: number }>(
        'GET',
        '/api/queues/callme/stats',
        { token: SUPERVISOR },
      );
      return stats.body.callbacksWaiting === 1 && stats.body.waiting === 0 ? true : undefined;
    }, 'the callback request to be back in line');
    const seat = await api.request<{ state: { type: string; reason?: string } }>('GET', '/api/agents/cb1', {
      token,
    });
    expect(seat.body.state).toEqual({ type: 'not_ready', reason: 'break' });

    // The agent becomes ready in the new run: the callback is carried out as before.
    await api.seat('cb1', token, 'ready');
    const conversation = await closedCall(caller, 'callback', 'the callback conversation after the restart');
    expect(conversation).toMatchObject({ parentId: original.id, agentId: 'cb1', disposition: 'handled' });
    const steps = await eventually(async () => {
      const i = await api.request<Interaction>('GET', `/api/interactions/${original.id}`, {
        token: SUPERVISOR,
      });
      const list = i.body.timeline.filter((e) => e.type === 'acd.callback');
      return list.some((e) => e.payload.step === 'closed') ? list : undefined;
    }, 'the restored callback to close');
    expect(steps.map((e) => e.payload.step)).toEqual([
      'requested',
      'restored',
      'due',
      'dialing',
      'connected',
      'closed',
    ]);
    expect(steps[0]?.payload).toMatchObject({ callerNumber: caller, priority: 0 });
    expect(steps[1]?.payload).toMatchObject({ attempt: 0 });
    expect(steps[5]?.payload).toMatchObject({ reason: 'completed', attempt: 1 });
  });

  it('carries on a callback’s conversation through a restart: the customer talks on, and it ends as any other', async () => {
    const caller = '+15550006003';
    // This customer talks 12 s before hanging up, long enough for a restart in the middle.
    await phones.pop()!.stop();
    const customer = startSippAgent({
      port: TRUNK_PORT,
      scenario: 'callee-answers-hangs-up',
      pauseMs: 12_000,
    });
    phones.push(customer);
    await eventually(async () => {
      const agent = await api.request<{ state: { type: string } }>('GET', '/api/agents/cb1', { token });
      return agent.body.state.type === 'available' ? true : undefined;
    }, 'the agent to be free');
    await api.seat('cb1', token, 'not-ready', { reason: 'break' });
    const original = await callbackRequestedBy(caller);
    await api.seat('cb1', token, 'ready');
    await eventually(async () => {
      const i = await byCaller(caller, 'callback');
      return i?.timeline.some((e) => e.type === 'acd.connected') ? i : undefined;
    }, 'the customer connected to the agent');

    await service.stop();
    service = await startService(SETTINGS, {}, dataDir);
    api = new ApiClient(service.baseUrl);
    // The seat is on the call again, known by the request as before the restart.
    const seat = await eventually(async () => {
      const s = await api.request<{ state: { type: string; interactionId?: string } }>(
        'GET',
        '/api/agents/cb1',
        {
          token,
        },
      );
      return s.body.state.type === 'talking' ? s.body.state : undefined;
    }, 'the agent to be talking again');
    expect(seat.interactionId).toBe(original.id);

    const conversation = await closedCall(
      caller,
      'callback',
      'the callback conversation through the restart',
    );
    expect(conversation).toMatchObject({ parentId: original.id, agentId: 'cb1', disposition: 'handled' });
    const types = conversation.timeline.map((e) => e.type);
    expect(types).not.toContain('interaction.lost');
    expect(types).toContain('call.adopted');
    const talked = conversation as Interaction & { talkSeconds: number; endedBy: string };
    expect(talked.endedBy).toBe('caller'); // the customer hung up: neither run cut them off
    expect(talked.talkSeconds).toBeGreaterThan(10);
    expect(await customer.stop()).toMatchObject({ successful: 1, failed: 0 });
    // The request itself was completed by the connect before the restart, and stays so.
    const request = await api.request<Interaction>('GET', `/api/interactions/${original.id}`, {
      token: SUPERVISOR,
    });
    const steps = request.body.timeline.filter((e) => e.type === 'acd.callback').map((e) => e.payload.step);
    expect(steps.filter((s) => s === 'closed')).toHaveLength(1);
    // Wrap-up (1 s) follows, then the agent is free as after any callback.
    await eventually(async () => {
      const agent = await api.request<{ state: { type: string } }>('GET', '/api/agents/cb1', { token });
      return agent.body.state.type === 'available' ? true : undefined;
    }, 'the agent to be free again');
  });
  it('calls back at the time a supervisor scheduled, kept for its agent, through a restart of the service', async () => {
    const caller = '+15550006004';
    await phones.pop()!.stop();
    phones.push(startSippAgent({ port: TRUNK_PORT, scenario: 'callee-answers-hangs-up', pauseMs: 2000 }));
    await eventually(async () => {
      const agent = await api.request<{ state: { type: string } }>('GET', '/api/agents/cb1', { token });
      return agent.body.state.type === 'available' ? true : undefined;
    }, 'the agent to be free');
    await api.seat('cb1', token, 'not-ready', { reason: 'break' });
    // The customer asked for a callback while waiting; a supervisor cancels it and books a time instead.
    const original = await callbackRequestedBy(caller);
    // cb1 never had this call: an agent may not touch its callback, a supervisor may.
    const path = `/api/interactions/${original.id}/callback`;
    expect((await api.request('DELETE', path, { token })).status).toBe(403);
    const cancelled = await api.request('DELETE', path, { token: SUPERVISOR });
    expect(cancelled).toMatchObject({ status: 200, body: { interactionId: original.id, cancelled: true } });
    const at = new Date(Date.now() + 15_000);
    const scheduled = await api.request<{ callback: Record<string, unknown> }>('POST', path, {
      token: SUPERVISOR,
      body: { at: at.toISOString(), agentId: 'cb1', reserveMinutes: 1, note: 'after the engineer visit' },
    });
    expect(scheduled.status).toBe(201);
    expect(scheduled.body.callback).toMatchObject({
      status: 'retry_wait',
      attempts: 0,
      notBefore: at.toISOString(),
      reservedFor: { agentId: 'cb1', until: new Date(at.getTime() + 60_000).toISOString() },
    });

    // The service restarts before it is due: the booking was in its memory, and on record.
    await service.stop();
    service = await startService(SETTINGS, {}, dataDir);
    api = new ApiClient(service.baseUrl);
    const listed = await eventually(async () => {
      const list = await api.request<{
        items: { interactionId: string; callback: Record<string, unknown> }[];
      }>('GET', '/api/callbacks', { token });
      return list.body.items.length === 1 ? list.body.items[0] : undefined;
    }, 'the scheduled callback to be back in line, listed for its agent');
    expect(listed).toMatchObject({ interactionId: original.id, callback: scheduled.body.callback });
    const stats = await api.request<Record<string, number>>('GET', '/api/queues/callme/stats', {
      token: SUPERVISOR,
    });
    expect(stats.body).toMatchObject({ callbacksWaiting: 0, callbacksScheduled: 1, waiting: 0 });

    // The agent is ready well before the time: nothing rings until then.
    await api.seat('cb1', token, 'ready');
    const conversation = await eventually(
      async () => {
        const list = await api.request<{ items: Interaction[] }>(
          'GET',
          `/api/interactions?callerNumber=${encodeURIComponent(caller)}&direction=callback`,
          { token: SUPERVISOR },
        );
        const row = list.body.items[0];
        return row?.state === 'closed' ? row : undefined;
      },
      'the scheduled callback conversation to close',
      60_000,
    );
    expect(conversation).toMatchObject({ parentId: original.id, agentId: 'cb1', disposition: 'handled' });
    const timeline = (
      await api.request<Interaction & { timeline: { at: string }[] }>(
        'GET',
        `/api/interactions/${original.id}`,
        {
          token: SUPERVISOR,
        },
      )
    ).body.timeline as unknown as { at: string; type: string; payload: Record<string, unknown> }[];
    const steps = timeline.filter((e) => e.type === 'acd.callback');
    expect(steps.map((e) => e.payload.step)).toEqual([
      'requested',
      'closed',
      'requested',
      'restored',
      'due',
      'dialing',
      'connected',
      'closed',
    ]);
    expect(steps[1]?.payload).toMatchObject({ reason: 'cancelled', by: { supervisor: null } });
    expect(steps[2]?.payload).toMatchObject({
      scheduledFor: at.getTime(),
      reservedFor: { agentId: 'cb1', until: at.getTime() + 60_000 },
      by: { supervisor: null },
      note: 'after the engineer visit',
    });
    // Due at its time, not when the agent became ready (seconds before).
    const due = steps.find((e) => e.payload.step === 'due')!;
    expect(Date.parse(due.at)).toBeGreaterThanOrEqual(at.getTime());
    expect(Date.parse(due.at)).toBeLessThan(at.getTime() + 3000);
    expect(due.payload).toMatchObject({ agentId: 'cb1', attempt: 1 });
  });

  it("calls back a website's request (POST /api/callbacks) at once: the agent rung, the customer dialled, linked", async () => {
    const customer = '+15550006005';
    await eventually(async () => {
      const agent = await api.request<{ state: { type: string } }>('GET', '/api/agents/cb1', { token });
      return agent.body.state.type === 'available' ? true : undefined;
    }, 'the agent to be free');
    const asked = await api.request<{ items: { interactionId: string; number: string }[] }>(
      'POST',
      '/api/callbacks',
      {
        token: SUPERVISOR,
        body: {
          queueId: 'callme',
          items: [{ number: customer, name: 'Grace Hopper', note: 'web form: my order has not arrived' }],
        },
      },
    );
    expect(asked.status).toBe(201);
    const [request] = asked.body.items;
    expect(request).toMatchObject({ number: customer });
    const conversation = await eventually(
      async () => {
        const list = await api.request<{ items: Interaction[] }>(
          'GET',
          `/api/interactions?callerNumber=${encodeURIComponent(customer)}&direction=callback`,
          { token: SUPERVISOR },
        );
        const talked = list.body.items.find((i) => i.parentId === request!.interactionId);
        return talked?.state === 'closed' ? talked : undefined;
      },
      'the conversation with the customer to close',
      60_000,
    );
    expect(conversation).toMatchObject({ agentId: 'cb1', disposition: 'handled' });
    const held = (
      await api.request<Interaction & { callerName: string | null }>(
        'GET',
        `/api/interactions/${request!.interactionId}`,
        { token: SUPERVISOR },
      )
    ).body;
    // The request itself: a callback with no parent, closed as asked for, its steps on its timeline.
    expect(held).toMatchObject({
      direction: 'callback',
      parentId: null,
      state: 'closed',
      disposition: 'callback-requested',
      callerNumber: customer,
      callerName: 'Grace Hopper',
    });
    const steps = held.timeline.filter((e) => e.type === 'acd.callback').map((e) => e.payload);
    expect(steps.map((p) => p.step)).toEqual(['requested', 'due', 'dialing', 'connected', 'closed']);
    expect(steps[0]).toMatchObject({ note: 'web form: my order has not arrived', by: { supervisor: null } });
    expect(steps.at(-1)).toMatchObject({ reason: 'completed' });
  });
});

describe('callers who give up waiting', () => {
  /** The agent on a break (once done with any call): a caller then waits with nobody to take them. */

  /** A SIPp caller who waits 3 s in the queue dialled and hangs up; resolves with the closed call. */
  async function givesUp(caller: string, dialed: string): Promise<Interaction> {
    const run = await runSipp({ scenario: 'caller-hangs-up', dialed, callers: [caller], pauseMs: 3000 });
    expect(run).toMatchObject({ exitCode: 0, successful: 1 });
    const call = await closedCall(caller, 'inbound', 'the abandoned call');
    expect(call.disposition).toBe('abandoned');
    return call;
  }

  it('are called back by their queue: the agent rung, the customer dialled, the conversation linked', async () => {
    const caller = '+15550006010';
    await agentOnBreak();
    const abandoned = await givesUp(caller, '501');
    // Booked by the queue on the call's own record, due 2 s after they hung up.
    const requested = abandoned.timeline.find((e) => e.type === 'acd.callback')?.payload;
    expect(requested).toMatchObject({ step: 'requested', queueId: 'recover', callerNumber: caller });
    const by = requested?.by as { abandoned: { waitedSeconds: number } };
    expect(by.abandoned.waitedSeconds).toBeGreaterThanOrEqual(2);
    expect(abandoned.timeline.find((e) => e.type === 'acd.abandoned')?.payload.noCallback).toBeUndefined();

    await api.seat('cb1', token, 'ready');
    const conversation = await eventually(
      async () => {
        const i = await byCaller(caller, 'callback');
        return i?.state === 'closed' ? i : undefined;
      },
      'the callback conversation to close',
      60_000,
    );
    expect(conversation).toMatchObject({ parentId: abandoned.id, agentId: 'cb1', disposition: 'handled' });
    const record = (
      await api.request<Interaction>('GET', `/api/interactions/${abandoned.id}`, { token: SUPERVISOR })
    ).body;
    const steps = record.timeline.filter((e) => e.type === 'acd.callback').map((e) => e.payload.step);
    expect(steps).toEqual(['requested', 'due', 'dialing', 'connected', 'closed']);
  });

  it('are not called back once they call again and reach the agent (after a restart too): the callback is cancelled, saying why', async () => {
    const caller = '+15550006011';
    await agentOnBreak();
    const abandoned = await givesUp(caller, '502');
    // A restart of the service puts it back in line as the queue's own (its request's `by`).
    await service.stop();
    service = await startService(SETTINGS, {}, dataDir);
    api = new ApiClient(service.baseUrl);
    await eventually(async () => {
      const stats = await api.request<{ callbacksScheduled: number }>(
        'GET',
        '/api/queues/recover-later/stats',
        {
          token: SUPERVISOR,
        },
      );
      return stats.body.callbacksScheduled === 1 ? true : undefined;
    }, 'the callback to be back in line after the restart');
    const line = await api.request<{
      places: { interactionId: string; callback?: { abandoned?: boolean } }[];
    }>('GET', '/api/queues/recover-later/line', { token: SUPERVISOR });
    expect(line.body.places).toMatchObject([{ interactionId: abandoned.id, callback: { abandoned: true } }]);

    // They call again; the agent, back from the break, takes the call.
    await api.seat('cb1', token, 'ready');
    const run = await runSipp({
      scenario: 'caller-hangs-up',
      dialed: '502',
      callers: [caller],
      pauseMs: 3000,
    });
    expect(run).toMatchObject({ exitCode: 0, successful: 1 });
    const closed = await eventually(async () => {
      const i = (
        await api.request<Interaction>('GET', `/api/interactions/${abandoned.id}`, { token: SUPERVISOR })
      ).body;
      return i.timeline.find((e) => e.type === 'acd.callback' && e.payload.step === 'closed')?.payload;
    }, 'the queue’s callback to close');
    expect(closed).toMatchObject({
      reason: expect.stringMatching(/^cancelled: they called again and reached cb1/),
    });
    const again = await eventually(async () => {
      const list = await api.request<{ items: Interaction[] }>(
        'GET',
        `/api/interactions?callerNumber=${encodeURIComponent(caller)}&direction=inbound`,
        { token: SUPERVISOR },
      );
      const second = list.body.items.find((i) => i.id !== abandoned.id);
      return second?.state === 'closed' ? second : undefined;
    }, 'the second call to close');
    expect(again).toMatchObject({ agentId: 'cb1', disposition: 'handled' });
    expect(String(closed.reason)).toContain(`(call ${again.id})`);
    const after = await api.request<{ places: unknown[] }>('GET', '/api/queues/recover-later/line', {
      token: SUPERVISOR,
    });
    expect(after.body.places).toEqual([]);
  });
});

describe('an outbound campaign', () => {
  interface Contact {
    seq: number;
    number: string;
    state: string;
    reason: string | null;
    interactionId: string | null;
    bookedAt?: string;
    conversation: { interactionId: string; agentId: string | null } | null;
  }
  const contacts = async () =>
    (
      await api.request<{ items: Contact[] }>('GET', '/api/campaigns/renewals/contacts', {
        token: SUPERVISOR,
      })
    ).body.items;

  it('calls its contacts one after another as the agent frees up, a caller ringing in meanwhile first', async () => {
    const [first, barred, second, inbound] = ['+15550007001', '+15550007002', '+15550007003', '+15550007009'];
    // Customers who talk 3 s each.
    await phones.pop()!.stop();
    const customers = startSippAgent({
      port: TRUNK_PORT,
      scenario: 'callee-answers-hangs-up',
      pauseMs: 3000,
    });
    phones.push(customers);
    await agentOnBreak();
    expect(
      (await api.request('POST', '/api/do-not-call', { token: SUPERVISOR, body: { number: barred } })).status,
    ).toBe(201);
    const made = await api.request<{ counts: Record<string, number> }>('POST', '/api/campaigns', {
      token: SUPERVISOR,
      body: {
        id: 'renewals',
        name: 'Renewals',
        queueId: 'outbound',
        contacts: [
          { number: first, name: 'Ann Able', note: 'renewal due' },
          { number: barred, name: 'Do Not' },
          { number: second, name: 'Bob Best' },
        ],
        script: 'Hello, Acme here about your renewal.',
      },
    });
    expect(made).toMatchObject({ status: 201, body: { counts: { pending: 2, skipped: 1 } } });

    // The agent is free: the first contact is booked, their phone rung, the customer dialled and reached.
    await api.seat('cb1', token, 'ready');
    const talking = await eventually(
      async () => {
        const i = await byCaller(first, 'callback');
        return i?.timeline.some((e) => e.type === 'acd.connected') ? i : undefined;
      },
      'the first customer connected to the agent',
      30_000,
    );
    // The agent's screen pop says it is the campaign's call, and what about.
    const pop = await api.request<{ request: unknown; interaction: { callerName: string } }>(
      'GET',
      `/api/calls/${talking.id}/screen-pop`,
      { token },
    );
    expect(pop.body).toMatchObject({
      interaction: { callerName: 'Ann Able' },
      request: {
        by: { campaign: { id: 'renewals', name: 'Renewals' } },
        note: 'Renewals: renewal due',
        script: 'Hello, Acme here about your renewal.',
      },
    });

    // A caller rings the campaign's queue meanwhile: when the agent frees up, they are served first.
    const caller = runSipp({ scenario: 'caller-hangs-up', dialed: '503', callers: [inbound], pauseMs: 9000 });
    const served = await closedCall(inbound, 'inbound', 'the inbound call');
    expect(await caller).toMatchObject({ exitCode: 0, successful: 1 });
    expect(served).toMatchObject({ agentId: 'cb1', disposition: 'handled' });
    const connectedAt = Date.parse(
      (served.timeline as unknown as { at: string; type: string }[]).find((e) => e.type === 'acd.connected')!
        .at,
    );

    // Then the second contact, and the campaign is done.
    const done = await eventually(
      async () => {
        const list = await contacts();
        return list.every((c) => c.state !== 'pending' && c.state !== 'booked') ? list : undefined;
      },
      'every contact accounted for',
      60_000,
    );
    expect(done.map((c) => [c.number, c.state])).toEqual([
      [first, 'reached'],
      [barred, 'skipped'],
      [second, 'reached'],
    ]);
    expect(done[1]?.reason).toMatch(/^may not be called: .*do-not-call/);
    expect(Date.parse(done[2]!.bookedAt!)).toBeGreaterThan(connectedAt);
    for (const contact of [done[0]!, done[2]!]) {
      expect(contact.conversation).toMatchObject({ agentId: 'cb1' });
      // Reached once connected; the conversation goes on (3 s) after.
      const conversation = await closedCall(contact.number, 'callback', 'the conversation');
      expect(conversation).toMatchObject({
        id: contact.conversation!.interactionId,
        parentId: contact.interactionId,
        direction: 'callback',
        disposition: 'handled',
        callerNumber: contact.number,
      });
    }
    const campaign = await api.request('GET', '/api/campaigns/renewals', { token: SUPERVISOR });
    expect(campaign.body).toMatchObject({ finished: true, counts: { reached: 2, skipped: 1, pending: 0 } });
    // The results as a file: each contact's outcome, and for those reached the conversation, agent and wrap-up.
    const file = await fetch(`${service.baseUrl}/api/campaigns/renewals/contacts?format=csv`, {
      headers: { authorization: `Bearer ${SUPERVISOR}` },
    });
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const [header, ...lines] = (await file.text()).trimEnd().split('\r\n');
    expect(header?.split(',').slice(-3)).toEqual(['conversationId', 'agentId', 'wrapUpCode']);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^1,\\${first},Ann Able,renewal due,reached,`));
    expect(lines[0]).toContain(`,${done[0]!.conversation!.interactionId},cb1,`);
    expect(lines[1]).toMatch(new RegExp(`^2,\\${barred},Do Not,,skipped,`));
    expect(lines[2]).toContain(`,${done[2]!.conversation!.interactionId},cb1,`);
    // What the calls came to: two conversations of ~3 s, both cb1's, no wrap-up code given (a desk phone).
    const figures = await api.request<{ talkSeconds: number; byAgent: { talkSeconds: number }[] }>(
      'GET',
      '/api/campaigns/renewals/figures',
      { token: SUPERVISOR },
    );
    expect(figures.body).toMatchObject({
      conversations: 2,
      byWrapUpCode: [{ code: null, conversations: 2 }],
      byAgent: [{ agentId: 'cb1', conversations: 2 }],
    });
    expect(figures.body.talkSeconds).toBeGreaterThanOrEqual(5);
    expect(figures.body.talkSeconds).toBeLessThan(15);
    expect(figures.body.byAgent[0]!.talkSeconds).toBe(figures.body.talkSeconds);
    expect(await customers.stop()).toMatchObject({ successful: 2, failed: 0 });
  });

  it('listens for answering machines: leaves the message on one (the agent freed at once), hangs up on one, puts a person through', async () => {
    const [machine, person, machine2] = ['+15550071801', '+15550007104', '+15550071802'];
    const ofReminders = async () =>
      (
        await api.request<{ items: Contact[] }>('GET', '/api/campaigns/reminders/contacts', {
          token: SUPERVISOR,
        })
      ).body.items;
    const settled = (count: number) =>
      eventually(
        async () => {
          const list = await ofReminders();
          return list.length === count && list.every((c) => c.state !== 'pending' && c.state !== 'booked')
            ? list
            : undefined;
        },
        'every contact of the campaign accounted for',
        60_000,
      );
    const heard = async (interactionId: string) =>
      (
        await api.request<Interaction>('GET', `/api/interactions/${interactionId}`, { token: SUPERVISOR })
      ).body.timeline.filter((e) => e.type === 'acd.answering-machine') as unknown as {
        at: string;
        payload: Record<string, unknown>;
      }[];
    // Numbers with 7180 answer as a machine (a greeting of 3 s, then quiet); others as a person ("Hello?" of
    // 0.6 s, then quiet), who talks 3 s.
    await phones.pop()!.stop();
    const customers = startSippAgent({
      port: TRUNK_PORT,
      scenario: 'callee-greets',
      pauseMs: 3000,
      files: {
        'machine.wav': muLawToneWav(30, 400, 0.3, 3),
        'person.wav': muLawToneWav(30, 400, 0.3, 0.6),
      },
    });
    phones.push(customers);
    await agentOnBreak();
    const body = {
      id: 'reminders',
      name: 'Reminders',
      queueId: 'outbound',
      contacts: [
        { number: machine, name: 'Max Machine' },
        { number: person, name: 'Pat Person' },
      ],
    };
    expect(
      await api.request('POST', '/api/campaigns', {
        token: SUPERVISOR,
        body: { ...body, answeringMachine: { action: 'leave_message' } },
      }),
    ).toMatchObject({ status: 400, body: { code: 'MESSAGE_REQUIRED' } });
    const made = await api.request('POST', '/api/campaigns', {
      token: SUPERVISOR,
      body: { ...body, answeringMachine: { action: 'leave_message', message: ['vm-goodbye'] } },
    });
    expect(made).toMatchObject({
      status: 201,
      body: { answeringMachine: { action: 'leave_message', message: ['vm-goodbye'] } },
    });

    await api.seat('cb1', token, 'ready');
    const done = await settled(2);
    expect(done.map((c) => [c.number, c.state, c.reason])).toEqual([
      [machine, 'not_reached', "an answering machine answered: the campaign's message was left"],
      [person, 'reached', null],
    ]);
    // The machine: heard talking on, left the message after its greeting, never put through to the agent.
    const atMachine = await heard(done[0]!.interactionId!);
    expect(atMachine.map((e) => e.payload)).toMatchObject([
      { step: 'listening', agentId: 'cb1', attempt: 1 },
      { step: 'detected', verdict: 'machine', action: 'leave_message', agentId: 'cb1', attempt: 1 },
      { step: 'message', outcome: 'played' },
    ]);
    expect(atMachine[1]!.payload.reason).toMatch(/^(talking for over 1\.5 s without a pause|a greeting of)/);
    expect(atMachine[1]!.payload.afterMs).toBeGreaterThanOrEqual(1400);
    expect(atMachine[1]!.payload.afterMs).toBeLessThan(4500);
    expect(done[0]!.conversation).toBeNull();
    // The agent was let go at the verdict: the person's call was booked for them before the message had
    // even begun (it waits for the end of the greeting).
    expect(Date.parse(done[1]!.bookedAt!)).toBeLessThan(Date.parse(atMachine[2]!.at));
    // The person: heard as one, put through, their conversation linked to the request.
    expect((await heard(done[1]!.interactionId!)).map((e) => e.payload)).toMatchObject([
      { step: 'listening' },
      {
        step: 'detected',
        verdict: 'human',
        action: 'put_through',
        reason: expect.stringMatching(/^a short greeting/),
      },
    ]);
    const conversation = await closedCall(person, 'callback', 'the conversation');
    expect(conversation).toMatchObject({
      id: done[1]!.conversation!.interactionId,
      parentId: done[1]!.interactionId,
      agentId: 'cb1',
      disposition: 'handled',
    });

    // Hang up on machines from now on: the next one is hung up on, not reached in the one attempt allowed.
    const changed = await api.request('PUT', '/api/campaigns/reminders/answering-machine', {
      token: SUPERVISOR,
      body: { action: 'hang_up' },
    });
    expect(changed).toMatchObject({ status: 200, body: { answeringMachine: { action: 'hang_up' } } });
    expect(
      await api.request('POST', '/api/campaigns/reminders/contacts', {
        token: SUPERVISOR,
        body: { contacts: [{ number: machine2, name: 'Mia Machine' }] },
      }),
    ).toMatchObject({ status: 200 });
    const third = (await settled(3))[2]!;
    expect(third).toMatchObject({ number: machine2, state: 'not_reached' });
    expect(third.reason).toMatch(/^not reached \(no answer, busy, failed or an answering machine\)/);
    expect((await heard(third.interactionId!)).map((e) => e.payload)).toMatchObject([
      { step: 'listening' },
      { step: 'detected', verdict: 'machine', action: 'hung_up' },
    ]);
    const request = await api.request<Interaction>('GET', `/api/interactions/${third.interactionId}`, {
      token: SUPERVISOR,
    });
    expect(
      request.body.timeline.filter((e) => e.type === 'acd.callback').map((e) => e.payload.reason),
    ).toContain('machine');
    // What the campaign's figures say it heard: one person, two machines, one message left.
    const figures = await api.request<{ conversations: number; answers: object }>(
      'GET',
      '/api/campaigns/reminders/figures',
      { token: SUPERVISOR },
    );
    expect(figures.body).toMatchObject({
      conversations: 1,
      answers: { people: 1, machines: 2, unsure: 0, messagesLeft: 1 },
    });
    // Day by day (summed over the days, should the case cross midnight): three customers dialled, one put
    // through and talked to, two machines, one left the message.
    const days = (figures.body as unknown as { byDay: Record<string, number>[] }).byDay;
    const sum = (key: string) => days.reduce((n, d) => n + (d[key] ?? 0), 0);
    expect(
      Object.fromEntries(
        ['attempts', 'connected', 'noAnswer', 'people', 'machines', 'messagesLeft', 'conversations'].map(
          (k) => [k, sum(k)],
        ),
      ),
    ).toEqual({
      attempts: 3,
      connected: 1,
      noAnswer: 0,
      people: 1,
      machines: 2,
      messagesLeft: 1,
      conversations: 1,
    });
    // Every call of the SIPp customers ended as its scenario says: the machines hung up on by the service.
    expect(await customers.stop()).toMatchObject({ successful: 3, failed: 0 });
  });
});
