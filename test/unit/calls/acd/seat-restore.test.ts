import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AgentDefinition } from '../../../../src/agents/schema.js';
import { AcdRuntime } from '../../../../src/calls/acd/acd-runtime.js';
import { seatsAfterRestart } from '../../../../src/calls/acd/seat-restore.js';
import { queueDef } from '../../acd/helpers.js';
import { AgentEventLog } from '../../../../src/store/agent-event-log.js';
import { migrateToLatest, openDatabase } from '../../../../src/store/database.js';
import { ServiceRuns } from '../../../../src/store/service-runs.js';

const NOW = 1_800_000_000_000;
/** The agents' last changes are from more than an hour before the restart. */
const T = NOW - 3_700_000;
const agent = (id: string): AgentDefinition => ({
  id,
  name: id,
  endpoint: `PJSIP/${id}`,
  skills: {},
  queues: [],
  autoAnswer: false,
});
const AGENTS = ['ready', 'lunch', 'talking', 'out', 'new'].map(agent);
const AGENT_IDS = AGENTS.map((a) => a.id);

let agentLog: AgentEventLog;
let db: ReturnType<typeof openDatabase>['db'];

beforeEach(async () => {
  db = openDatabase(':memory:').db;
  await migrateToLatest(db);
  agentLog = new AgentEventLog(db);
  const change = (agentId: string, at: number, from: string, to: string, reason?: string) =>
    agentLog.append({ agentId, at, from, to, reason });
  await change('ready', T, 'logged_out', 'available');
  await change('lunch', T, 'logged_out', 'available');
  await change('lunch', T + 1000, 'available', 'not_ready', 'lunch');
  await change('talking', T, 'logged_out', 'available');
  await change('talking', T + 2000, 'available', 'offered');
  await change('talking', T + 3000, 'offered', 'talking');
  await change('out', T, 'available', 'logged_out');
});

const restored = (previousGoneAt: number | undefined, keepSeatsSeconds = 600) =>
  seatsAfterRestart({
    agents: AGENTS,
    agentLog,
    previousGoneAt,
    keepSeatsSeconds,
    now: NOW,
    logger: pino({ level: 'silent' }),
  });
const restore = async (previousGoneAt: number | undefined, keepSeatsSeconds = 600) =>
  (await restored(previousGoneAt, keepSeatsSeconds)).seats;
const states = (seats: Awaited<ReturnType<typeof restore>>) =>
  Object.fromEntries(Object.entries(seats).map(([id, s]) => [id, s.state]));

describe('seatsAfterRestart (agents through a restart of the service)', () => {
  it('gives the agents their seats back after a short absence, and logs the cut call', async () => {
    const seats = await restore(NOW - 5000);
    expect(Object.fromEntries(Object.entries(seats).map(([id, s]) => [id, s.state]))).toEqual({
      ready: { type: 'available' },
      lunch: { type: 'not_ready', reason: 'lunch' },
      talking: { type: 'not_ready', reason: 'service_restarted' },
    });
    expect(await agentLog.since('talking', NOW)).toEqual([
      { agentId: 'talking', at: NOW, from: 'talking', to: 'not_ready', reason: 'service_restarted' },
    ]);
    expect(await agentLog.since('ready', T + 1)).toEqual([]); // nothing changed for them
  });

  it('logs everyone out from when the service went away after a long absence, holding the agent on a call for it', async () => {
    const goneAt = NOW - 3_600_000; // an hour away, measured from the last heartbeat
    const { seats, heldForCalls } = await restored(goneAt);
    // The agent who was talking may still be: held not ready, so the new run can carry that call on.
    expect(states(seats)).toEqual({ talking: { type: 'not_ready', reason: 'service_restarted' } });
    expect(heldForCalls).toEqual(['talking']);
    for (const id of ['ready', 'lunch']) {
      expect((await agentLog.lastChanges(AGENT_IDS)).get(id)).toMatchObject({
        to: 'logged_out',
        reason: 'service_stopped',
        at: goneAt,
      });
    }
    // The absence is logged out time for them too; held from now.
    expect(await agentLog.since('talking', T + 3001)).toEqual([
      { agentId: 'talking', at: goneAt, from: 'talking', to: 'logged_out', reason: 'service_stopped' },
      { agentId: 'talking', at: NOW, from: 'logged_out', to: 'not_ready', reason: 'service_restarted' },
    ]);
    expect((await agentLog.lastChanges(AGENT_IDS)).get('out')).toMatchObject({ at: T }); // logged out already
  });

  it('never logs an agent out before their own last change (a crash between two heartbeats)', async () => {
    await restore(T + 1500);
    const last = await agentLog.lastChanges(AGENT_IDS);
    expect(last.get('lunch')).toMatchObject({ to: 'logged_out', at: T + 1500 });
    expect((await agentLog.since('talking', T + 3000)).find((c) => c.to === 'logged_out')).toMatchObject({
      at: T + 3000,
    });
  });

  it('logs everyone out when the option is off (but holds the agent on a call), and on the first run', async () => {
    const off = await restored(NOW - 5000, 0);
    expect(states(off.seats)).toEqual({ talking: { type: 'not_ready', reason: 'service_restarted' } });
    expect(off.heldForCalls).toEqual(['talking']);
    expect((await agentLog.lastChanges(AGENT_IDS)).get('ready')?.to).toBe('logged_out');
  });

  it('starts without seats on the first run', async () => {
    expect(await restore(undefined)).toEqual({});
  });
});

