/**
 * Queue alerts as the service raises them (the real ACD, event hub, log, queue figures and /metrics; fake
 * Asterisk and clock): each on the live stream the moment its condition holds, and cleared once it does not.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import WebSocket from 'ws';
import pino from 'pino';
import {
  CARRIED_ALERTS_WAIT_MS,
  LEVEL_READ_GAP_MS,
  QueueAlertWatch,
} from '../../../src/calls/acd/queue-alert-watch.js';
import { type StreamSnapshot, StreamSnapshotSchema } from '../../../src/events/stream-events.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
let alerts: Record<string, unknown>[];
const T0 = Date.parse('2026-12-05T10:00:00Z');

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'], now: T0 });
  api = await buildApi({
    salesAlerts: {
      alerts: { waitSeconds: 30, waitingCallers: 2, unstaffed: true, belowServiceLevel: true },
      serviceLevelTargetPercent: 80,
    },
  });
  alerts = [];
  api.hub.subscribe((e) => {
    if (e.type === 'queue.alert') alerts.push({ at: e.at, ...e.data });
  });
});
afterEach(async () => {
  api.alerts.stop();
  await api.app.close();
  vi.useRealTimers();
});

const seat = (input: object) => api.acd.input({ type: 'agent', agentId: 'agent1', input } as never);
const arrive = (interactionId: string) =>
  api.acd.input({ type: 'callerArrived', interactionId, queueId: 'sales', callerNumber: '+15550001000' });
/** Lets the news told now reach the watch (it reads the line once a change's events are all out). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};
/** Lets a read from the log run to its end (setImmediate is not faked here). */
const drain = async () => {
  for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
};
const told = () => alerts.map((a) => `${a.state} ${a.kind}`);

