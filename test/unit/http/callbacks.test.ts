/** Callbacks scheduled, listed and cancelled over the API (the real app, ACD and log; fake Asterisk). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  callbackAfterRestart,
  DEFAULT_CALLBACK_POLICY,
  reservationAfterRestart,
} from '../../../src/acd/index.js';
import { dateOf, instantOfWallClock } from '../../../src/acd/site-day.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
let call: string;
const HOUR = 3_600_000;

/** A call agent1 took from the sales queue, ended now. */
async function endedCall(extra: Record<string, unknown> = {}): Promise<string> {
  const id = await api.log.open({
    direction: 'inbound',
    callerNumber: '+15550004444',
    startedAt: Date.now(),
  });
  await api.log.record(
    id,
    Date.now(),
    { type: 'call.hangup', payload: { channelId: 'caller', by: 'caller' } },
    { state: 'closed', agent_id: 'agent1', queue_id: 'sales', ...extra } as never,
  );
  return id;
}

beforeEach(async () => {
  api = await buildApi();
  call = await endedCall();
});
afterEach(async () => {
  await api.app.close();
});

const schedule = (id: string, token: string, body: Record<string, unknown>) =>
  api.app.inject({
    method: 'POST',
    url: `/api/interactions/${id}/callback`,
    headers: api.as(token),
    payload: body,
  });
const cancel = (id: string, token: string) =>
  api.app.inject({ method: 'DELETE', url: `/api/interactions/${id}/callback`, headers: api.as(token) });
const timelineSteps = async (id: string) => {
  await api.log.afterQueuedWrites();
  return (await api.log.timeline(id))
    .filter((e) => e.type === 'acd.callback')
    .map((e) => JSON.parse(e.payload) as Record<string, unknown>);
};

