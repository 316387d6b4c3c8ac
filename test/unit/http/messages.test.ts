/**
 * Supervisors' messages to agents over the API (the real app, event hub and SQLite log): sent to everyone, a
 * queue or one agent, listed per agent, on the stream (another agent's private message is not sent to the
 * rest), run out, withdrawn.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StreamEvent } from '../../../src/events/event-hub.js';
import { mayReceive } from '../../../src/http/plugins/events/index.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
let told: StreamEvent[];
const T0 = Date.parse('2026-12-05T12:00:00Z');
beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: T0 });
  // agent3 is in no queue of sales' (it takes the queue's messages only once a member).
  api = await buildApi({ moreAgentIds: ['agent3'] });
  told = [];
  api.hub.subscribe((event) => {
    if (event.type.startsWith('message.')) told.push(event);
  });
});
afterEach(async () => {
  await api.app.close();
  vi.useRealTimers();
});

/** Sends one, a second before the next. */
const send = async (token: string, body: object) => {
  const reply = await api.app.inject({
    method: 'POST',
    url: '/api/messages',
    headers: api.as(token),
    payload: body,
  });
  vi.advanceTimersByTime(1000);
  return reply;
};
const listed = async (token: string) =>
  (
    (await api.app.inject({ url: '/api/messages', headers: api.as(token) })).json().items as {
      text: string;
    }[]
  ).map((m) => m.text);

describe("supervisors' messages to agents", () => {
  it('sends to everyone, a queue or one agent; each agent lists those for them; they run out or are withdrawn', async () => {
    const sam = api.supervisorTokenOf('sam');
    const all = await send(sam, { text: '  Billing is down: promise a callback  ', to: { type: 'all' } });
    expect(all.statusCode, all.body).toBe(201);
    expect(all.json()).toMatchObject({
      text: 'Billing is down: promise a callback',
      to: { type: 'all' },
      from: { id: 'sam', name: 'Sam Super' },
      sentAt: new Date(T0).toISOString(),
      expiresAt: new Date(T0 + 60 * 60_000).toISOString(),
    });
    await send(SUPERVISOR, {
      text: 'Sales: push the winter offer',
      to: { type: 'queue', queueId: 'sales' },
      minutes: 10,
    });
    const personal = await send(sam, {
      text: 'agent1, see me after this call',
      to: { type: 'agent', agentId: 'agent1' },
    });
    expect(personal.statusCode).toBe(201);

    expect(await listed(api.tokenOf('agent1'))).toEqual([
      'Billing is down: promise a callback',
      'Sales: push the winter offer',
      'agent1, see me after this call',
    ]);
    expect(await listed(api.tokenOf('agent2'))).toEqual([
      'Billing is down: promise a callback',
      'Sales: push the winter offer',
    ]);
    expect(await listed(SUPERVISOR)).toHaveLength(3);

    // On the stream: everyone's and the queue's reach every agent's page; agent1's only agent1.
    expect(told.map((e) => e.type)).toEqual(['message.sent', 'message.sent', 'message.sent']);
    const toAgent1 = told[2]!;
    expect(mayReceive({ role: 'agent', agentId: 'agent1' }, toAgent1)).toBe(true);
    expect(mayReceive({ role: 'agent', agentId: 'agent2' }, toAgent1)).toBe(false);
    expect(mayReceive({ role: 'agent', agentId: 'agent2' }, told[0]!)).toBe(true);
    expect(mayReceive({ role: 'supervisor' }, toAgent1)).toBe(true);

    // The queue's runs out after its 10 minutes.
    vi.setSystemTime(T0 + 1000 + 10 * 60_000);
    expect(await listed(api.tokenOf('agent2'))).toEqual(['Billing is down: promise a callback']);

    // Withdrawn: gone from every page (the stream says so), and not withdrawn twice.
    const id = all.json().id;
    const withdrawn = await api.app.inject({
      method: 'DELETE',
      url: `/api/messages/${id}`,
      headers: api.as(sam),
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(told.at(-1)).toMatchObject({
      type: 'message.withdrawn',
      data: { messageId: id, to: { type: 'all' } },
    });
    expect(await listed(api.tokenOf('agent2'))).toEqual([]);
    const again = await api.app.inject({
      method: 'DELETE',
      url: `/api/messages/${id}`,
      headers: api.as(sam),
    });
    expect([again.statusCode, again.json().code]).toEqual([404, 'MESSAGE_NOT_FOUND']);
  });

  it('refuses an agent sending or withdrawing, an unknown queue or agent, and a message that says nothing', async () => {
    const agent = api.tokenOf('agent1');
    expect((await send(agent, { text: 'hi', to: { type: 'all' } })).statusCode).toBe(403);
    const queue = await send(SUPERVISOR, { text: 'hi', to: { type: 'queue', queueId: 'nowhere' } });
    expect([queue.statusCode, queue.json().code]).toEqual([404, 'QUEUE_NOT_FOUND']);
    const nobody = await send(SUPERVISOR, { text: 'hi', to: { type: 'agent', agentId: 'nobody' } });
    expect([nobody.statusCode, nobody.json().code]).toEqual([404, 'AGENT_NOT_FOUND']);
    const blank = await send(SUPERVISOR, { text: '   ', to: { type: 'all' } });
    expect([blank.statusCode, blank.json().code]).toEqual([400, 'MESSAGE_EMPTY']);
    expect((await send(SUPERVISOR, { text: 'x'.repeat(501), to: { type: 'all' } })).json().code).toBe(
      'REQUEST_INVALID',
    );
    expect((await send(SUPERVISOR, { text: 'hi', to: { type: 'all' }, minutes: 0 })).json().code).toBe(
      'REQUEST_INVALID',
    );
    const sent = await send(SUPERVISOR, { text: 'hi', to: { type: 'all' } });
    const byAgent = await api.app.inject({
      method: 'DELETE',
      url: `/api/messages/${sent.json().id}`,
      headers: api.as(agent),
    });
    expect(byAgent.statusCode).toBe(403);
    expect(told.map((e) => e.type)).toEqual(['message.sent']);
  });
});
