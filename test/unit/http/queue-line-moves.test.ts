/**
 * A supervisor's hand on a queue's line over the API (the real app, router and event hub; fake Asterisk):
 * a waiting caller moved to another queue, or put first; refusals with the router's reason.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/events/event-hub.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
let told: StreamEvent[];
beforeEach(async () => {
  api = await buildApi({ moreQueueIds: ['support'] });
  told = [];
  api.hub.subscribe((event) => {
    if (event.type === 'acd.overflowed' || event.type === 'acd.served_first') told.push(event);
  });
  for (const agentId of ['agent1', 'agent2']) {
    api.acd.input({ type: 'agent', agentId, input: { type: 'login', endpoint: `PJSIP/${agentId}` } });
    api.acd.input({ type: 'agent', agentId, input: { type: 'notReady', reason: 'break' } });
  }
});
afterEach(async () => {
  await api.app.close();
});

const arrive = (interactionId: string, queueId = 'sales') =>
  api.acd.input({
    type: 'callerArrived',
    interactionId,
    queueId,
    callerNumber: `+1555000${interactionId.slice(1)}`,
  });
const post = (url: string, token: string, payload?: object) =>
  api.app.inject({ method: 'POST', url, headers: api.as(token), ...(payload ? { payload } : {}) });
const lineOf = async (queueId: string) =>
  (await api.app.inject({ url: `/api/queues/${queueId}/line`, headers: api.as(SUPERVISOR) })).json()
    .places as {
    interactionId: string;
    putFirst?: { at: string; by?: { id: string } };
  }[];

describe("a supervisor's hand on the line", () => {
  it('moves a waiting caller to another queue once someone is logged in there; refusals say why', async () => {
    arrive('c1');
    arrive('c2');
    const sam = api.supervisorTokenOf('sam');
    const move = (id: string, toQueueId: string, token = sam, from = 'sales') =>
      post(`/api/queues/${from}/line/${id}/move`, token, { toQueueId });

    const unstaffed = await move('c2', 'support');
    expect([unstaffed.statusCode, unstaffed.json()]).toEqual([
      409,
      { code: 'QUEUE_UNSTAFFED', message: 'Nobody is logged in to queue "support" to take the caller.' },
    ]);
    expect((await move('c2', 'support', api.tokenOf('agent1'))).statusCode).toBe(403);
    expect((await move('c2', 'nowhere')).json().code).toBe('UNKNOWN_QUEUE');
    expect((await move('c2', 'sales')).json().code).toBe('SAME_QUEUE');
    expect((await move('c9', 'support')).json().code).toBe('NOT_WAITING');
    expect((await move('c2', 'support', sam, 'nope')).json().code).toBe('QUEUE_NOT_FOUND');
    expect((await post('/api/queues/sales/line/c2/move', sam, {})).json().code).toBe('REQUEST_INVALID');

    const added = await api.app.inject({
      method: 'PUT',
      url: '/api/queues/support/members/agent2',
      headers: api.as(SUPERVISOR),
      payload: {},
    });
    expect(added.statusCode, added.body).toBe(200);
    const moved = await move('c2', 'support');
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toEqual({ interactionId: 'c2', queueId: 'support', position: 1 });
    expect((await lineOf('sales')).map((p) => p.interactionId)).toEqual(['c1']);
    expect((await lineOf('support')).map((p) => p.interactionId)).toEqual(['c2']);
    // These callers are router entries only, with no call behind them: the call's record and the stream's
    // acd.overflowed are in the integration test (web/supervisor-page).
  });

  it('puts a waiting caller first; the line says who; a second time is refused', async () => {
    for (const id of ['c1', 'c2', 'c3']) arrive(id);
    const first = await post('/api/queues/sales/line/c3/first', SUPERVISOR);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ interactionId: 'c3', queueId: 'sales', position: 1 });
    const line = await lineOf('sales');
    expect(line.map((p) => p.interactionId)).toEqual(['c3', 'c1', 'c2']);
    expect(line[0]?.putFirst).toEqual({ at: expect.any(String) }); // the shared token is nobody in particular
    expect(line[1]).not.toHaveProperty('putFirst');
    const again = await post('/api/queues/sales/line/c3/first', SUPERVISOR);
    expect([again.statusCode, again.json().code]).toEqual([409, 'ALREADY_FIRST']);
    const sams = await post('/api/queues/sales/line/c2/first', api.supervisorTokenOf('sam'));
    expect(sams.json().position).toBe(1);
    expect((await lineOf('sales'))[0]).toMatchObject({
      interactionId: 'c2',
      putFirst: { by: { id: 'sam' } },
    });
    expect(told.map((e) => [e.type, (e.data as { interactionId: string }).interactionId])).toEqual([
      ['acd.served_first', 'c3'],
      ['acd.served_first', 'c2'],
    ]);
    expect((await post('/api/queues/sales/line/c1/first', api.tokenOf('agent1'))).statusCode).toBe(403);
  });
});
