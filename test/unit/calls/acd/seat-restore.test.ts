import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AgentDefinition } from '../../../../src/agents/schema.js';
import { seatsAfterRestart } from '../../../../src/calls/acd/seat-restore.js';
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

const restore = (previousGoneAt: number | undefined, keepSeatsSeconds = 600) =>
  seatsAfterRestart({
    agents: AGENTS,
    agentLog,
    previousGoneAt,
    keepSeatsSeconds,
    now: NOW,
    logger: pino({ level: 'silent' }),
  });

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

  it('logs everyone out from when the service went away after a long absence', async () => {
    const goneAt = NOW - 3_600_000; // an hour away, measured from the last heartbeat
    expect(await restore(goneAt)).toEqual({});
    for (const id of ['ready', 'lunch', 'talking']) {
      expect((await agentLog.lastChanges(AGENT_IDS)).get(id)).toMatchObject({
        to: 'logged_out',
        reason: 'service_stopped',
        at: goneAt,
      });
    }
    expect((await agentLog.lastChanges(AGENT_IDS)).get('out')).toMatchObject({ at: T }); // logged out already
  });

  it('never logs an agent out before their own last change (a crash between two heartbeats)', async () => {
    await restore(T + 1500);
    const last = await agentLog.lastChanges(AGENT_IDS);
    expect(last.get('lunch')).toMatchObject({ to: 'logged_out', at: T + 1500 });
    expect(last.get('talking')).toMatchObject({ to: 'logged_out', at: T + 3000 });
  });

  it('logs everyone out when the option is off or this is the first run', async () => {
    expect(await restore(NOW - 5000, 0)).toEqual({});
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
    const seats = await seatsAfterRestart({
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
