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
  // agent3: one more agent, without a password (no page of their own).
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

  it('agents take a message in ("Got it"): the supervisor sees who of how many; the agent no longer lists it as unread', async () => {
    const sam = api.supervisorTokenOf('sam');
    // agent3 leaves sales: the queue's message is for agent1 and agent2 only.
    const left = await api.app.inject({
      method: 'DELETE',
      url: '/api/queues/sales/members/agent3',
      headers: api.as(SUPERVISOR),
    });
    expect(left.statusCode, left.body).toBe(204);
    const everyone = await send(sam, { text: 'Fire drill at 3', to: { type: 'all' } });
    expect(everyone.json()).toMatchObject({ reaches: 3, readBy: [] });
    const sales = await send(sam, { text: 'Push the winter offer', to: { type: 'queue', queueId: 'sales' } });
    const id = sales.json().id;
    expect(sales.json()).toMatchObject({ reaches: 2, readBy: [] });
    const personal = await send(sam, { text: 'See me', to: { type: 'agent', agentId: 'agent1' } });
    expect(personal.json()).toMatchObject({ reaches: 1, readBy: [] });
    const read = (token: string, messageId = id) =>
      api.app.inject({ method: 'POST', url: `/api/messages/${messageId}/read`, headers: api.as(token) });

    const first = await read(api.tokenOf('agent1'));
    expect(first.statusCode, first.body).toBe(200);
    const readAt = new Date(T0 + 3000).toISOString();
    expect(first.json()).toEqual({ messageId: id, agentId: 'agent1', readAt });
    // Again later (another browser): the first time stands, and the stream is told once.
    vi.advanceTimersByTime(5000);
    expect((await read(api.tokenOf('agent1'))).json().readAt).toBe(readAt);
    const reads = told.filter((e) => e.type === 'message.read');
    expect(reads.map((e) => e.data)).toEqual([{ messageId: id, agentId: 'agent1', readAt }]);
    // Only the supervisors and agent1 hear who read it.
    expect(mayReceive({ role: 'agent', agentId: 'agent1' }, reads[0]!)).toBe(true);
    expect(mayReceive({ role: 'agent', agentId: 'agent2' }, reads[0]!)).toBe(false);
    expect(mayReceive({ role: 'supervisor' }, reads[0]!)).toBe(true);

    // The supervisor: read by 1 of 2. agent1 sees their own reading; agent2 nobody's.
    const readBy = async (token: string) =>
      (await api.app.inject({ url: '/api/messages', headers: api.as(token) }))
        .json()
        .items.find((m: { id: string }) => m.id === id);
    expect(await readBy(sam)).toMatchObject({ reaches: 2, readBy: [{ agentId: 'agent1', at: readAt }] });
    expect((await readBy(api.tokenOf('agent1'))).readBy).toEqual([{ agentId: 'agent1', at: readAt }]);
    expect((await readBy(api.tokenOf('agent2'))).readBy).toEqual([]);
    // agent2 takes it in too: the supervisor sees both, in the order they read it.
    expect((await read(api.tokenOf('agent2'))).statusCode).toBe(200);
    expect((await readBy(SUPERVISOR)).readBy).toEqual([
      { agentId: 'agent1', at: readAt },
      { agentId: 'agent2', at: new Date(T0 + 8000).toISOString() },
    ]);

    // agent1's own message is not agent2's to take in, nor a supervisor's; a withdrawn one is gone.
    const notMine = await read(api.tokenOf('agent2'), personal.json().id);
    expect([notMine.statusCode, notMine.json().code]).toEqual([404, 'MESSAGE_NOT_FOUND']);
    expect((await read(sam)).statusCode).toBe(403);
    await api.app.inject({ method: 'DELETE', url: `/api/messages/${id}`, headers: api.as(sam) });
    const gone = await read(api.tokenOf('agent1'));
    expect([gone.statusCode, gone.json().code]).toEqual([404, 'MESSAGE_NOT_FOUND']);
  });

  it('agents reply to a message: the supervisors see each reply under it, the agent their own; a reply takes it in', async () => {
    const sam = api.supervisorTokenOf('sam');
    const sent = await send(sam, { text: 'Who can stay late tonight?', to: { type: 'all' } });
    const id = sent.json().id;
    expect(sent.json()).toMatchObject({ replies: [] });
    const answer = (token: string, text: unknown, messageId = id) =>
      api.app.inject({
        method: 'POST',
        url: `/api/messages/${messageId}/replies`,
        headers: api.as(token),
        payload: { text },
      });
    const first = await answer(api.tokenOf('agent1'), '  I can stay until 7 ');
    expect(first.statusCode, first.body).toBe(201);
    const at1 = new Date(T0 + 1000).toISOString();
    expect(first.json()).toEqual({ messageId: id, agentId: 'agent1', text: 'I can stay until 7', at: at1 });
    // A reply is a reading too: the stream is told both, once each.
    expect(told.filter((e) => e.type !== 'message.sent').map((e) => [e.type, e.data])).toEqual([
      ['message.read', { messageId: id, agentId: 'agent1', readAt: at1 }],
      ['message.replied', first.json()],
    ]);
    const replied = told.find((e) => e.type === 'message.replied')!;
    expect(mayReceive({ role: 'agent', agentId: 'agent1' }, replied)).toBe(true);
    expect(mayReceive({ role: 'agent', agentId: 'agent2' }, replied)).toBe(false);
    expect(mayReceive({ role: 'supervisor' }, replied)).toBe(true);
    vi.advanceTimersByTime(4000);
    expect((await answer(api.tokenOf('agent2'), 'Not tonight, sorry')).statusCode).toBe(201);
    vi.advanceTimersByTime(1000);
    expect((await answer(api.tokenOf('agent1'), 'Or 8 if needed')).statusCode).toBe(201);
    // A second reply reads nothing new.
    expect(told.filter((e) => e.type === 'message.read')).toHaveLength(2);

    const shown = async (token: string) =>
      (await api.app.inject({ url: '/api/messages', headers: api.as(token) }))
        .json()
        .items.find((m: { id: string }) => m.id === id);
    const at = (ms: number) => new Date(T0 + ms).toISOString();
    expect((await shown(sam)).replies).toEqual([
      { agentId: 'agent1', text: 'I can stay until 7', at: at(1000) },
      { agentId: 'agent2', text: 'Not tonight, sorry', at: at(5000) },
      { agentId: 'agent1', text: 'Or 8 if needed', at: at(6000) },
    ]);
    expect((await shown(sam)).readBy.map((r: { agentId: string }) => r.agentId)).toEqual([
      'agent1',
      'agent2',
    ]);
    expect((await shown(api.tokenOf('agent2'))).replies).toEqual([
      { agentId: 'agent2', text: 'Not tonight, sorry', at: at(5000) },
    ]);

    // Refused: empty, too long, a supervisor, a message not for them, one withdrawn.
    const empty = await answer(api.tokenOf('agent1'), '   ');
    expect([empty.statusCode, empty.json().code]).toEqual([400, 'REPLY_EMPTY']);
    expect((await answer(api.tokenOf('agent1'), 'x'.repeat(301))).statusCode).toBe(400);
    expect((await answer(sam, 'I am not an agent')).statusCode).toBe(403);
    const personal = await send(sam, { text: 'See me', to: { type: 'agent', agentId: 'agent1' } });
    const notMine = await answer(api.tokenOf('agent2'), 'Me?', personal.json().id);
    expect([notMine.statusCode, notMine.json().code]).toEqual([404, 'MESSAGE_NOT_FOUND']);
    await api.app.inject({ method: 'DELETE', url: `/api/messages/${id}`, headers: api.as(sam) });
    const gone = await answer(api.tokenOf('agent2'), 'Changed my mind');
    expect([gone.statusCode, gone.json().code]).toEqual([404, 'MESSAGE_NOT_FOUND']);
    // Nothing refused was kept.
    const kept = await api.db.selectFrom('agent_message_replies').select('text').execute();
    expect(kept.map((r) => r.text)).toEqual(['I can stay until 7', 'Not tonight, sorry', 'Or 8 if needed']);
  });
});