describe('scheduling a callback', () => {
  it('an agent schedules a personal callback on their ended call: in line for later, on record, listed', async () => {
    const at = new Date(Date.now() + 2 * HOUR);
    at.setMilliseconds(0);
    const reply = await schedule(call, api.tokenOf('agent1'), {
      at: at.toISOString(),
      agentId: 'agent1',
      reserveMinutes: 30,
      note: 'send the quote first',
    });
    expect(reply.statusCode).toBe(201);
    const body = reply.json();
    expect(body).toEqual({
      interactionId: call,
      queueId: 'sales',
      number: '+15550004444',
      state: 'waiting',
      callback: {
        status: 'retry_wait',
        attempts: 0,
        notBefore: at.toISOString(),
        reservedFor: { agentId: 'agent1', until: new Date(at.getTime() + 30 * 60_000).toISOString() },
      },
    });
    expect(await timelineSteps(call)).toEqual([
      expect.objectContaining({
        step: 'requested',
        queueId: 'sales',
        callerNumber: '+15550004444',
        scheduledFor: at.getTime(),
        retryAt: at.getTime(),
        enqueuedAt: at.getTime(),
        reservedFor: { agentId: 'agent1', until: at.getTime() + 30 * 60_000 },
        by: { agentId: 'agent1' },
        note: 'send the quote first',
      }),
    ]);
    const list = (token: string) =>
      api.app.inject({ url: '/api/callbacks', headers: api.as(token) }).then((r) => r.json().items);
    expect(await list(api.tokenOf('agent1'))).toEqual([body]);
    expect(await list(api.tokenOf('agent2'))).toEqual([]); // kept for agent1, not theirs
    expect(await list(SUPERVISOR)).toEqual([body]);
    const stats = await api.app.inject({ url: '/api/queues/sales/stats', headers: api.as(SUPERVISOR) });
    expect(stats.json()).toMatchObject({ callbacksWaiting: 0, callbacksScheduled: 1 });
    const line = await api.app.inject({ url: '/api/queues/sales/line', headers: api.as(SUPERVISOR) });
    expect(line.json().places).toEqual([
      expect.objectContaining({ kind: 'callback', callback: body.callback }),
    ]);
  });

  it('a personal callback its agent declined is on record so: a restart puts it back for the whole queue', async () => {
    const at = new Date(Date.now() + 2 * HOUR);
    const reply = await schedule(call, api.tokenOf('agent1'), {
      at: at.toISOString(),
      agentId: 'agent1',
      reserveMinutes: 30,
    });
    expect(reply.statusCode).toBe(201);
    await api.log.afterQueuedWrites();
    const stepsOnRecord = async () => (await api.log.openCallbacks())[0]!.steps;
    expect(reservationAfterRestart(await stepsOnRecord())).toEqual({
      agentId: 'agent1',
      until: at.getTime() + 30 * 60_000,
    });
    // The router's decision when agent1 declines it as it rings them (the router's own tests drive that).
    const told: unknown[] = [];
    api.hub.subscribe((e) => {
      if (e.type === 'acd.callback') told.push(e.data);
    });
    api.acd.callbacks!.reservationReleased({
      type: 'callbackReservationReleased',
      interactionId: call,
      queueId: 'sales',
      agentId: 'agent1',
    });
    expect(told).toEqual([
      expect.objectContaining({ interactionId: call, step: 'released', agentId: 'agent1' }),
    ]);
    expect((await timelineSteps(call)).map((s) => [s.step, s.agentId, s.reason])).toEqual([
      ['requested', undefined, expect.stringContaining('scheduled for')],
      ['released', 'agent1', 'the agent it was kept for declined it: any agent of the queue may take it'],
    ]);
    expect(reservationAfterRestart(await stepsOnRecord())).toBeUndefined();
    // Still waiting for its time, as booked.
    expect(callbackAfterRestart(await stepsOnRecord(), DEFAULT_CALLBACK_POLICY, Date.now())).toMatchObject({
      type: 'restore',
      state: { status: 'retry_wait', notBefore: at.getTime() },
    });
  });

  it('refuses with a code: not their call, someone else’s reservation, a call going on, a bad time or number', async () => {
    const inAnHour = new Date(Date.now() + HOUR).toISOString();
    const code = async (id: string, token: string, body: Record<string, unknown>) => {
      const reply = await schedule(id, token, body);
      return [reply.statusCode, reply.json().code];
    };
    const agent1 = api.tokenOf('agent1');
    expect(await code(call, api.tokenOf('agent2'), { at: inAnHour })).toEqual([403, 'FORBIDDEN']);
    expect(await code(call, agent1, { at: inAnHour, agentId: 'agent2' })).toEqual([403, 'FORBIDDEN']);
    expect(await code(call, agent1, { at: inAnHour, reserveMinutes: 5 })).toEqual([
      400,
      'RESERVATION_WITHOUT_AGENT',
    ]);
    expect(await code(call, agent1, { at: new Date(Date.now() - 1000).toISOString() })).toEqual([
      400,
      'INVALID_TIME',
    ]);
    expect(await code(call, agent1, { at: 'tomorrow at ten' })).toEqual([400, 'REQUEST_INVALID']);
    expect(await code(call, agent1, { at: inAnHour, number: 'anonymous' })).toEqual([
      400,
      'NO_CALLBACK_NUMBER',
    ]);
    expect(await code(call, SUPERVISOR, { at: inAnHour, queueId: 'nope' })).toEqual([400, 'UNKNOWN_QUEUE']);
    expect(await code('no-such-call', SUPERVISOR, { at: inAnHour })).toEqual([404, 'INTERACTION_NOT_FOUND']);
    const live = await api.log.open({ direction: 'inbound', callerNumber: '+15550005555', startedAt: 1 });
    expect(await code(live, SUPERVISOR, { at: inAnHour })).toEqual([409, 'CALL_IN_PROGRESS']);
    const noQueue = await endedCall({ queue_id: null });
    expect(await code(noQueue, agent1, { at: inAnHour })).toEqual([400, 'QUEUE_REQUIRED']);
    expect(await timelineSteps(call)).toEqual([]); // nothing refused was put on record
    expect((await schedule(call, agent1, { at: inAnHour })).statusCode).toBe(201);
    expect(await code(call, agent1, { at: inAnHour })).toEqual([409, 'CALLBACK_OPEN']);
  });

  it('a supervisor cancels it (on record as theirs), and another may be scheduled on the call after', async () => {
    const inAnHour = new Date(Date.now() + HOUR).toISOString();
    expect((await schedule(call, SUPERVISOR, { at: inAnHour })).statusCode).toBe(201);
    const sam = api.supervisorTokenOf('sam');
    const cancelled = await cancel(call, sam);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toEqual({ interactionId: call, cancelled: true });
    expect((await timelineSteps(call)).map((s) => [s.step, s.by, s.reason])).toEqual([
      ['requested', { supervisor: null }, expect.stringContaining('scheduled for')],
      ['closed', { supervisor: { id: 'sam', name: 'Sam Super' } }, 'cancelled'],
    ]);
    expect((await cancel(call, sam)).json()).toMatchObject({ code: 'NO_OPEN_CALLBACK' });
    expect((await schedule(call, api.tokenOf('agent1'), { at: inAnHour })).statusCode).toBe(201);
    await api.log.afterQueuedWrites();
    expect(await api.log.openCallbacks()).toEqual([expect.objectContaining({ interactionId: call })]);
  });

  it('the customer calling in again: their pop shows the booking, and the agent with them may cancel it', async () => {
    const inAnHour = new Date(Date.now() + HOUR).toISOString();
    expect(
      (await schedule(call, api.tokenOf('agent1'), { at: inAnHour, agentId: 'agent1' })).statusCode,
    ).toBe(201);
    // agent2 never had the first call: not theirs to cancel while they are not talking to that customer.
    expect((await cancel(call, api.tokenOf('agent2'))).statusCode).toBe(403);
    // The customer rings again and reaches agent2.
    const again = await api.log.open({
      direction: 'inbound',
      callerNumber: '+15550004444',
      startedAt: Date.now(),
    });
    api.acd.input({ type: 'agent', agentId: 'agent2', input: { type: 'login', endpoint: 'PJSIP/agent2' } });
    api.acd.input({
      type: 'agent',
      agentId: 'agent2',
      input: { type: 'outboundStart', interactionId: again },
    });
    api.acd.calls.set(again, {
      isLive: true,
      interactionId: again,
      routingId: again,
      callerNumber: '+15550004444',
      onEnd() {},
    } as never);
    const pop = await api.app.inject({
      url: `/api/calls/${again}/screen-pop`,
      headers: api.as(api.tokenOf('agent2')),
    });
    expect(pop.statusCode).toBe(200);
    expect(pop.json().callbacks).toEqual([
      expect.objectContaining({
        interactionId: call,
        number: '+15550004444',
        callback: expect.objectContaining({ notBefore: inAnHour, reservedFor: expect.anything() }),
      }),
    ]);
    expect((await cancel(call, api.tokenOf('agent2'))).statusCode).toBe(200);
    expect((await timelineSteps(call)).at(-1)).toMatchObject({ step: 'closed', by: { agentId: 'agent2' } });
    const after = await api.app.inject({
      url: `/api/calls/${again}/screen-pop`,
      headers: api.as(SUPERVISOR),
    });
    expect(after.json().callbacks).toEqual([]);
  });

  it('any agent may schedule a callback on a voicemail (the team’s shared work), naming the queue', async () => {
    const voicemail = await api.log.open({
      direction: 'voicemail',
      callerNumber: '+15550006666',
      startedAt: 1,
    });
    const reply = await schedule(voicemail, api.tokenOf('agent2'), {
      at: new Date(Date.now() + HOUR).toISOString(),
      queueId: 'sales',
    });
    expect(reply.statusCode).toBe(201);
    expect(reply.json()).toMatchObject({ number: '+15550006666', queueId: 'sales' });
  });
});

