/**
 * Breaks overstayed (the real app, ACD, break watch, event hub and SQLite log; fake Asterisk; the clock and
 * timers faked): a not ready past its reason's limit begins at the minute it is due, without polling, is
 * told on the stream (an agent sees only their own), counted on /metrics, listed, and ends when the agent
 * moves on, with how far over on record; a run that restarts without the agent ends it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import { BreakWatch } from '../../../src/calls/supervise/break-watch.js';
import { DEFAULT_REASON_CODES } from '../../../src/agents/schema.js';
import type { StreamEvent } from '../../../src/events/event-hub.js';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import WebSocket from 'ws';
import { type StreamSnapshot, StreamSnapshotSchema } from '../../../src/events/stream-events.js';
import { mayReceive } from '../../../src/http/plugins/events/index.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 6, 9, 0, 0);
let api: Awaited<ReturnType<typeof buildApi>>;
let told: StreamEvent[];
beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'], now: T0 });
  api = await buildApi({
    reasonCodes: DEFAULT_REASON_CODES.map((r) => (r.code === 'meeting' ? { ...r, maxMinutes: 45 } : r)),
  });
  told = [];
  api.hub.subscribe((event) => {
    if (event.type === 'agent.overstay') told.push(event);
  });
});
afterEach(async () => {
  await api.app.close();
  vi.useRealTimers();
});

/** Lets the record's writes and the stream's news that follow them run (setImmediate is not faked). */
const drain = async () => {
  for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
};
const seat = (agentId: string, path: string, payload?: object) =>
  api.app.inject({
    method: 'POST',
    url: `/api/agents/${agentId}/${path}`,
    headers: api.as(api.tokenOf(agentId)),
    ...(payload ? { payload } : {}),
  });
const get = (url: string, token = SUPERVISOR) => api.app.inject({ url, headers: api.as(token) });
const standing = async () => (await get('/api/overstays')).json().items as Record<string, unknown>[];
const overLimitMetric = async (reason: string) => {
  const text = (await get('/metrics')).body;
  return Number(new RegExp(`cc_agents_over_limit\\{reason="${reason}"\\} (\\d+)`).exec(text)?.[1]);
};

