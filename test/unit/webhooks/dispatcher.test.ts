/**
 * The webhook outbox and dispatcher on a real SQLite database (the timeline's trigger writes the
 * deliveries) and a real HTTP receiver on 127.0.0.1: what is sent, retries, giving up, redelivery, a
 * receiver that hangs, and a restart that loses nothing.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { Kysely } from 'kysely';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebhookConfig } from '../../../src/config/schema.js';
import '../../../src/events/event-hub.js'; // registers the date-time format
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { AgentEventLog } from '../../../src/store/agent-event-log.js';
import { InteractionLog } from '../../../src/store/interaction-log.js';
import type { Database } from '../../../src/store/schema.js';
import { WebhookOutbox } from '../../../src/store/webhook-outbox.js';
import { QueueAlertLog } from '../../../src/store/queue-alert-log.js';
import { HelpRequestLog } from '../../../src/store/help-request-log.js';
import { BreakOverstayLog } from '../../../src/store/break-overstay-log.js';
import { WebhookDeliveryBodySchema } from '../../../src/webhooks/delivery.js';
import { WebhookDispatcher } from '../../../src/webhooks/dispatcher.js';
import { closedPort, Receiver } from './receiver.js';

const SECRET = 'receiver-shared-secret';
const logger = pino({ level: process.env.DEBUG_WEBHOOKS ? 'debug' : 'silent' });
const bodyCheck = TypeCompiler.Compile(WebhookDeliveryBodySchema);

const hook = (url: string, more: Partial<WebhookConfig> = {}): WebhookConfig => ({
  id: 'crm',
  url,
  events: ['interaction.closed', 'acd.connected'],
  secret: SECRET,
  timeoutSeconds: 5,
  maxAttempts: 8,
  retryBaseSeconds: 1,
  concurrency: 4,
  ...more,
});

interface Rig {
  db: Kysely<Database>;
  log: InteractionLog;
  outbox: WebhookOutbox;
  dispatcher: WebhookDispatcher;
  alerts: QueueAlertLog;
  agents: AgentEventLog;
  help: HelpRequestLog;
  overstays: BreakOverstayLog;
}

const open: Rig[] = [];
const receivers: Receiver[] = [];
const dirs: string[] = [];

async function rig(webhooks: WebhookConfig[], database = ':memory:'): Promise<Rig> {
  const { db } = openDatabase(database);
  await migrateToLatest(db);
  const log = new InteractionLog(db);
  const outbox = new WebhookOutbox(db, log.commit);
  const dispatcher = new WebhookDispatcher({ outbox, webhooks, logger });
  await dispatcher.start();
  const alerts = new QueueAlertLog(db);
  const agents = new AgentEventLog(db, log.commit);
  const help = new HelpRequestLog(db);
  const overstays = new BreakOverstayLog(db);
  dispatcher.listenTo({ interactions: log, alerts, agentStates: agents, help, overstays });
  const r = { db, log, outbox, dispatcher, alerts, agents, help, overstays };
  open.push(r);
  return r;
}

async function close(r: Rig): Promise<void> {
  open.splice(open.indexOf(r), 1);
  await r.dispatcher.stop();
  await r.log.afterQueuedWrites();
  await r.db.destroy();
}

async function receiver(): Promise<Receiver> {
  const r = await new Receiver().listen();
  receivers.push(r);
  return r;
}

afterEach(async () => {
  for (const r of [...open]) await close(r);
  for (const r of receivers.splice(0)) await r.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** One call: opened, taken by agent1 in sales, closed. */