describe("today's call counts through a restart (fewest-calls)", () => {
  it("keeps each agent's count, whether the seat is kept or starts logged out", async () => {
    const handledToday = new Map([
      ['ready', 4],
      ['out', 2],
      ['nobody-configured', 9],
    ]);
    const { seats } = await seatsAfterRestart({
      agents: AGENTS,
      agentLog,
      previousGoneAt: NOW - 5000,
      keepSeatsSeconds: 600,
      now: NOW,
      logger: pino({ level: 'silent' }),
      handledToday,
    });
    expect(seats.ready).toMatchObject({ state: { type: 'available' }, callsHandledToday: 4 });
    expect(seats.out).toMatchObject({ state: { type: 'logged_out' }, callsHandledToday: 2 });
    expect(seats['nobody-configured']).toBeUndefined();
  });

  it('counts the queue calls each agent was connected to since a time, from the interaction log', async () => {
    const { InteractionLog } = await import('../../../../src/store/interaction-log.js');
    const log = new InteractionLog(db);
    const call = async (agentId: string, connectedAt: number, queueId: string | null = 'sales') => {
      const id = await log.open({ direction: 'inbound', startedAt: connectedAt - 1000 });
      await log.record(
        id,
        connectedAt,
        { type: 'call.answered', payload: { channelId: id } },
        { agent_id: agentId, connected_at: connectedAt, queue_id: queueId },
      );
    };
    await call('ann', NOW - 10);
    await call('ann', NOW - 20);
    await call('bob', NOW - 30);
    await call('bob', NOW - 86_400_000); // yesterday
    await call('cid', NOW - 40, null); // not a queue call (an outbound dial)
    await log.afterQueuedWrites();
    const counts = await log.queueCallsConnectedSince(NOW - 3_600_000);
    expect(Object.fromEntries(counts)).toEqual({ ann: 2, bob: 1 });
  });
});