describe('breaks overstayed', () => {
  it('begins at the minute the break is due, stands while it lasts, and ends with how far over when the agent is back', async () => {
    expect((await seat('agent1', 'login')).statusCode).toBe(200);
    expect((await seat('agent1', 'not-ready', { reason: 'break' })).statusCode).toBe(200);

    vi.advanceTimersByTime(15 * MIN - 1);
    await drain();
    expect(await standing()).toEqual([]);
    expect(await overLimitMetric('break')).toBe(0);
    expect(told).toEqual([]);

    vi.advanceTimersByTime(1);
    await drain();
    expect(told.map((e) => (e.data as { state: string }).state)).toEqual(['started']);
    expect(told[0]!.data).toMatchObject({
      agentId: 'agent1',
      overstay: {
        reason: 'break',
        limitMinutes: 15,
        since: new Date(T0).toISOString(),
        dueAt: new Date(T0 + 15 * MIN).toISOString(),
        overSeconds: 0,
      },
    });
    expect(told[0]!.data).not.toHaveProperty('overstay.ended');

    // Five minutes on: listed with the time over so far, counted on /metrics.
    vi.advanceTimersByTime(5 * MIN);
    expect(await standing()).toMatchObject([{ agentId: 'agent1', reason: 'break', overSeconds: 300 }]);
    expect(await overLimitMetric('break')).toBe(1);
    expect(await overLimitMetric('lunch')).toBe(0);
    // Supervisors only: an agent's token is refused the list.
    expect((await get('/api/overstays', api.tokenOf('agent1'))).statusCode).toBe(403);

    // Back at 20:30: it ends, 330 s over, into available.
    vi.advanceTimersByTime(30_000);
    expect((await seat('agent1', 'ready')).statusCode).toBe(200);
    await drain();
    expect(told.map((e) => (e.data as { state: string }).state)).toEqual(['started', 'ended']);
    expect(told[1]!.data).toMatchObject({
      agentId: 'agent1',
      overstay: {
        overSeconds: 330,
        ended: { at: new Date(T0 + 20.5 * MIN).toISOString(), to: 'available' },
      },
    });
    expect(await standing()).toEqual([]);
    expect(await overLimitMetric('break')).toBe(0);

    // On record: the day's history with each agent's totals.
    const history = await get('/api/overstays/history');
    expect(history.statusCode, history.body).toBe(200);
    expect(history.json()).toMatchObject({
      items: [{ agentId: 'agent1', reason: 'break', overSeconds: 330, ended: { to: 'available' } }],
      totals: [{ agentId: 'agent1', count: 1, overSeconds: 330, longestSeconds: 330 }],
    });
    // And in the agent report: the day's row counts it, with its time over (the CSV too).
    const report = await get('/api/reports/agents?from=2026-12-06&to=2026-12-06&agentId=agent1');
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json().rows).toMatchObject([{ agentId: 'agent1', overstays: 1, overstaySeconds: 330 }]);
    const csv = await get('/api/reports/agents?from=2026-12-06&to=2026-12-06&agentId=agent1&format=csv');
    const [header, line] = csv.body.trim().split('\n');
    const cells = Object.fromEntries(header!.split(',').map((name, i) => [name, line!.split(',')[i]]));
    expect([cells.overstays, cells.overstaySeconds]).toEqual(['1', '330']);
  });

  it('is no overstay when the agent is back in time, or the reason has no limit; a new reason starts afresh', async () => {
    await seat('agent1', 'login');
    await seat('agent2', 'login');
    await seat('agent1', 'not-ready', { reason: 'break' });
    await seat('agent2', 'not-ready', { reason: 'training' }); // no limit
    vi.advanceTimersByTime(14 * MIN);
    await seat('agent1', 'ready');
    vi.advanceTimersByTime(60 * MIN);
    await drain();
    expect(told).toEqual([]);

    // agent1 goes to lunch at 74 min, then to a meeting at 100 min (its own 45 min from then): due at 145.
    await seat('agent1', 'not-ready', { reason: 'lunch' });
    vi.advanceTimersByTime(26 * MIN);
    await seat('agent1', 'not-ready', { reason: 'meeting' });
    vi.advanceTimersByTime(45 * MIN - 1);
    await drain();
    expect(told).toEqual([]);
    vi.advanceTimersByTime(1);
    await drain();
    expect(told.map((e) => e.data)).toMatchObject([
      {
        agentId: 'agent1',
        state: 'started',
        overstay: { reason: 'meeting', since: new Date(T0 + 100 * MIN).toISOString() },
      },
    ]);
  });

  it('each agent hears only of their own; supervisors of everyone', async () => {
    await seat('agent1', 'login');
    await seat('agent1', 'not-ready', { reason: 'break' });
    vi.advanceTimersByTime(15 * MIN);
    await drain();
    const [started] = told;
    expect(started).toBeDefined();
    expect(mayReceive({ role: 'agent', agentId: 'agent1' }, started!)).toBe(true);
    expect(mayReceive({ role: 'agent', agentId: 'agent2' }, started!)).toBe(false);
    expect(mayReceive({ role: 'supervisor' }, started!)).toBe(true);
  });

  it('a supervisor takes an overstay on: on record, told to every wallboard, refused a second time', async () => {
    await seat('agent1', 'login');
    await seat('agent1', 'not-ready', { reason: 'break' });
    const ack = (agentId: string, token: string) =>
      api.app.inject({
        method: 'POST',
        url: `/api/overstays/${agentId}/acknowledge`,
        headers: api.as(token),
      });
    const early = await ack('agent1', SUPERVISOR);
    expect([early.statusCode, early.json().code]).toEqual([404, 'OVERSTAY_NOT_STANDING']);
    vi.advanceTimersByTime(17 * MIN);
    await drain();
    expect((await ack('agent1', api.tokenOf('agent1'))).statusCode).toBe(403);
    const taken = await ack('agent1', api.supervisorTokenOf('sam'));
    expect(taken.statusCode, taken.body).toBe(200);
    const acknowledged = { at: new Date(T0 + 17 * MIN).toISOString(), by: { id: 'sam', name: 'Sam Super' } };
    expect(taken.json()).toMatchObject({
      agentId: 'agent1',
      reason: 'break',
      overSeconds: 120,
      acknowledged,
    });
    await drain();
    expect(told.map((e) => (e.data as { state: string }).state)).toEqual(['started', 'acknowledged']);
    expect(told[1]!.data).toMatchObject({ agentId: 'agent1', overstay: { acknowledged } });
    expect(await standing()).toMatchObject([{ agentId: 'agent1', acknowledged }]);
    const second = await ack('agent1', SUPERVISOR);
    expect([second.statusCode, second.json().code]).toEqual([409, 'OVERSTAY_ACKNOWLEDGED']);
    expect(second.json().message).toContain('Sam Super');
    // Back: the history says who took it on.
    vi.advanceTimersByTime(MIN);
    await seat('agent1', 'ready');
    await drain();
    expect((await get('/api/overstays/history')).json().items).toMatchObject([
      { agentId: 'agent1', overSeconds: 180, acknowledged, ended: { to: 'available' } },
    ]);
  });

  it("puts a standing overstay, and who took it on, in the agent's own stream snapshot (a reloaded softphone), not a colleague's", async () => {
    await seat('agent1', 'login');
    await seat('agent1', 'not-ready', { reason: 'break' });
    vi.advanceTimersByTime(16 * MIN);
    await drain();
    const taken = await api.app.inject({
      method: 'POST',
      url: '/api/overstays/agent1/acknowledge',
      headers: api.as(api.supervisorTokenOf('sam')),
    });
    expect(taken.statusCode).toBe(200);
    vi.useRealTimers(); // the stream's socket below runs on real time
    const address = await api.app.listen({ host: '127.0.0.1', port: 0 });
    const snapshotOf = async (token: string) => {
      const ws = new WebSocket(`${address.replace('http', 'ws')}/api/events`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const snapshot = await new Promise<StreamSnapshot>((resolve, reject) => {
        ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString())));
        ws.once('error', reject);
      });
      ws.terminate();
      expect(TypeCompiler.Compile(StreamSnapshotSchema).Errors(snapshot).First()).toBeUndefined();
      return snapshot.agents.find((a) => a.id === 'agent1');
    };
    const acknowledged = { at: new Date(T0 + 16 * MIN).toISOString(), by: { id: 'sam', name: 'Sam Super' } };
    expect(await snapshotOf(api.tokenOf('agent1'))).toMatchObject({
      overstay: { agentId: 'agent1', reason: 'break', acknowledged },
    });
    expect(await snapshotOf(api.tokenOf('agent2'))).not.toHaveProperty('overstay');
    expect(await snapshotOf(SUPERVISOR)).toMatchObject({ overstay: { acknowledged } });
  });

  it('takes a taking-on back when it cannot be put on record: 500, and it may be taken on again', async () => {
    await seat('agent1', 'login');
    await seat('agent1', 'not-ready', { reason: 'break' });
    vi.advanceTimersByTime(16 * MIN);
    await drain();
    const write = vi.spyOn(api.overstayLog, 'acknowledged').mockRejectedValueOnce(new Error('disk full'));
    const ack = () =>
      api.app.inject({
        method: 'POST',
        url: '/api/overstays/agent1/acknowledge',
        headers: api.as(SUPERVISOR),
      });
    expect((await ack()).statusCode).toBe(500);
    expect(await standing()).toEqual([expect.not.objectContaining({ acknowledged: expect.anything() })]);
    expect(told.map((e) => (e.data as { state: string }).state)).toEqual(['started']);
    expect((await ack()).statusCode).toBe(200);
    expect(write).toHaveBeenCalledTimes(2);
    expect((await get('/api/overstays/history')).json().items).toMatchObject([
      { agentId: 'agent1', acknowledged: { at: new Date(T0 + 16 * MIN).toISOString() } },
    ]);
  });

  it('over a restart: kept while the agent is still on that break, else ended as service_restarted', async () => {
    await seat('agent1', 'login');
    await seat('agent2', 'login');
    await seat('agent1', 'not-ready', { reason: 'break' });
    await seat('agent2', 'not-ready', { reason: 'break' });
    vi.advanceTimersByTime(16 * MIN);
    await drain();
    expect(await standing()).toHaveLength(2);
    // Sam took agent1's on: the next run keeps that too.
    const sam = { id: 'sam', name: 'Sam Super' };
    const taken = await api.app.inject({
      method: 'POST',
      url: '/api/overstays/agent1/acknowledge',
      headers: api.as(api.supervisorTokenOf('sam')),
    });
    expect(taken.statusCode, taken.body).toBe(200);

    // A new run over the same record, where only agent1's seat came back, still on that break.
    const goneAt = Date.now();
    vi.advanceTimersByTime(MIN);
    const next = new BreakWatch({
      acd: {
        now: Date.now,
        router: {
          seat: (id: string) =>
            id === 'agent1' ? { state: { type: 'not_ready', reason: 'break' }, stateSince: T0 } : undefined,
        } as never,
      },
      hub: api.hub,
      store: api.overstayLog,
      reasonCodes: DEFAULT_REASON_CODES,
      agentIds: () => ['agent1', 'agent2'],
      logger: pino({ level: 'silent' }),
    });
    await next.restore(goneAt);
    expect(next.list()).toMatchObject([
      { agentId: 'agent1', reason: 'break', since: T0, acknowledged: { at: T0 + 16 * MIN, by: sam } },
    ]);
    const history = await get('/api/overstays/history?agentId=agent2');
    expect(history.json().items).toMatchObject([
      {
        agentId: 'agent2',
        overSeconds: 60,
        ended: { at: new Date(goneAt).toISOString(), to: 'service_restarted' },
      },
    ]);
    next.stop();
  });

  it('refuses a range that is no range', async () => {
    const bad = await get('/api/overstays/history?from=yesterday');
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'REQUEST_INVALID']);
  });
});