async function call(log: InteractionLog, caller: string, at = Date.now()): Promise<string> {
  const id = await log.open({ direction: 'inbound', callerNumber: caller, trunk: 'carrier', startedAt: at });
  await log.record(
    id,
    at + 1000,
    {
      type: 'acd.connected',
      payload: { queueId: 'sales', agentId: 'agent1', waitSeconds: 4, bridgeId: 'b-1' },
    },
    {
      queue_id: 'sales',
      agent_id: 'agent1',
      connected_at: at + 1000,
      wait_seconds: 4,
    },
  );
  await log.closeIfOpen(
    id,
    at + 5000,
    {
      type: 'interaction.closed',
      payload: { disposition: 'answered', endedBy: 'caller', durationSeconds: 5 },
    },
    { disposition: 'answered', ended_by: 'caller', talk_seconds: 4 },
  );
  return id;
}

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('webhook deliveries', () => {
  it('are written with the subscribed events only, and POST each event with its interaction as it stood, signed', async () => {
    const crm = await receiver();
    const { log } = await rig([hook(crm.url)]);
    const id = await call(log, '+447700900123');
    await crm.until(2);
    expect(crm.received).toHaveLength(2); // interaction.opened is not subscribed
    const [connected, closed] = [...crm.received].sort((a, b) => Number(a.json.seq) - Number(b.json.seq));
    for (const r of [connected!, closed!]) {
      expect(bodyCheck.Errors(r.json).First()).toBeUndefined();
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-cc-webhook']).toBe('crm');
      expect(r.headers['x-cc-delivery']).toBe(String(r.json.deliveryId));
      expect(r.headers['x-cc-event']).toBe(r.json.type);
      // The receiver's check: the HMAC of "<t>.<body>" under the shared secret.
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(r.headers['x-cc-signature']))!;
      expect(createHmac('sha256', SECRET).update(`${t}.${r.body}`).digest('hex')).toBe(v1);
      expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(60);
    }
    expect(connected!.json).toMatchObject({ type: 'acd.connected', interactionId: id, attempt: 1 });
    expect(connected!.json.event).toEqual({
      queueId: 'sales',
      agentId: 'agent1',
      waitSeconds: 4,
      bridgeId: 'b-1',
    });
    // As it stood when connected: open, not ended yet.
    expect(connected!.json.interaction).toMatchObject({
      id,
      state: 'open',
      endedAt: null,
      agentId: 'agent1',
    });
    expect(closed!.json).toMatchObject({ type: 'interaction.closed', interactionId: id });
    expect(closed!.json.interaction).toMatchObject({
      state: 'closed',
      callerNumber: '+447700900123',
      queueId: 'sales',
      disposition: 'answered',
      talkSeconds: 4,
      recorded: false,
      abandoned: false,
    });
    expect(closed!.json.interaction.endedAt).toMatch(/Z$/);
  });

  it('are retried after a failure (Retry-After honoured) and recorded as delivered with their attempts', async () => {
    const crm = await receiver();
    crm.answer = (_r, n) => (n === 1 ? { status: 503, headers: { 'retry-after': '2' }, body: 'busy' } : 200);
    const { log, outbox } = await rig([hook(crm.url, { events: ['interaction.closed'] })]);
    const id = await call(log, '+15551230001');
    const started = Date.now();
    await crm.until(2);
    expect(crm.received.map((r) => r.json.attempt)).toEqual([1, 2]);
    expect(new Set(crm.received.map((r) => r.json.deliveryId)).size).toBe(1); // one delivery, two tries
    // The receiver's Retry-After (2 s), not the base wait (1 s).
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    const [row] = await eventually(
      () => outbox.list({ webhookId: 'crm', limit: 10 }),
      (rows) => rows[0]?.status === 'delivered',
    );
    expect(row).toMatchObject({
      interaction_id: id,
      status: 'delivered',
      attempts: 2,
      last_status: 200,
      last_error: null,
    });
    expect(row!.delivered_at).not.toBeNull();
  });

  it('give up after maxAttempts with the last error, and go again when redelivered', async () => {
    const crm = await receiver();
    crm.answer = () => ({ status: 500, headers: {}, body: 'CRM database is down' });
    const r = await rig([hook(crm.url, { events: ['interaction.closed'], maxAttempts: 2 })]);
    await call(r.log, '+15551230002');
    await crm.until(2);
    const [failed] = await eventually(
      () => r.outbox.list({ webhookId: 'crm', limit: 10 }),
      (rows) => rows[0]?.status === 'failed',
    );
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 2,
      last_status: 500,
      last_error: 'HTTP 500: CRM database is down',
    });
    expect(failed!.next_attempt_at).toBeNull();
    expect((await r.outbox.tally('crm')).lastFailure).toMatchObject({
      status: 500,
      error: 'HTTP 500: CRM database is down',
    });
    // Nothing more is sent on its own.
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(crm.received).toHaveLength(2);
    crm.answer = () => 204;
    expect(await r.outbox.redeliver('crm', failed!.id, Date.now())).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
    expect(await r.outbox.redeliver('other', failed!.id, Date.now())).toBeUndefined();
    r.dispatcher.redelivered('crm');
    await crm.until(3);
    const [again] = await eventually(
      () => r.outbox.list({ webhookId: 'crm', limit: 10 }),
      (rows) => rows[0]?.status === 'delivered',
    );
    expect(again).toMatchObject({ status: 'delivered', attempts: 1, last_status: 204, last_error: null });
    expect(crm.received[2]!.json.attempt).toBe(1);
    expect(await r.outbox.tally('crm')).toMatchObject({
      pending: 0,
      failed: 0,
      delivered: 1,
      lastFailure: null,
    });
  });

  it('name what went wrong when no answer came: refused, or not within the timeout', async () => {
    const crm = await receiver();
    crm.answer = () => 'hang';
    const r = await rig([
      hook(`http://127.0.0.1:${await closedPort()}/nothing-listens-here`, {
        id: 'down',
        events: ['interaction.closed'],
      }),
      hook(crm.url, { id: 'slow', events: ['interaction.closed'], timeoutSeconds: 1 }),
    ]);
    await call(r.log, '+15551230003');
    const [down] = await eventually(
      () => r.outbox.list({ webhookId: 'down', limit: 1 }),
      (rows) => rows[0]?.attempts === 1,
    );
    expect(down).toMatchObject({ status: 'pending', last_status: null });
    expect(down!.last_error).toMatch(/^ECONNREFUSED/);
    expect(down!.next_attempt_at! - down!.last_attempt_at!).toBe(1000);
    const [slow] = await eventually(
      () => r.outbox.list({ webhookId: 'slow', limit: 1 }),
      (rows) => rows[0]?.attempts === 1,
      5000,
    );
    expect(slow).toMatchObject({ status: 'pending', last_status: null, last_error: 'no answer within 1 s' });
    // Its own budget: the slow receiver's second of silence and up to 5 s to see it on record, beside the
    // refused one's wait, do not fit vitest's default 5 s on a busy machine (failed so twice here).
  }, 15_000);

  it('keep at most `concurrency` in flight per receiver, and deliver every one', async () => {
    const crm = await receiver();
    const r = await rig([hook(crm.url, { events: ['interaction.closed'], concurrency: 2 })]);
    const ids = [];
    for (let i = 0; i < 12; i++) ids.push(call(r.log, `+1555123${String(i).padStart(4, '0')}`));
    const written = await Promise.all(ids);
    await crm.until(12);
    expect(crm.maxInFlight).toBe(2);
    expect(new Set(crm.received.map((x) => x.json.interactionId))).toEqual(new Set(written));
    const tally = await eventually(
      () => r.outbox.tally('crm'),
      (t) => t.delivered === 12,
    );
    expect(tally).toMatchObject({ pending: 0, delivered: 12 });
  });

  it('rest a receiver that fails 3 times in a row, then send one at a time until one is taken', async () => {
    const crm = await receiver();
    crm.answer = () => 500;
    const r = await rig([
      hook(crm.url, { events: ['interaction.closed'], concurrency: 4, retryBaseSeconds: 1 }),
    ]);
    const calls = [];
    for (let i = 0; i < 12; i++) calls.push(call(r.log, `+1555124${String(i).padStart(4, '0')}`));
    const ids = await Promise.all(calls);
    await crm.until(3);
    // After 3 failures it rests (1 s): the attempts under way end, nothing more is sent.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const beforeRestEnds = crm.received.length;
    expect(beforeRestEnds).toBeLessThan(12);
    expect(r.dispatcher.receiver('crm')).toMatchObject({ restingUntil: expect.any(Number) });
    expect(r.dispatcher.receiver('crm').failingInARow).toBe(beforeRestEnds);
    crm.answer = () => 200;
    await crm.until(beforeRestEnds + 1);
    // The first after the rest went alone; once it was taken the others went as many at once as allowed.
    expect(crm.received[beforeRestEnds]!.concurrent).toBe(1);
    const tally = await eventually(
      () => r.outbox.tally('crm'),
      (t) => t.delivered === 12,
    );
    expect(tally).toMatchObject({ delivered: 12, pending: 0, failed: 0 });
    const taken = crm.received.filter((x) => x.status === 200);
    expect(taken.map((x) => x.json.interactionId).sort()).toEqual([...ids].sort());
    expect(Math.max(...taken.map((x) => x.concurrent))).toBeGreaterThan(1);
    expect(r.dispatcher.receiver('crm')).toEqual({ failingInARow: 0, restingUntil: null });
  });

  it('rest longer after each probe that fails', async () => {
    const crm = await receiver();
    crm.answer = () => 503;
    const r = await rig([
      hook(crm.url, { events: ['interaction.closed'], concurrency: 1, retryBaseSeconds: 1 }),
    ]);
    for (let i = 0; i < 4; i++) await call(r.log, `+1555125${String(i).padStart(4, '0')}`);
    await crm.until(3);
    await eventually(
      async () => r.dispatcher.receiver('crm').failingInARow,
      (n) => n === 3,
    );
    const firstRest = r.dispatcher.receiver('crm').restingUntil! - Date.now();
    expect(firstRest).toBeGreaterThan(500);
    expect(firstRest).toBeLessThanOrEqual(1000);
    await crm.until(4, 3000); // the probe, alone, after about a second
    await eventually(
      async () => r.dispatcher.receiver('crm').failingInARow,
      (n) => n === 4,
    );
    // It failed: four times the rest now.
    const secondRest = r.dispatcher.receiver('crm').restingUntil! - Date.now();
    expect(secondRest).toBeGreaterThan(3000);
    expect(secondRest).toBeLessThanOrEqual(4000);
    expect(crm.received).toHaveLength(4);
  });

  it('lose nothing across a restart: pending ones (and one cut short by the stop) are sent by the next run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webhooks-'));
    dirs.push(dir);
    const file = join(dir, 'cc.sqlite');
    const crm = await receiver();
    crm.answer = (_r, n) => (n === 1 ? 'hang' : 500);
    const first = await rig(
      [hook(crm.url, { events: ['interaction.closed'], concurrency: 1, retryBaseSeconds: 600 })],
      file,
    );
    const a = await call(first.log, '+15551239001');
    const b = await call(first.log, '+15551239002');
    await crm.until(1); // a's attempt hangs; b waits behind it
    const stopAt = Date.now();
    await close(first);
    expect(Date.now() - stopAt).toBeLessThan(3000); // the stop did not wait out the 5 s timeout
    crm.answer = () => 200;
    const second = await rig(
      [hook(crm.url, { events: ['interaction.closed'], concurrency: 1, retryBaseSeconds: 600 })],
      file,
    );
    await crm.until(3);
    const rows = await eventually(
      () => second.outbox.list({ webhookId: 'crm', limit: 10 }),
      (list) => list.every((row) => row.status === 'delivered'),
    );
    expect(rows.map((row) => [row.interaction_id, row.status]).sort()).toEqual(
      [
        [a, 'delivered'],
        [b, 'delivered'],
      ].sort(),
    );
    // a twice (cut short, then again), b once: the same deliveryId lets the receiver drop a repeat.
    const byCall = (id: string) => crm.received.filter((x) => x.json.interactionId === id);
    expect(byCall(a).map((x) => x.json.attempt)).toEqual([1, 1]);
    expect(new Set(byCall(a).map((x) => x.json.deliveryId)).size).toBe(1);
    expect(byCall(b)).toHaveLength(1);
  });

  it('carry queue alerts raised and cleared (and those a stopped run left standing, closed at start)', async () => {
    const ops = await receiver();
    const r = await rig([
      hook(ops.url, { id: 'ops', events: ['queue.alert.raised', 'queue.alert.cleared'] }),
    ]);
    const raisedAt = Date.UTC(2026, 11, 5, 9, 0, 0);
    const alert = { queueId: 'sales', kind: 'unstaffed' as const, since: raisedAt, value: 2, threshold: 0 };
    await r.alerts.raised({ ...alert, message: '2 callers waiting and nobody logged in' });
    await r.alerts.cleared('sales', 'unstaffed', raisedAt + 30_000);
    await r.alerts.raised({
      ...alert,
      kind: 'long_wait',
      value: 130,
      threshold: 120,
      message: 'a caller has waited 2:10',
    });
    await r.alerts.cleared('sales', 'long_wait', raisedAt + 60_000);
    await ops.until(4);
    const bodies = ops.received
      .map((x) => x.json)
      .sort((a, b) => Number(a.deliveryId) - Number(b.deliveryId));
    for (const body of bodies) expect(bodyCheck.Errors(body).First()).toBeUndefined();
    expect(bodies.map((b) => [b.type, (b.queueAlert as { kind: string }).kind, b.at])).toEqual([
      ['queue.alert.raised', 'unstaffed', '2026-12-05T09:00:00.000Z'],
      ['queue.alert.cleared', 'unstaffed', '2026-12-05T09:00:30.000Z'],
      ['queue.alert.raised', 'long_wait', '2026-12-05T09:00:00.000Z'],
      ['queue.alert.cleared', 'long_wait', '2026-12-05T09:01:00.000Z'],
    ]);
    expect(bodies[1]!.queueAlert).toEqual({
      id: (bodies[0]!.queueAlert as { id: number }).id,
      queueId: 'sales',
      kind: 'unstaffed',
      raisedAt: '2026-12-05T09:00:00.000Z',
      clearedAt: '2026-12-05T09:00:30.000Z',
      value: 2,
      threshold: 0,
      message: '2 callers waiting and nobody logged in',
      acknowledgedAt: null,
      acknowledgedBy: null,
    });
    expect(bodies[0]).not.toHaveProperty('interaction');
    // A call's events are not this webhook's.
    await call(r.log, '+15551230020');
    await r.log.afterQueuedWrites();
    expect(await r.outbox.tally('ops')).toMatchObject({ pending: 0, delivered: 4 });
  });

  it("carry every agent's state changes, in the log's order, to a webhook that asks for them", async () => {
    const wfm = await receiver();
    const r = await rig([hook(wfm.url, { id: 'wfm', events: ['agent.state.changed'] })]);
    const at = Date.UTC(2026, 11, 5, 9, 0, 0);
    await r.agents.append({ agentId: 'agent1', at, from: 'logged_out', to: 'available' });
    await r.agents.append({
      agentId: 'agent2',
      at: at + 1000,
      from: 'available',
      to: 'not_ready',
      reason: 'lunch',
      changedBy: 'supervisor',
      changedBySupervisor: 'sam',
    });
    await r.agents.append({
      agentId: 'agent1',
      at: at + 2000,
      from: 'talking',
      to: 'wrap_up',
      interactionId: 'i-9',
      until: at + 32_000,
    });
    await wfm.until(3);
    const bodies = wfm.received
      .map((x) => x.json)
      .sort((a, b) => Number(a.deliveryId) - Number(b.deliveryId));
    for (const body of bodies) expect(bodyCheck.Errors(body).First()).toBeUndefined();
    expect(bodies.map((b) => b.type)).toEqual(Array(3).fill('agent.state.changed'));
    expect(bodies.map((b) => b.agentState)).toEqual([
      {
        seq: expect.any(Number),
        agentId: 'agent1',
        from: 'logged_out',
        to: 'available',
        reason: null,
        interactionId: null,
        wrapUpUntil: null,
        changedBy: null,
        changedBySupervisor: null,
      },
      {
        seq: expect.any(Number),
        agentId: 'agent2',
        from: 'available',
        to: 'not_ready',
        reason: 'lunch',
        interactionId: null,
        wrapUpUntil: null,
        changedBy: 'supervisor',
        changedBySupervisor: 'sam',
      },
      {
        seq: expect.any(Number),
        agentId: 'agent1',
        from: 'talking',
        to: 'wrap_up',
        reason: null,
        interactionId: 'i-9',
        wrapUpUntil: '2026-12-05T09:00:32.000Z',
        changedBy: null,
        changedBySupervisor: null,
      },
    ]);
    const seqs = bodies.map((b) => (b.agentState as { seq: number }).seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(bodies[2]!.at).toBe('2026-12-05T09:00:02.000Z');
    // A call's events are not this webhook's, and the agent log writes none when nobody asks.
    await call(r.log, '+15551230030');
    await r.outbox.subscribe([]);
    await r.agents.append({ agentId: 'agent1', at: at + 40_000, from: 'wrap_up', to: 'available' });
    await r.log.afterQueuedWrites();
    expect(await r.outbox.tally('wfm')).toMatchObject({ pending: 0, delivered: 3, failed: 0 });
  });

  it("limited to queues, carry only those queues' calls and alerts", async () => {
    const sales = await receiver();
    const all = await receiver();
    const r = await rig([
      hook(sales.url, {
        id: 'sales-crm',
        events: ['interaction.closed', 'queue.alert.raised'],
        queues: ['sales', 'vip'],
      }),
      hook(all.url, { id: 'all', events: ['interaction.closed'] }),
    ]);
    const inQueue = async (caller: string, queueId: string | null) => {
      const id = await r.log.open({
        direction: 'inbound',
        callerNumber: caller,
        trunk: 'carrier',
        startedAt: Date.now(),
      });
      await r.log.closeIfOpen(
        id,
        Date.now(),
        {
          type: 'interaction.closed',
          payload: { disposition: 'abandoned', endedBy: 'caller', durationSeconds: 3 },
        },
        { disposition: 'abandoned', ended_by: 'caller', ...(queueId ? { queue_id: queueId } : {}) },
      );
    };
    await inQueue('+15551230041', 'sales');
    await inQueue('+15551230042', 'support');
    await inQueue('+15551230043', null); // an IVR-only call: in no queue
    await inQueue('+15551230044', 'vip');
    const alert = {
      kind: 'unstaffed' as const,
      since: Date.now(),
      value: 1,
      threshold: 0,
      message: 'nobody in',
    };
    await r.alerts.raised({ ...alert, queueId: 'support' });
    await r.alerts.raised({ ...alert, queueId: 'sales' });
    await all.until(4);
    await sales.until(3);
    await r.log.afterQueuedWrites();
    const callers = (rx: Receiver) =>
      rx.received
        .filter((x) => x.json.type === 'interaction.closed')
        .map((x) => x.json.interaction.callerNumber)
        .sort();
    expect(callers(sales)).toEqual(['+15551230041', '+15551230044']);
    expect(callers(all)).toEqual(['+15551230041', '+15551230042', '+15551230043', '+15551230044']);
    expect(
      sales.received
        .filter((x) => x.json.type === 'queue.alert.raised')
        .map((x) => (x.json.queueAlert as { queueId: string }).queueId),
    ).toEqual(['sales']);
    expect(await r.outbox.tally('sales-crm')).toMatchObject({ pending: 0, delivered: 3 });
  });

  it('carry a supervisor taking an alert on, once, to a pager relay that asks for it', async () => {
    const pager = await receiver();
    const r = await rig([
      hook(pager.url, { id: 'pager', events: ['queue.alert.raised', 'queue.alert.acknowledged'] }),
    ]);
    const raisedAt = Date.UTC(2026, 11, 5, 9, 0, 0);
    const alert = {
      queueId: 'sales',
      kind: 'long_wait' as const,
      since: raisedAt,
      value: 130,
      threshold: 120,
    };
    await r.alerts.raised({ ...alert, message: 'a caller has waited 2:10' });
    await r.alerts.acknowledged('sales', 'long_wait', raisedAt + 45_000, 'sam');
    // Twice is no second acknowledgement; a cleared alert has none to give.
    await r.alerts.acknowledged('sales', 'long_wait', raisedAt + 50_000, 'kim');
    await r.alerts.cleared('sales', 'long_wait', raisedAt + 60_000);
    await r.alerts.acknowledged('sales', 'long_wait', raisedAt + 70_000, 'kim');
    await pager.until(2);
    await r.log.afterQueuedWrites();
    const bodies = pager.received
      .map((x) => x.json)
      .sort((a, b) => Number(a.deliveryId) - Number(b.deliveryId));
    for (const body of bodies) expect(bodyCheck.Errors(body).First()).toBeUndefined();
    expect(bodies.map((b) => [b.type, b.at])).toEqual([
      ['queue.alert.raised', '2026-12-05T09:00:00.000Z'],
      ['queue.alert.acknowledged', '2026-12-05T09:00:45.000Z'],
    ]);
    expect(bodies[1]!.queueAlert).toMatchObject({
      kind: 'long_wait',
      clearedAt: null,
      acknowledgedAt: '2026-12-05T09:00:45.000Z',
      acknowledgedBy: 'sam',
    });
    expect(await r.outbox.tally('pager')).toMatchObject({ pending: 0, delivered: 2 });
    const [record] = await r.alerts.list({ from: 0, to: raisedAt + 100_000, limit: 5 });
    expect(record).toMatchObject({ acknowledgedAt: raisedAt + 45_000, acknowledgedBy: 'sam' });
  });

  it("carry an agent's request for help asked, taken on and ended to a floor supervisor's pager", async () => {
    const pager = await receiver();
    const r = await rig([
      hook(pager.url, { id: 'pager', events: ['agent.help.asked', 'agent.help.taken', 'agent.help.ended'] }),
    ]);
    const askedAt = Date.UTC(2026, 11, 5, 9, 0, 0);
    const asked = { id: 'h-1', agentId: 'agent1', interactionId: null, note: 'abusive caller', askedAt };
    await r.help.asked(asked);
    const taken = { ...asked, taken: { at: askedAt + 15_000, by: { id: 'sam', name: 'Sam Super' } } };
    await r.help.taken(taken);
    const ended = {
      ...taken,
      ended: { at: askedAt + 90_000, reason: 'resolved' as const, by: taken.taken.by },
    };
    await r.help.ended(ended);
    await r.help.ended(ended); // ended once: no second delivery
    await pager.until(3);
    const bodies = pager.received
      .map((x) => x.json)
      .sort((a, b) => Number(a.deliveryId) - Number(b.deliveryId));
    for (const body of bodies) expect(bodyCheck.Errors(body).First()).toBeUndefined();
    expect(bodies.map((b) => [b.type, b.at])).toEqual([
      ['agent.help.asked', '2026-12-05T09:00:00.000Z'],
      ['agent.help.taken', '2026-12-05T09:00:15.000Z'],
      ['agent.help.ended', '2026-12-05T09:01:30.000Z'],
    ]);
    expect(bodies[0]!.help).toMatchObject({ agentId: 'agent1', note: 'abusive caller', takenAt: null });
    expect(bodies[2]!.help).toMatchObject({
      takenBy: 'sam',
      endedAt: '2026-12-05T09:01:30.000Z',
      endReason: 'resolved',
      endedBy: 'sam',
    });
    const tally = await eventually(
      () => r.outbox.tally('pager'),
      (t) => t.delivered === 3,
    );
    expect(tally).toMatchObject({ pending: 0, delivered: 3 });
    const listed = await r.outbox.list({ webhookId: 'pager', status: 'delivered', limit: 5 });
    expect(listed.length).toBe(3);
  });

  it("carry a request for help nobody took on in time to a team lead's pager, once", async () => {
    const pager = await receiver();
    const r = await rig([hook(pager.url, { id: 'lead', events: ['agent.help.unanswered'] })]);
    const askedAt = Date.UTC(2026, 11, 5, 9, 0, 0);
    const asked = { id: 'h-2', agentId: 'agent2', interactionId: null, note: null, askedAt };
    await r.help.asked(asked); // not subscribed: nothing for this one
    const unanswered = { ...asked, unansweredAt: askedAt + 60_000 };
    await r.help.unanswered(unanswered);
    await r.help.unanswered(unanswered); // said once: no second delivery
    await pager.until(1);
    const [body] = pager.received.map((x) => x.json);
    expect(bodyCheck.Errors(body).First()).toBeUndefined();
    expect(body).toMatchObject({
      type: 'agent.help.unanswered',
      at: '2026-12-05T09:01:00.000Z',
      help: { id: 'h-2', agentId: 'agent2', takenAt: null, unansweredAt: '2026-12-05T09:01:00.000Z' },
    });
    const tally = await eventually(
      () => r.outbox.tally('lead'),
      (t) => t.delivered === 1,
    );
    expect(tally).toMatchObject({ pending: 0, delivered: 1 });
  });

  it("carry a break overstayed, begun, taken on and ended, to a floor supervisor's pager", async () => {
    const pager = await receiver();
    const r = await rig([
      hook(pager.url, {
        id: 'pager',
        events: ['agent.overstay.started', 'agent.overstay.acknowledged', 'agent.overstay.ended'],
      }),
    ]);
    const since = Date.UTC(2026, 11, 5, 10, 0, 0);
    const overstay = {
      id: 'o-1',
      agentId: 'agent1',
      reason: 'break',
      limitMinutes: 15,
      since,
      dueAt: since + 15 * 60_000,
    };
    await r.overstays.started(overstay);
    await r.overstays.acknowledged('o-1', overstay.dueAt + 60_000, 'sam');
    await r.overstays.acknowledged('o-1', overstay.dueAt + 70_000, 'tess'); // taken on once
    const ended = { ...overstay, endedAt: overstay.dueAt + 125_000, endedTo: 'available' };
    await r.overstays.ended(ended);
    await r.overstays.ended(ended); // ended once: no second delivery
    await pager.until(3);
    const bodies = pager.received
      .map((x) => x.json)
      .sort((a, b) => Number(a.deliveryId) - Number(b.deliveryId));
    for (const body of bodies) expect(bodyCheck.Errors(body).First()).toBeUndefined();
    expect(bodies.map((b) => [b.type, b.at])).toEqual([
      ['agent.overstay.started', '2026-12-05T10:15:00.000Z'],
      ['agent.overstay.acknowledged', '2026-12-05T10:16:00.000Z'],
      ['agent.overstay.ended', '2026-12-05T10:17:05.000Z'],
    ]);
    expect(bodies[0]!.overstay).toMatchObject({ acknowledgedAt: null, acknowledgedBy: null });
    expect(bodies[1]!.overstay).toMatchObject({
      endedAt: null,
      overSeconds: 0,
      acknowledgedAt: '2026-12-05T10:16:00.000Z',
      acknowledgedBy: 'sam',
    });
    expect(bodies[2]!.overstay).toMatchObject({
      agentId: 'agent1',
      reason: 'break',
      limitMinutes: 15,
      endedTo: 'available',
      overSeconds: 125,
      acknowledgedBy: 'sam',
    });
    const tally = await eventually(
      () => r.outbox.tally('pager'),
      (t) => t.delivered === 3,
    );
    expect(tally).toMatchObject({ pending: 0, delivered: 3 });
  });

  it("carry an agent's flag on a caller, and the supervisor's decision, to a trust-and-safety tool", async () => {
    const desk = await receiver();
    const { log } = await rig([hook(desk.url, { id: 'safety', events: ['caller.flag'] })]);
    const id = await call(log, '+15550161234');
    const at = Date.now();
    await log.record(id, at, {
      type: 'caller.flag',
      payload: { flagId: 'f-1', agentId: 'agent1', step: 'raised', reason: 'abusive', note: 'threatened me' },
    });
    await log.record(id, at + 60_000, {
      type: 'caller.flag',
      payload: {
        flagId: 'f-1',
        agentId: 'agent1',
        step: 'blocked',
        blockId: 'b-1',
        supervisor: { id: 'sam', name: 'Sam Super' },
      },
    });
    await desk.until(2);
    const bodies = desk.received.map((x) => x.json).sort((a, b) => Number(a.seq) - Number(b.seq));
    for (const body of bodies) expect(bodyCheck.Errors(body).First()).toBeUndefined();
    expect(bodies.map((b) => [b.type, (b.event as { step: string }).step])).toEqual([
      ['caller.flag', 'raised'],
      ['caller.flag', 'blocked'],
    ]);
    expect(bodies[0]!.interaction).toMatchObject({ callerNumber: '+15550161234' });
  });

  it('are written only for configured webhooks, from the next event on, and pruned once delivered long ago', async () => {
    const crm = await receiver();
    const r = await rig([hook(crm.url, { events: ['interaction.closed'] })]);
    await call(r.log, '+15551230010');
    await crm.until(1);
    await r.outbox.subscribe([]); // as a restart with the webhook taken out of the config
    await call(r.log, '+15551230011');
    await r.log.afterQueuedWrites();
    expect(await r.outbox.list({ webhookId: 'crm', limit: 10 })).toHaveLength(1);
    await eventually(
      () => r.outbox.tally('crm'),
      (t) => t.delivered === 1,
    );
    expect(await r.outbox.pruneDelivered(Date.now() - 60_000)).toBe(0);
    expect(await r.outbox.pruneDelivered(Date.now() + 1)).toBe(1);
    expect(await r.outbox.list({ webhookId: 'crm', limit: 10 })).toHaveLength(0);
  });
});