describe('a wrap-up through a restart', () => {
  it("goes on in the new run: ends on time, then what the agent chose during it, and its time is on the call's record", async () => {
    const { InteractionLog } = await import('../../../../src/store/interaction-log.js');
    const log = new InteractionLog(db);
    const now = Date.now();
    const wrapStart = now - 5000;
    const until = now + 300;
    const id = await log.open({ direction: 'inbound', startedAt: now - 60_000 });
    await log.record(
      id,
      now - 30_000,
      { type: 'call.answered', payload: { channelId: id } },
      { agent_id: 'ann', connected_at: now - 30_000, queue_id: 'sales' },
    );
    // Chosen during the wrap-up (the caller long gone): on the call's record.
    await log.record(id, now - 2000, {
      type: 'agent.after-call',
      payload: { agentId: 'ann', after: { type: 'not_ready', reason: 'lunch' } },
    });
    const wrapLog = new AgentEventLog(db, log.commit);
    await wrapLog.append({ agentId: 'ann', at: now - 60_000, from: 'logged_out', to: 'available' });
    await wrapLog.append({
      agentId: 'ann',
      at: wrapStart,
      from: 'talking',
      to: 'wrap_up',
      interactionId: id,
      until,
    });
    await log.afterQueuedWrites();

    const ann = agent('ann');
    const { seats } = await seatsAfterRestart({
      agents: [ann],
      agentLog: wrapLog,
      previousGoneAt: now - 2000,
      keepSeatsSeconds: 600,
      now,
      logger: pino({ level: 'silent' }),
      log,
    });
    expect(seats.ann?.state).toEqual({
      type: 'wrap_up',
      interactionId: id,
      queueId: 'sales',
      until,
      after: { type: 'not_ready', reason: 'lunch' },
    });
    const published: { type: string; data: unknown }[] = [];
    const acd = new AcdRuntime({
      telephony: {} as never,
      hub: { publish: (type: string, data: unknown) => published.push({ type, data }) } as never,
      logger: pino({ level: 'silent' }),
      queues: [queueDef({ id: 'sales' })],
      agents: [{ ...ann, queues: [{ queueId: 'sales' }] }],
      log,
      seats,
    });
    try {
      expect(acd.router.seat('ann')?.state.type).toBe('wrap_up');
      await new Promise((r) => setTimeout(r, until - Date.now() + 100));
      expect(acd.router.seat('ann')?.state).toEqual({ type: 'not_ready', reason: 'lunch' });
      await log.afterQueuedWrites();
      await new Promise((r) => setTimeout(r, 50));
      await log.afterQueuedWrites();
      const row = await log.get(id);
      // From the wrap-up's start before the restart to its end in the new run.
      expect(row?.wrap_seconds).toBeGreaterThanOrEqual(5.2);
      expect(row?.wrap_seconds).toBeLessThan(7);
      expect((await log.timeline(id)).map((e) => e.type)).toContain('acd.wrapup.ended');
    } finally {
      acd.stop();
    }
  });
});

describe('ServiceRuns (how long the service was away)', () => {
  it('tells the next run when the previous one stopped, or was last alive after a crash', async () => {
    const first = new ServiceRuns(db);
    expect(await first.begin(1000)).toEqual({ previousGoneAt: undefined });
    await first.alive(2000);
    const second = new ServiceRuns(db); // the first one crashed: no stop recorded
    expect(await second.begin(5000)).toEqual({ previousGoneAt: 2000 });
    await second.alive(6000);
    await second.stopped(7000);
    expect(await new ServiceRuns(db).begin(9000)).toEqual({ previousGoneAt: 7000 });
  });
});

describe('agents held for a conversation the new run may carry on (AcdRuntime)', () => {
  it('logs out those whose call was not carried on once the calls are reconciled; one who chose a state stays', async () => {
    await agentLog.append({ agentId: 'lunch', at: T + 5000, from: 'not_ready', to: 'on_hold' }); // held too
    const defs = AGENTS.map((a) => ({ ...a, queues: [{ queueId: 'sales' }] }));
    const again = await seatsAfterRestart({
      agents: defs,
      agentLog,
      previousGoneAt: NOW - 3_600_000,
      keepSeatsSeconds: 0,
      now: NOW,
      logger: pino({ level: 'silent' }),
    });
    expect(again.heldForCalls.sort()).toEqual(['lunch', 'talking']);
    const acd = new AcdRuntime({
      telephony: {} as never,
      hub: { publish() {} } as never,
      logger: pino({ level: 'silent' }),
      queues: [queueDef({ id: 'sales' })],
      agents: defs,
      now: () => NOW + 2,
      seats: again.seats,
      seatsHeldForCalls: again.heldForCalls,
    });
    // 'lunch' came back and chose Ready before the reconcile finished: their choice stands.
    expect(acd.input({ type: 'agent', agentId: 'lunch', input: { type: 'ready' } })).toEqual([]);
    acd.releaseSeatsHeldForCalls();
    expect(acd.router.seat('talking')?.state).toEqual({ type: 'logged_out' });
    expect(acd.router.seat('lunch')?.state).toEqual({ type: 'available' });
    acd.stop();
  });
});
