/** Agent seat commands over the API (the real app, an in-memory database). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/events/event-hub.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
beforeEach(async () => {
  api = await buildApi();
});
afterEach(async () => {
  await api.app.close();
});

describe('seat news that is no new state', () => {
  it('tells the live stream of a wrap-up extended by a supervisor (agent.seat with the new end)', async () => {
    const seen: StreamEvent[] = [];
    api.acd.hub.subscribe((e) => seen.push(e));
    api.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'login', endpoint: 'PJSIP/agent1' } });
    api.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'outboundStart', interactionId: 'x' } });
    api.acd.input({
      type: 'agent',
      agentId: 'agent1',
      input: { type: 'hangup', interactionId: 'x', wrapUpSeconds: 30 },
    });
    const until = api.acd.router.seat('agent1')!.state as { until: number };
    const r = await api.app.inject({
      method: 'POST',
      url: '/api/agents/agent1/wrap-up/extend',
      headers: api.as(SUPERVISOR),
      payload: { seconds: 60 },
    });
    expect(r.statusCode).toBe(200);
    const news = seen.filter((e) => e.type === 'agent.seat');
    expect(news).toHaveLength(1);
    expect(news[0]!.data).toMatchObject({
      agentId: 'agent1',
      state: { type: 'wrap_up', until: new Date(until.until + 60_000).toISOString() },
    });
  });
});

describe("a desk phone's codes", () => {
  it('lists every code with what it does, and the code of each reason agents can choose', async () => {
    const codes = await api.app.inject({ method: 'GET', url: '/api/phone-codes' });
    expect(codes.statusCode).toBe(200);
    const items = (codes.json() as { items: { action: string; code: string; does: string }[] }).items;
    expect(items.slice(0, 2)).toEqual([
      { action: 'login', code: '*51', does: 'Log the seat in from this phone: available at once' },
      { action: 'logout', code: '*52', does: 'Log the seat out' },
    ]);
    expect(items.at(-1)).toEqual({ action: 'notReady', code: '*544', does: 'Not ready: Training' });
    const reasons = (await api.app.inject({ method: 'GET', url: '/api/reason-codes' })).json() as {
      code: string;
      phoneCode?: string;
      maxMinutes?: number;
    }[];
    expect(reasons.find((r) => r.code === 'lunch')?.phoneCode).toBe('*542');
    expect(reasons.find((r) => r.code === 'break')).toMatchObject({ maxMinutes: 15, phoneCode: '*541' });
    expect(reasons.find((r) => r.code === 'meeting')).not.toHaveProperty('maxMinutes');
    expect(reasons.find((r) => r.code === 'missed')).not.toHaveProperty('phoneCode');
  });
});

describe('signing in', () => {
  it('refuses an unknown agent id exactly as a wrong password (401), so sign-in does not reveal which ids exist', async () => {
    const signIn = (id: string, password: string) =>
      api.app.inject({ method: 'POST', url: `/api/agents/${id}/session`, payload: { password } });
    const unknown = await signIn('nobody', 'pw1');
    const wrong = await signIn('agent1', 'nope');
    expect([unknown.statusCode, wrong.statusCode]).toEqual([401, 401]);
    expect(unknown.json()).toEqual(wrong.json());
    expect((await signIn('agent1', 'pw1')).statusCode).toBe(200);
  });
});

describe('click-to-dial', () => {
  it("refuses an agent naming another agent's seat (403) rather than dialling as themselves", async () => {
    const token = (
      await api.app.inject({
        method: 'POST',
        url: '/api/agents/agent1/session',
        payload: { password: 'pw1' },
      })
    ).json().token as string;
    const r = await api.app.inject({
      method: 'POST',
      url: '/api/calls/outbound',
      headers: { authorization: `Bearer ${token}` },
      payload: { number: '+15550100199', agentId: 'agent2' },
    });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('a supervisor setting an agent’s seat', () => {
  it('is on the live stream and in the agent-state log as the supervisor’s; the agent’s own change is not', async () => {
    const seen: StreamEvent[] = [];
    api.acd.hub.subscribe((e) => seen.push(e));
    const post = (path: string, token: string, payload?: object) =>
      api.app.inject({
        method: 'POST',
        url: `/api/agents/agent1/${path}`,
        headers: api.as(token),
        ...(payload ? { payload } : {}),
      });
    const agent = api.tokenOf('agent1');
    expect((await post('login', agent)).statusCode).toBe(200);
    const bySupervisor = await post('not-ready', SUPERVISOR, { reason: 'lunch' });
    expect(bySupervisor.statusCode).toBe(200);
    expect(bySupervisor.json().state).toMatchObject({ type: 'not_ready', reason: 'lunch' });
    expect((await post('ready', agent)).statusCode).toBe(200);
    // A named supervisor (signed in as themselves) is on the record by name.
    expect((await post('not-ready', api.supervisorTokenOf('sam'), { reason: 'break' })).statusCode).toBe(200);
    expect((await post('logout', SUPERVISOR)).statusCode).toBe(200);

    const changes = seen
      .filter((e) => e.type === 'agent.state')
      .map((e) => e.data as { to: { type: string }; by?: string; supervisor?: object });
    expect(changes.map((c) => [c.to.type, c.by, c.supervisor])).toEqual([
      ['available', undefined, undefined],
      ['not_ready', 'supervisor', undefined],
      ['available', undefined, undefined],
      ['not_ready', 'supervisor', { id: 'sam', name: 'Sam Super' }],
      ['logged_out', 'supervisor', undefined],
    ]);
    await api.log.afterQueuedWrites();
    const logged = await api.agentLog.since('agent1', 0);
    expect(logged.map((c) => [c.to, c.changedBy, c.changedBySupervisor])).toEqual([
      ['available', undefined, undefined],
      ['not_ready', 'supervisor', undefined],
      ['available', undefined, undefined],
      ['not_ready', 'supervisor', 'sam'],
      ['logged_out', 'supervisor', undefined],
    ]);
  });

  it('is refused with the seat’s reason when the change is not allowed, and nothing is logged', async () => {
    const r = await api.app.inject({
      method: 'POST',
      url: '/api/agents/agent1/ready',
      headers: api.as(SUPERVISOR),
    });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toMatch(/^[A-Z_]+$/);
    await api.log.afterQueuedWrites();
    expect(await api.agentLog.since('agent1', 0)).toEqual([]);
  });
});