describe('a callback request moved to another queue', () => {
  it("moves on the line's Move as a caller does: its time, its record ('moved', by whom), and a restart keeps it there", async () => {
    await api.app.close();
    api = await buildApi({ moreQueueIds: ['support'] });
    const at = new Date(Date.now() + 2 * HOUR);
    at.setMilliseconds(0);
    const booked = await api.app.inject({
      method: 'POST',
      url: '/api/callbacks',
      headers: api.as(SUPERVISOR),
      payload: {
        queueId: 'sales',
        items: [{ number: '+15550008001', at: at.toISOString(), agentId: 'agent1', reserveMinutes: 30 }],
      },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const id: string = booked.json().items[0].interactionId;
    const sam = api.supervisorTokenOf('sam');
    const move = (token: string, toQueueId = 'support') =>
      api.app.inject({
        method: 'POST',
        url: `/api/queues/sales/line/${id}/move`,
        headers: api.as(token),
        payload: { toQueueId },
      });
    // Nobody is logged in to support: a callback waits for its time anyway, unlike a caller on the phone.
    const moved = await move(sam);
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toEqual({ interactionId: id, queueId: 'support', position: 1 });
    const open = (await api.app.inject({ url: '/api/callbacks', headers: api.as(SUPERVISOR) })).json().items;
    // Kept for agent1, who is not in support: support's to take now; its time holds.
    expect(open).toEqual([
      expect.objectContaining({
        interactionId: id,
        queueId: 'support',
        callback: expect.objectContaining({ status: 'retry_wait', notBefore: at.toISOString() }),
      }),
    ]);
    expect(open[0].callback.reservedFor).toBeUndefined();
    const steps = await timelineSteps(id);
    expect(steps.map((st) => [st.step, st.queueId])).toEqual([
      ['requested', 'sales'],
      ['released', 'sales'],
      ['moved', 'support'],
    ]);
    expect(steps[2]).toMatchObject({
      fromQueueId: 'sales',
      by: { supervisor: { id: 'sam', name: 'Sam Super' } },
      retryAt: at.getTime(),
      reason: `moved from sales to support by Sam Super, number 1 in line; not before ${at.toISOString()}`,
    });
    // What a restart reads back: support, waiting for its time, kept for nobody.
    const [onRecord] = await api.log.openCallbacks();
    expect(onRecord?.steps.at(-1)?.queueId).toBe('support');
    expect(reservationAfterRestart(onRecord!.steps)).toBeUndefined();
    expect(callbackAfterRestart(onRecord!.steps, DEFAULT_CALLBACK_POLICY, Date.now())).toMatchObject({
      type: 'restore',
      state: { status: 'retry_wait', notBefore: at.getTime() },
    });
    // Refused: agents; back to where it is; First (callers only); from a queue it is not in.
    expect((await move(api.tokenOf('agent1'))).statusCode).toBe(403);
    const same = await api.app.inject({
      method: 'POST',
      url: `/api/queues/support/line/${id}/move`,
      headers: api.as(sam),
      payload: { toQueueId: 'support' },
    });
    expect([same.statusCode, same.json().code]).toEqual([409, 'SAME_QUEUE']);
    const first = await api.app.inject({
      method: 'POST',
      url: `/api/queues/support/line/${id}/first`,
      headers: api.as(sam),
    });
    expect([first.statusCode, first.json().code]).toEqual([404, 'NOT_WAITING']);
    expect((await move(sam, 'sales')).json().code).toBe('NOT_WAITING');
  });
});

describe('callbacks asked for outside any call (a web form, a CRM, a list)', () => {
  const ask = (token: string, body: Record<string, unknown>) =>
    api.app.inject({ method: 'POST', url: '/api/callbacks', headers: api.as(token), payload: body });

  it("books each as a callback of its own, in the queue's line, on record with its steps; listed", async () => {
    const at = new Date(Date.now() + 2 * HOUR);
    at.setMilliseconds(0);
    const reply = await ask(api.supervisorTokenOf('sam'), {
      queueId: 'sales',
      items: [
        { number: '+15550007001', name: 'Ada Lovelace', note: 'web form: a question about my bill' },
        { number: '+15550007002', at: at.toISOString(), agentId: 'agent1', reserveMinutes: 30 },
      ],
    });
    expect(reply.statusCode, reply.body).toBe(201);
    const [soon, later] = reply.json().items;
    expect(soon).toMatchObject({ queueId: 'sales', number: '+15550007001', state: 'waiting' });
    expect(later).toMatchObject({
      number: '+15550007002',
      callback: {
        status: 'retry_wait',
        notBefore: at.toISOString(),
        reservedFor: { agentId: 'agent1', until: new Date(at.getTime() + 30 * 60_000).toISOString() },
      },
    });
    // Each a callback interaction of its own: no parent, closed as asked for, the request on its timeline.
    const row = await api.log.get(soon.interactionId);
    expect(row).toMatchObject({
      direction: 'callback',
      parent_id: null,
      state: 'closed',
      disposition: 'callback-requested',
      caller_number: '+15550007001',
      caller_name: 'Ada Lovelace',
    });
    expect(await timelineSteps(soon.interactionId)).toEqual([
      expect.objectContaining({
        step: 'requested',
        queueId: 'sales',
        note: 'web form: a question about my bill',
        by: { supervisor: { id: 'sam', name: 'Sam Super' } },
      }),
    ]);
    const listed = await api.app.inject({ url: '/api/callbacks', headers: api.as(SUPERVISOR) });
    expect(
      listed
        .json()
        .items.map((r: { interactionId: string }) => r.interactionId)
        .sort(),
    ).toEqual([soon.interactionId, later.interactionId].sort());
    // A list due at one time is called in its order (the line breaks ties by id: each a millisecond on).
    const list = await ask(SUPERVISOR, {
      queueId: 'sales',
      items: ['+15550007021', '+15550007022', '+15550007023'].map((number) => ({
        number,
        at: at.toISOString(),
      })),
    });
    expect(
      list
        .json()
        .items.map((r: { number: string; callback: { notBefore: string } }) => [
          r.number,
          r.callback.notBefore,
        ]),
    ).toEqual([
      ['+15550007021', at.toISOString()],
      ['+15550007022', new Date(at.getTime() + 1).toISOString()],
      ['+15550007023', new Date(at.getTime() + 2).toISOString()],
    ]);
    const line = (
      await api.app.inject({ url: '/api/queues/sales/line', headers: api.as(SUPERVISOR) })
    ).json();
    expect(
      line.places
        .map((p: { callerNumber: string }) => p.callerNumber)
        .filter((n: string) => n.startsWith('+1555000702')),
    ).toEqual(['+15550007021', '+15550007022', '+15550007023']);
    // Asked again for a number with one open: refused, the first one stands.
    const again = await ask(SUPERVISOR, { queueId: 'sales', items: [{ number: '+15550007001' }] });
    expect([again.statusCode, again.json().code]).toEqual([400, 'CALLBACK_OPEN']);
  });

  it('books none for a number supervisors blocked (a robocaller through a web form), naming the block', async () => {
    const blocked = await api.app.inject({
      method: 'POST',
      url: '/api/blocked-numbers',
      headers: api.as(api.supervisorTokenOf('sam')),
      payload: { number: '+15550007099', reason: 'robocaller' },
    });
    expect(blocked.statusCode, blocked.body).toBe(201);
    const reply = await ask(SUPERVISOR, {
      queueId: 'sales',
      items: [{ number: '+15550007098' }, { number: '+1 555 000 7099', name: 'Spam' }],
    });
    expect(reply.json()).toEqual({
      code: 'CALLBACK_NUMBER_NOT_ALLOWED',
      message:
        'nothing was booked: items.1.number: "+15550007099" may not be called back: the number is blocked by Sam Super ("robocaller")',
    });
    expect(reply.statusCode).toBe(400);
    // Nothing of the list was booked; on an ended call of that number neither.
    expect(
      (await api.app.inject({ url: '/api/callbacks', headers: api.as(SUPERVISOR) })).json().items,
    ).toEqual([]);
    const theirCall = await endedCall({ caller_number: '+15550007099' });
    const onTheCall = await schedule(theirCall, SUPERVISOR, {
      at: new Date(Date.now() + HOUR).toISOString(),
    });
    expect([onTheCall.statusCode, onTheCall.json().code]).toEqual([400, 'CALLBACK_NUMBER_NOT_ALLOWED']);
    expect(onTheCall.json().message).toContain('the number is blocked by Sam Super ("robocaller")');
    // Lifted: the number may be called back again.
    await api.app.inject({
      method: 'DELETE',
      url: `/api/blocked-numbers/${blocked.json().id}`,
      headers: api.as(SUPERVISOR),
    });
    const after = await ask(SUPERVISOR, { queueId: 'sales', items: [{ number: '+15550007099' }] });
    expect(after.statusCode, after.body).toBe(201);
  });

  it('closes a callback booked before its number was blocked when its turn comes, never dialled', async () => {
    // Booked from a web form while nobody is free; the number is blocked before an agent frees up.
    const booked = await ask(SUPERVISOR, { queueId: 'sales', items: [{ number: '+15550007077' }] });
    expect(booked.statusCode, booked.body).toBe(201);
    const [request] = booked.json().items;
    const blocked = await api.app.inject({
      method: 'POST',
      url: '/api/blocked-numbers',
      headers: api.as(api.supervisorTokenOf('sam')),
      payload: { number: '+15550007077', reason: 'robocaller' },
    });
    expect(blocked.statusCode).toBe(201);
    const offered: string[] = [];
    api.hub.subscribe((e) => {
      if (e.type === 'acd.offered') offered.push((e.data as { interactionId: string }).interactionId);
    });
    api.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'login', endpoint: 'PJSIP/agent1' } });
    // Its turn came (its time is a timer, now): closed as not allowed, with why; agent1 was never rung for
    // it and is still free.
    let steps = await timelineSteps(request.interactionId);
    for (let i = 0; i < 50 && steps.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      steps = await timelineSteps(request.interactionId);
    }
    expect(steps.map((st) => [st.step, st.reason])).toEqual([
      ['requested', expect.any(String)],
      [
        'closed',
        'not_allowed: "+15550007077" may not be called back: the number is blocked by Sam Super ("robocaller")',
      ],
    ]);
    expect(offered).toEqual([]);
    expect(api.acd.router.seat('agent1')?.state.type).toBe('available');
    expect(
      (await api.app.inject({ url: '/api/callbacks', headers: api.as(SUPERVISOR) })).json().items,
    ).toEqual([]);
  });

  it('names an item the line refused after the check (the number booked by someone else meanwhile), its record saying why', async () => {
    const later = new Date(Date.now() + 2 * HOUR).toISOString();
    // While the list is written, a supervisor books the second item's number on a call of that customer.
    const write = api.log.recordCallbackRequests.bind(api.log);
    api.log.recordCallbackRequests = async (requests, at) => {
      const ids = await write(requests, at);
      const meanwhile = await schedule(call, SUPERVISOR, {
        at: later,
        number: '+15550007032',
        queueId: 'sales',
      });
      expect(meanwhile.statusCode, meanwhile.body).toBe(201);
      return ids;
    };
    const reply = await ask(SUPERVISOR, {
      queueId: 'sales',
      items: [{ number: '+15550007031' }, { number: '+15550007032' }, { number: '+15550007033' }],
    });
    expect(reply.statusCode, reply.body).toBe(201);
    const body = reply.json();
    expect(body.items.map((r: { number: string }) => r.number)).toEqual(['+15550007031', '+15550007033']);
    expect(body.notBooked).toEqual([
      { index: 1, interactionId: expect.any(String), code: expect.any(String), reason: expect.any(String) },
    ]);
    // Its interaction says why no call will come; the booking made meanwhile stands.
    expect(await timelineSteps(body.notBooked[0].interactionId)).toEqual([
      expect.objectContaining({
        step: 'closed',
        queueId: 'sales',
        reason: expect.stringMatching(/^not booked: /),
      }),
    ]);
    const open = (await api.app.inject({ url: '/api/callbacks', headers: api.as(SUPERVISOR) })).json().items;
    expect(open.map((r: { number: string }) => r.number).sort()).toEqual([
      '+15550007031',
      '+15550007032',
      '+15550007033',
    ]);
    expect(open.find((r: { number: string }) => r.number === '+15550007032').interactionId).toBe(call);
  });

  it("books a CSV file's callbacks: times on the contact center's clock or with their offset, the agent by id or name", async () => {
    const zone = api.acd.timeZone;
    const tomorrow = dateOf(Date.now() + 24 * HOUR, zone);
    const inTwoHours = new Date(Date.now() + 2 * HOUR);
    inTwoHours.setMilliseconds(0);
    const csv = [
      'Phone;Customer;Call at;Agent;Reserve minutes;Notes',
      `+15550007041;Ada Lovelace;${tomorrow} 10:00;AGENT1;45;"renewal; asked for agent1"`,
      '',
      `+15550007042;;${inTwoHours.toISOString().replace('.000Z', '+00:00')};;;`,
      '+15550007043;Grace;;agent2;;',
    ].join('\r\n');
    const reply = await ask(api.supervisorTokenOf('sam'), { queueId: 'sales', itemsCsv: csv });
    expect(reply.statusCode, reply.body).toBe(201);
    const tenTomorrow = instantOfWallClock(tomorrow, 10 * 3600, zone);
    const items = reply.json().items;
    expect(items.map((r: { number: string }) => r.number)).toEqual([
      '+15550007041',
      '+15550007042',
      '+15550007043',
    ]);
    expect(items[0].callback).toMatchObject({
      notBefore: new Date(tenTomorrow).toISOString(),
      reservedFor: { agentId: 'agent1', until: new Date(tenTomorrow + 45 * 60_000).toISOString() },
    });
    expect(items[1].callback.notBefore).toBe(inTwoHours.toISOString());
    expect(items[2]).toMatchObject({ state: 'waiting', callback: { reservedFor: { agentId: 'agent2' } } });
    expect(await api.log.get(items[0].interactionId)).toMatchObject({ caller_name: 'Ada Lovelace' });
    expect(await timelineSteps(items[0].interactionId)).toEqual([
      expect.objectContaining({ step: 'requested', note: 'renewal; asked for agent1' }),
    ]);

    // The file as it is, its queue and a time for the lines naming none in the address.
    const at = new Date(Date.now() + 3 * HOUR);
    at.setMilliseconds(0);
    const raw = await api.app.inject({
      method: 'POST',
      url: `/api/callbacks?queueId=sales&at=${encodeURIComponent(at.toISOString())}`,
      headers: { ...api.as(SUPERVISOR), 'content-type': 'text/csv' },
      payload: 'number,name\n+15550007051,Alan\n+15550007052,Edsger\n',
    });
    expect(raw.statusCode, raw.body).toBe(201);
    expect(
      raw
        .json()
        .items.map((r: { number: string; callback: { notBefore: string } }) => [
          r.number,
          r.callback.notBefore,
        ]),
    ).toEqual([
      ['+15550007051', at.toISOString()],
      ['+15550007052', new Date(at.getTime() + 1).toISOString()],
    ]);
    const noQueue = await api.app.inject({
      method: 'POST',
      url: '/api/callbacks',
      headers: { ...api.as(SUPERVISOR), 'content-type': 'text/csv' },
      payload: 'number\n+15550007053\n',
    });
    expect([noQueue.statusCode, noQueue.json()]).toEqual([
      400,
      {
        code: 'QUEUE_REQUIRED',
        message:
          'a CSV file sent as it is names its queue in the address: POST /api/callbacks?queueId=billing',
      },
    ]);
  });

  it('refuses a whole file for any bad line, naming each by its line; items or a file, one of them', async () => {
    const before = (await api.log.list({ limit: 100, offset: 0 })).items.length;
    const refused = await ask(SUPERVISOR, {
      queueId: 'sales',
      itemsCsv: [
        'number,at,agent,reserve minutes',
        '+15550007061,,,',
        `+15550007062,${new Date(Date.now() - HOUR).toISOString()},,`,
        '+15550007063,,nobody,',
        '+15550007061,,,',
        '+15550007064,,,20',
      ].join('\n'),
    });
    expect([refused.statusCode, refused.json().code]).toEqual([400, 'INVALID_CALLBACK_REQUESTS']);
    const message: string = refused.json().message;
    for (const part of [
      'line 3: at: ',
      'line 4: agent: nobody is not a member of sales (give their id or name)',
      'line 5: number: +15550007061 has a callback open in sales already',
      'line 6: reserve minutes: needs the agent it is kept for',
    ])
      expect(message).toContain(part);
    expect(message).not.toContain('line 2');
    const badTime = await ask(SUPERVISOR, {
      queueId: 'sales',
      itemsCsv: 'number,when\n+15550007065,07/12/2026\n',
    });
    expect([badTime.statusCode, badTime.json().code]).toEqual([400, 'INVALID_CALLBACK_FILE']);
    expect(badTime.json().message).toMatch(/^nothing was booked: line 2: at: "07\/12\/2026" is not a time: /);
    const both = await ask(SUPERVISOR, {
      queueId: 'sales',
      items: [{ number: '+15550007066' }],
      itemsCsv: 'number\n+15550007067\n',
    });
    expect([both.statusCode, both.json().message]).toEqual([400, 'give items or itemsCsv, not both']);
    const neither = await ask(SUPERVISOR, { queueId: 'sales' });
    expect([neither.statusCode, neither.json().message]).toEqual([
      400,
      'the callbacks are missing: give items (a list) or itemsCsv (a CSV file)',
    ]);
    const pastForAll = await ask(SUPERVISOR, {
      queueId: 'sales',
      at: new Date(Date.now() - HOUR).toISOString(),
      itemsCsv: 'number\n+15550007068\n',
    });
    expect([pastForAll.statusCode, pastForAll.json().code]).toEqual([400, 'INVALID_TIME']);
    expect((await api.log.list({ limit: 100, offset: 0 })).items).toHaveLength(before);
    const byAgent = await ask(api.tokenOf('agent1'), {
      queueId: 'sales',
      itemsCsv: 'number\n+15550007069\n',
    });
    expect(byAgent.statusCode).toBe(403);
  });

  it('books none when any item is wrong, and names each problem by its place; supervisors only', async () => {
    const before = (await api.log.list({ limit: 100, offset: 0 })).items.length;
    const reply = await ask(SUPERVISOR, {
      queueId: 'sales',
      items: [
        { number: '+15550007011' },
        { number: 'anonymous' },
        { number: '+15550007011' },
        { number: '+15550007012', at: new Date(Date.now() - 1000).toISOString() },
        { number: '+15550007013', agentId: 'nobody' },
        { number: '+15550007014', reserveMinutes: 5 },
      ],
    });
    expect([reply.statusCode, reply.json().code]).toEqual([400, 'INVALID_CALLBACK_REQUESTS']);
    const message: string = reply.json().message;
    expect(message).toMatch(/^nothing was booked: /);
    for (const part of [
      'items.1.number: "anonymous" is not a number that can be called back',
      'items.2.number: +15550007011 has a callback open in sales already',
      'items.3.at: ',
      'items.4.agentId: nobody is not a member of sales',
      'items.5.reserveMinutes: needs the agentId',
    ])
      expect(message).toContain(part);
    expect(message).not.toContain('items.0');
    expect((await api.log.list({ limit: 100, offset: 0 })).items).toHaveLength(before);
    expect(
      (await api.app.inject({ url: '/api/callbacks', headers: api.as(SUPERVISOR) })).json().items,
    ).toEqual([]);
    const byAgent = await ask(api.tokenOf('agent1'), {
      queueId: 'sales',
      items: [{ number: '+15550007015' }],
    });
    expect(byAgent.statusCode).toBe(403);
    const noQueue = await ask(SUPERVISOR, { queueId: 'nope', items: [{ number: '+15550007015' }] });
    expect([noQueue.statusCode, noQueue.json().code]).toEqual([404, 'QUEUE_NOT_FOUND']);
    const empty = await ask(SUPERVISOR, { queueId: 'sales', items: [] });
    expect(empty.statusCode).toBe(400);
  });
});