describe('queue alerts', () => {
  it('raises unstaffed, many_waiting and long_wait as they come to hold, and clears them as they end', async () => {
    seat({ type: 'login', endpoint: 'PJSIP/agent1' });
    seat({ type: 'notReady', reason: 'lunch' });
    arrive('c1');
    await settle();
    expect(told()).toEqual(['raised unstaffed']);
    expect(alerts[0]).toMatchObject({
      queueId: 'sales',
      message: '1 caller waiting and every agent of the queue logged in is not ready (1)',
      since: new Date(T0).toISOString(),
    });
    vi.advanceTimersByTime(5_000);
    arrive('c2');
    await settle();
    expect(told()).toEqual(['raised unstaffed', 'raised many_waiting']);

    // No polling: the wait's alert comes at the instant c1 has waited 30 s, from its own timer.
    vi.advanceTimersByTime(24_999);
    await settle();
    expect(told()).toHaveLength(2);
    vi.advanceTimersByTime(1);
    await settle();
    expect(alerts[2]).toMatchObject({
      state: 'raised',
      kind: 'long_wait',
      value: 30,
      threshold: 30,
      since: new Date(T0 + 30_000).toISOString(),
    });

    // The figures and /metrics show what stands.
    const stats = await api.app.inject({ url: '/api/queues/sales/stats', headers: api.as(SUPERVISOR) });
    expect(
      stats
        .json()
        .alerts.map((a: { kind: string }) => a.kind)
        .sort(),
    ).toEqual(['long_wait', 'many_waiting', 'unstaffed']);
    const metrics = await api.app.inject({ url: '/metrics', headers: api.as(SUPERVISOR) });
    expect(metrics.body).toContain('cc_queue_alert{queue="sales",kind="long_wait"} 1\n');
    expect(metrics.body).toContain('cc_queue_alert{queue="sales",kind="below_service_level"} 0\n');

    // The agent is back: someone can take them. Then both callers leave: the line's alerts end.
    seat({ type: 'ready' });
    await settle();
    expect(told().slice(3)).toEqual(['cleared unstaffed']);
    api.acd.input({ type: 'callerLeft', interactionId: 'c1' });
    api.acd.input({ type: 'callerLeft', interactionId: 'c2' });
    await settle();
    expect(told().slice(4).sort()).toEqual(['cleared long_wait', 'cleared many_waiting']);
    expect(
      (await api.app.inject({ url: '/api/queues/sales/stats', headers: api.as(SUPERVISOR) })).json().alerts,
    ).toEqual([]);

    // On record: each raised and cleared when it was, for a supervisor who was not watching.
    const onRecord = await api.app.inject({ url: '/api/alerts', headers: api.as(SUPERVISOR) });
    expect(onRecord.statusCode, onRecord.body).toBe(200);
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(onRecord.json().items).toMatchObject([
      { kind: 'unstaffed', raisedAt: iso(T0), clearedAt: iso(T0 + 30_000), durationSeconds: 30 },
      {
        kind: 'many_waiting',
        raisedAt: iso(T0 + 5_000),
        clearedAt: iso(T0 + 30_000),
        value: 2,
        threshold: 2,
      },
      { kind: 'long_wait', raisedAt: iso(T0 + 30_000), clearedAt: iso(T0 + 30_000) },
    ]);
    // A range before any of it holds none; agents may not read them.
    const before = await api.app.inject({
      url: `/api/alerts?to=${encodeURIComponent(iso(T0))}`,
      headers: api.as(SUPERVISOR),
    });
    expect(before.json().items).toEqual([]);
    expect(
      (await api.app.inject({ url: '/api/alerts', headers: api.as(api.tokenOf('agent1')) })).statusCode,
    ).toBe(403);
  });

  it('lets a supervisor take a standing alert on: shown with who on every wallboard, on record, once', async () => {
    const ALERT_CSV_HEADER =
      'queueId,kind,raisedAt,clearedAt,durationSeconds,value,threshold,message,acknowledgedAt,acknowledgedBy,acknowledgedById';
    // No alert on record yet: the file is its header alone, so a spreadsheet reads it as empty.
    const empty = await api.app.inject({ url: '/api/alerts?format=csv', headers: api.as(SUPERVISOR) });
    expect(empty.body).toBe(`${ALERT_CSV_HEADER}\r\n`);
    seat({ type: 'login', endpoint: 'PJSIP/agent1' });
    seat({ type: 'notReady', reason: 'lunch' });
    arrive('c1');
    await settle();
    expect(told()).toEqual(['raised unstaffed']);
    const ack = (kind: string, token: string, queueId = 'sales') =>
      api.app.inject({
        method: 'POST',
        url: `/api/queues/${queueId}/alerts/${kind}/acknowledge`,
        headers: api.as(token),
      });
    expect((await ack('unstaffed', api.tokenOf('agent1'))).statusCode).toBe(403);
    expect((await ack('nonsense', SUPERVISOR)).statusCode).toBe(400);
    expect((await ack('unstaffed', SUPERVISOR, 'nowhere')).json()).toMatchObject({ code: 'QUEUE_NOT_FOUND' });
    const notStanding = await ack('long_wait', SUPERVISOR);
    expect([notStanding.statusCode, notStanding.json().code]).toEqual([404, 'ALERT_NOT_STANDING']);

    vi.advanceTimersByTime(20_000); // within the wait limit: unstaffed stands alone
    const sam = api.supervisorTokenOf('sam');
    const taken = await ack('unstaffed', sam);
    expect(taken.statusCode, taken.body).toBe(200);
    const acknowledged = {
      at: new Date(T0 + 20_000).toISOString(),
      by: { id: 'sam', name: 'Sam Super' },
    };
    expect(taken.json()).toMatchObject({ kind: 'unstaffed', acknowledged });
    expect(alerts.at(-1)).toMatchObject({ state: 'acknowledged', kind: 'unstaffed', acknowledged });
    // A second supervisor is told who has it.
    const again = await ack('unstaffed', SUPERVISOR);
    expect([again.statusCode, again.json().code]).toEqual([409, 'ALERT_ACKNOWLEDGED']);
    expect(again.json().message).toContain(taken.json().acknowledged.by.name);
    const stats = await api.app.inject({ url: '/api/queues/sales/stats', headers: api.as(SUPERVISOR) });
    expect(stats.json().alerts).toMatchObject([{ kind: 'unstaffed', acknowledged }]);
    // A page joining the stream (an agent's softphone too) starts from the alerts standing, taken on or not.
    const address = await api.app.listen({ host: '127.0.0.1', port: 0 });
    const ws = new WebSocket(`${address.replace('http', 'ws')}/api/events`, {
      headers: { authorization: `Bearer ${api.tokenOf('agent1')}` },
    });
    const snapshot = await new Promise<unknown>((resolve, reject) => {
      ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString())));
      ws.once('error', reject);
    });
    ws.terminate();
    expect(TypeCompiler.Compile(StreamSnapshotSchema).Errors(snapshot).First()).toBeUndefined();
    expect((snapshot as StreamSnapshot).queues.find((q) => q.id === 'sales')).toMatchObject({
      name: 'Sales', // the softphone names the queue's waiting callers and alerts by it
      waiting: 1,
      alerts: [{ kind: 'unstaffed', acknowledged }],
    });

    // It clears, and comes back: a new alert, nobody on it yet. The record keeps who took the first on.
    api.acd.input({ type: 'callerLeft', interactionId: 'c1' });
    await settle();
    arrive('c2');
    await settle();
    expect(told()).toEqual([
      'raised unstaffed',
      'acknowledged unstaffed',
      'cleared unstaffed',
      'raised unstaffed',
    ]);
    expect(alerts.at(-1)).not.toHaveProperty('acknowledged');
    const onRecord = (await api.app.inject({ url: '/api/alerts', headers: api.as(SUPERVISOR) })).json().items;
    expect(onRecord).toMatchObject([
      { kind: 'unstaffed', acknowledgedAt: acknowledged.at, acknowledgedBy: acknowledged.by },
      { kind: 'unstaffed', acknowledgedAt: null, acknowledgedBy: null },
    ]);
    // As a spreadsheet: one line each, who by name and id.
    const csv = await api.app.inject({ url: '/api/alerts?format=csv', headers: api.as(SUPERVISOR) });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(
      'attachment; filename="alerts-2026-12-05-2026-12-05.csv"',
    );
    const [header, first, second] = csv.body.split('\r\n');
    expect(header).toBe(ALERT_CSV_HEADER);
    expect(first).toMatch(
      /^sales,unstaffed,2026-12-05T10:00:00.000Z,2026-12-05T10:00:20.000Z,20,.*,2026-12-05T10:00:20.000Z,Sam Super,sam$/,
    );
    expect(second).toMatch(/^sales,unstaffed,2026-12-05T10:00:20.000Z,,0,.*,,,$/);
    // On the supervisor token: taken on by nobody in particular.
    const byToken = await ack('unstaffed', SUPERVISOR);
    expect(byToken.json().acknowledged).toEqual({ at: new Date(T0 + 20_000).toISOString() });
  });

  it("raises below_service_level when a call of the queue is lost with today's level under the target, and clears it once answered calls lift it", async () => {
    const stay = async (id: string, outcome: 'abandoned' | 'answered', waitedMs: number) => {
      const interaction = await api.log.open({ id, direction: 'inbound', startedAt: Date.now() });
      await api.log.queueEntered(interaction, 'sales', Date.now());
      await api.log.queueLeft(interaction, Date.now() + waitedMs, outcome);
    };
    await stay('lost', 'abandoned', 40_000);
    vi.advanceTimersByTime(LEVEL_READ_GAP_MS); // since the read at start
    api.hub.publish('acd.abandoned', { interactionId: 'lost', queueId: 'sales', waitSeconds: 40 });
    await vi.waitFor(() => expect(told()).toEqual(['raised below_service_level']));
    expect(alerts[0]).toMatchObject({ value: 0, threshold: 80 });
    for (const id of ['a1', 'a2', 'a3', 'a4']) await stay(id, 'answered', 5_000);
    api.hub.publish('acd.connected', { interactionId: 'a4', queueId: 'sales', agentId: 'agent1' });
    api.hub.publish('acd.connected', { interactionId: 'a3', queueId: 'sales', agentId: 'agent1' });
    // The day's stays are read at most once per 5 s (a busy queue's answers would read them back to back):
    // this news is read once the gap since the last read has passed, both answers in one read.
    await drain();
    expect(told()).toEqual(['raised below_service_level']);
    vi.advanceTimersByTime(LEVEL_READ_GAP_MS);
    await vi.waitFor(() =>
      expect(told()).toEqual(['raised below_service_level', 'cleared below_service_level']),
    );
  });

  it('raises below_service_level when a caller flows out of the queue (not answered in time)', async () => {
    const interaction = await api.log.open({ id: 'gone', direction: 'inbound', startedAt: Date.now() });
    await api.log.queueEntered(interaction, 'sales', Date.now());
    await api.log.queueLeft(interaction, Date.now() + 60_000, 'flowed_out');
    vi.advanceTimersByTime(LEVEL_READ_GAP_MS); // since the read at start
    await drain();
    expect(told()).toEqual([]); // nothing said yet: the level is read on the queue's news
    api.hub.publish('acd.overflowed', {
      interactionId: 'gone',
      queueId: 'sales',
      target: { type: 'voicemail' },
      reason: 'max_wait',
    });
    await vi.waitFor(() => expect(told()).toEqual(['raised below_service_level']));
    expect(alerts[0]).toMatchObject({ value: 0, threshold: 80 });
  });

  it("ends a queue's alerts when its rules are taken away", async () => {
    arrive('c1');
    arrive('c2');
    await settle();
    expect(told()).toEqual(['raised many_waiting', 'raised unstaffed']); // one read of the line: both
    const sales = (await api.app.inject({ url: '/api/queues/sales', headers: api.as(SUPERVISOR) })).json();
    const { alerts: _rules, ...withoutRules } = sales;
    const put = await api.app.inject({
      method: 'PUT',
      url: '/api/queues/sales',
      headers: api.as(SUPERVISOR),
      payload: withoutRules,
    });
    expect(put.statusCode, put.body).toBe(200);
    await settle();
    expect(told().slice(2).sort()).toEqual(['cleared many_waiting', 'cleared unstaffed']);
  });

  describe('over a restart', () => {
    /** The next run's watch over the same record and ACD (the first run's stopped before, as a process ends). */
    const nextRun = async (goneAt: number) => {
      const watch = new QueueAlertWatch({
        acd: api.acd,
        hub: api.hub,
        logger: pino({ level: 'silent' }),
        alertLog: api.alertLog,
        supervisor: (id) => (id === 'sam' ? { id, name: 'Sam Super' } : undefined),
        records: (queueId, since) => api.log.queueRecordsNow(queueId, since),
      });
      await watch.restore(goneAt);
      watch.start();
      return watch;
    };
    const onRecord = async () =>
      (await api.app.inject({ url: '/api/alerts', headers: api.as(SUPERVISOR) })).json().items as {
        kind: string;
        clearedAt: string | null;
        acknowledgedBy?: { id: string };
      }[];

    it('goes on with who took it on if it holds once the callers are back; one that does not ends when the last run was alive', async () => {
      arrive('c1');
      arrive('c2');
      await settle();
      expect(told()).toEqual(['raised many_waiting', 'raised unstaffed']);
      vi.advanceTimersByTime(10_000);
      const taken = await api.app.inject({
        method: 'POST',
        url: '/api/queues/sales/alerts/unstaffed/acknowledge',
        headers: api.as(api.supervisorTokenOf('sam')),
      });
      expect(taken.statusCode, taken.body).toBe(200);
      const goneAt = Date.now();
      // The service is away 5 s; c2 gave up meanwhile. Just after the start nobody is in line yet.
      api.alerts.stop();
      vi.advanceTimersByTime(5_000);
      api.acd.input({ type: 'callerLeft', interactionId: 'c1' });
      api.acd.input({ type: 'callerLeft', interactionId: 'c2' });
      alerts.length = 0;
      const next = await nextRun(goneAt);
      await settle();
      await drain();
      expect(told()).toEqual([]); // an empty line at the start is not the alerts ending
      expect(
        next
          .active()
          .map((a) => a.kind)
          .sort(),
      ).toEqual(['many_waiting', 'unstaffed']);

      // c1 is taken back into line: unstaffed holds again and goes on as the same alert, still Sam's.
      arrive('c1');
      await settle();
      next.callersBack();
      await settle();
      expect(told()).toEqual(['cleared many_waiting']); // one caller: no longer many waiting
      expect(next.active()).toEqual([
        expect.objectContaining({
          kind: 'unstaffed',
          since: T0,
          acknowledged: { at: T0 + 10_000, by: { id: 'sam', name: 'Sam Super' } },
        }),
      ]);
      await drain();
      const iso = (ms: number) => new Date(ms).toISOString();
      expect(await onRecord()).toMatchObject([
        { kind: 'many_waiting', raisedAt: iso(T0), clearedAt: iso(goneAt) },
        {
          kind: 'unstaffed',
          raisedAt: iso(T0),
          acknowledgedAt: iso(T0 + 10_000),
          acknowledgedBy: { id: 'sam' },
        },
      ]);
      expect((await onRecord())[1]?.clearedAt).toBeNull(); // still standing
      next.stop();
    });

    it('judges carried alerts on what is there when Asterisk does not come back in time', async () => {
      arrive('c1');
      await settle();
      expect(told()).toEqual(['raised unstaffed']);
      const goneAt = Date.now();
      api.alerts.stop();
      vi.advanceTimersByTime(2_000);
      api.acd.input({ type: 'callerLeft', interactionId: 'c1' });
      alerts.length = 0;
      const next = await nextRun(goneAt);
      vi.advanceTimersByTime(CARRIED_ALERTS_WAIT_MS - 1);
      await settle();
      expect(told()).toEqual([]);
      vi.advanceTimersByTime(1);
      await settle();
      expect(told()).toEqual(['cleared unstaffed']);
      await drain();
      expect(await onRecord()).toMatchObject([
        { kind: 'unstaffed', clearedAt: new Date(goneAt).toISOString() },
      ]);
      next.stop();
    });
  });
});
