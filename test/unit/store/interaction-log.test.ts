import { beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { InteractionLog, InteractionNotFound } from '../../../src/store/interaction-log.js';

let log: InteractionLog;
let ids: number;

beforeEach(async () => {
  const { db } = openDatabase(':memory:');
  await migrateToLatest(db);
  ids = 0;
  log = new InteractionLog(db, () => `i-${++ids}`);
});

describe('InteractionLog', () => {
  it('closes an open interaction once, with its closing event; a second close changes nothing', async () => {
    const id = await log.open({ direction: 'inbound', startedAt: 1000 });
    const lost = {
      type: 'interaction.closed' as const,
      payload: { disposition: 'lost' as const, endedBy: 'system' as const, durationSeconds: 1 },
    };
    expect(await log.closeIfOpen(id, 2000, lost, { disposition: 'lost', ended_by: 'system' })).toBe(true);
    expect(await log.get(id)).toMatchObject({ state: 'closed', ended_at: 2000, disposition: 'lost' });
    expect(await log.closeIfOpen(id, 3000, lost, { disposition: 'handled' })).toBe(false);
    expect(await log.get(id)).toMatchObject({ ended_at: 2000, disposition: 'lost' });
    expect((await log.timeline(id)).map((e) => [e.type, e.at])).toEqual([
      ['interaction.opened', 1000],
      ['interaction.closed', 2000],
    ]);
    expect(await log.closeIfOpen('nobody', 3000, lost)).toBe(false);
  });

  it('refuses, in the unit tests, an event whose payload its schema does not allow (the API could not serve it)', async () => {
    expect(InteractionLog.strict).toBe(true); // test/unit/setup.ts
    const id = await log.open({ direction: 'inbound', startedAt: 1000 });
    const extra = { channelId: 'c1', ...({ surprise: 1 } as object) };
    expect(() =>
      log.record(id, 1100, { type: 'call.answered', payload: extra as { channelId: string } }),
    ).toThrow(/timeline event call\.answered does not match its schema: .*"surprise":1/);
    expect(await log.timeline(id)).toHaveLength(1); // only the opening
  });

  it('writes an event that strays from its schema and reports it, outside the unit tests (the service)', async () => {
    const problems: string[] = [];
    log.reportSchemaMismatch = (problem) => problems.push(problem);
    InteractionLog.strict = false;
    try {
      const id = await log.open({ direction: 'inbound', startedAt: 1000 });
      await log.record(id, 1100, { type: 'call.answered', payload: { channelId: 'c1' } });
      expect(problems).toEqual([]);
      const extra = { channelId: 'c1', ...({ surprise: 1 } as object) };
      await log.record(id, 1200, { type: 'call.answered', payload: extra as { channelId: string } });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/timeline event call\.answered does not match its schema: .*"surprise":1/);
      expect((await log.timeline(id)).map((e) => e.seq)).toHaveLength(3); // the caller's record keeps it
    } finally {
      InteractionLog.strict = true;
    }
  });

  it('round-trips an interaction and its timeline, in order', async () => {
    const id = await log.open({
      direction: 'inbound',
      channelId: 'c1',
      trunk: 'carrier',
      callerNumber: '+1555',
      callerName: 'Ann',
      dialedNumber: '100',
      startedAt: 1000,
    });
    await log.record(
      id,
      1100,
      { type: 'call.answered', payload: { channelId: 'c1' } },
      { answered_at: 1100 },
    );
    await log.record(
      id,
      2500,
      {
        type: 'interaction.closed',
        payload: { disposition: 'completed', endedBy: 'system', durationSeconds: 1.5 },
      },
      { state: 'closed', ended_at: 2500, disposition: 'completed', ended_by: 'system' },
    );

    expect(await log.get(id)).toMatchObject({
      id: 'i-1',
      direction: 'inbound',
      state: 'closed',
      channel_id: 'c1',
      caller_number: '+1555',
      caller_name: 'Ann',
      dialed_number: '100',
      started_at: 1000,
      answered_at: 1100,
      ended_at: 2500,
      disposition: 'completed',
      abandoned: 0,
      ivr_path: '[]',
      caller_data: '{}',
    });
    const timeline = await log.timeline(id);
    expect(timeline.map((e) => [e.type, e.at, JSON.parse(e.payload)])).toEqual([
      [
        'interaction.opened',
        1000,
        {
          direction: 'inbound',
          channelId: 'c1',
          trunk: 'carrier',
          callerNumber: '+1555',
          callerName: 'Ann',
          dialedNumber: '100',
        },
      ],
      ['call.answered', 1100, { channelId: 'c1' }],
      ['interaction.closed', 2500, { disposition: 'completed', endedBy: 'system', durationSeconds: 1.5 }],
    ]);
    expect(timeline[0]!.seq).toBeLessThan(timeline[1]!.seq);
  });

  it('refuses a change to an interaction that does not exist and writes nothing', async () => {
    await expect(
      log.record('missing', 1, { type: 'call.answered', payload: { channelId: 'x' } }, { answered_at: 1 }),
    ).rejects.toBeInstanceOf(InteractionNotFound);
    const other = await log.open({ direction: 'inbound', startedAt: 1 });
    expect((await log.timeline(other)).length).toBe(1);
  });

  it('lists with filters and paging, newest first, and counts the total', async () => {
    for (let i = 0; i < 5; i++) {
      await log.open({
        direction: i % 2 ? 'outbound' : 'inbound',
        callerNumber: `+1${i}`,
        startedAt: 1000 + i,
      });
    }
    const page = await log.list({ limit: 2, offset: 0 });
    expect(page.total).toBe(5);
    expect(page.items.map((i) => i.caller_number)).toEqual(['+14', '+13']);
    const second = await log.list({ limit: 2, offset: 2 });
    expect(second.items.map((i) => i.caller_number)).toEqual(['+12', '+11']);
    const inbound = await log.list({ direction: 'inbound', limit: 10, offset: 0 });
    expect(inbound.items.map((i) => i.caller_number)).toEqual(['+14', '+12', '+10']);
    const window = await log.list({ from: 1001, to: 1003, limit: 10, offset: 0 });
    expect(window.items.map((i) => i.caller_number)).toEqual(['+12', '+11']);
    expect((await log.list({ callerNumber: '+13', limit: 10, offset: 0 })).total).toBe(1);
    // Oldest first, as a work queue reads it (the voicemails waiting longest come first).
    const front = await log.list({ order: 'oldest', limit: 2, offset: 0 });
    expect(front.items.map((i) => i.caller_number)).toEqual(['+10', '+11']);
    expect(front.total).toBe(5);
    expect(front.totalIsExact).toBe(true);
  });

  it('counts a list’s matches only up to its cap, and says when there are more', async () => {
    for (let i = 0; i < 5; i++) {
      await log.open({ direction: 'inbound', callerNumber: `+1${i}`, startedAt: 1000 + i });
    }
    expect(await log.list({ limit: 2, offset: 0, countUpTo: 5 })).toMatchObject({
      total: 5,
      totalIsExact: true,
    });
    const capped = await log.list({ limit: 2, offset: 0, countUpTo: 3 });
    expect(capped).toMatchObject({ total: 3, totalIsExact: false });
    expect(capped.items).toHaveLength(2);
    // The cap is on the count only: pages past it are read as any other.
    const far = await log.list({ limit: 10, offset: 3, countUpTo: 3 });
    expect(far.items.map((i) => i.caller_number)).toEqual(['+11', '+10']);
    expect(await log.list({ callerNumber: '+12', limit: 2, offset: 0, countUpTo: 3 })).toMatchObject({
      total: 1,
      totalIsExact: true,
    });
  });

  it('lists only open interactions for reconciliation', async () => {
    const a = await log.open({ direction: 'inbound', startedAt: 1 });
    const b = await log.open({ direction: 'inbound', startedAt: 2 });
    await log.record(a, 3, { type: 'interaction.lost', payload: { reason: 'test' } }, { state: 'closed' });
    expect((await log.listOpen()).map((r) => r.id)).toEqual([b]);
  });

  it('lists the callback requests not closed yet, with their steps in order', async () => {
    const step = (id: string, at: number, payload: Record<string, unknown>) =>
      log.record(id, at, { type: 'acd.callback', payload: { queueId: 'q', ...payload } as never });
    const waiting = await log.open({ direction: 'inbound', callerNumber: '+1555', startedAt: 100 });
    await log.record(
      waiting,
      150,
      { type: 'call.answered', payload: { channelId: 'c1' } },
      { enqueued_at: 150 },
    );
    await step(waiting, 200, { step: 'requested', callerNumber: '+1555', priority: 2, enqueuedAt: 150 });
    await step(waiting, 300, { step: 'due', attempt: 1 });
    const done = await log.open({ direction: 'inbound', callerNumber: '+1666', startedAt: 400 });
    await step(done, 500, { step: 'requested' });
    await step(done, 600, { step: 'closed', reason: 'completed' });
    const older = await log.open({ direction: 'inbound', callerNumber: '+1777', startedAt: 700 });
    await step(older, 800, { step: 'requested' }); // written before the request carried its figures

    expect(await log.openCallbacks()).toEqual([
      {
        interactionId: waiting,
        callerNumber: '+1555',
        enqueuedAt: 150,
        steps: [
          { at: 200, queueId: 'q', step: 'requested', callerNumber: '+1555', priority: 2, enqueuedAt: 150 },
          { at: 300, queueId: 'q', step: 'due', attempt: 1 },
        ],
      },
      {
        interactionId: older,
        callerNumber: '+1777',
        enqueuedAt: 700,
        steps: [{ at: 800, queueId: 'q', step: 'requested' }],
      },
    ]);
  });

  it('lists a call whose earlier callback was closed once another is scheduled on it, not before', async () => {
    const step = (id: string, at: number, payload: Record<string, unknown>) =>
      log.record(id, at, { type: 'acd.callback', payload: { queueId: 'q', ...payload } as never });
    const call = await log.open({ direction: 'inbound', callerNumber: '+1888', startedAt: 100 });
    await step(call, 200, { step: 'requested' });
    await step(call, 300, { step: 'closed', reason: 'cancelled' });
    expect(await log.openCallbacks()).toEqual([]);
    await step(call, 400, { step: 'requested', scheduledFor: 9000, retryAt: 9000 });
    const open = await log.openCallbacks();
    expect(open.map((o) => o.interactionId)).toEqual([call]);
    expect(open[0]?.steps.map((s) => [s.at, s.step])).toEqual([
      [200, 'requested'],
      [300, 'closed'],
      [400, 'requested'],
    ]);
    await step(call, 500, { step: 'closed', reason: 'cancelled' });
    expect(await log.openCallbacks()).toEqual([]);
  });
});

describe('monitor steps of open calls', () => {
  it('gives each open call its supervisor.monitor steps in order, and nothing of closed calls', async () => {
    const { db } = openDatabase(':memory:');
    await migrateToLatest(db);
    const log = new InteractionLog(db);
    const step = (s: 'ringing' | 'active' | 'ended') =>
      ({
        type: 'supervisor.monitor',
        payload: {
          monitorId: 'm1',
          agentId: 'ann',
          phone: { type: 'agent', id: 'sue' },
          mode: 'listen',
          step: s,
        },
      }) as const;
    const open = await log.open({ direction: 'inbound', startedAt: 1 });
    await log.record(open, 2, step('ringing'));
    await log.record(open, 3, { type: 'call.answered', payload: { channelId: 'c' } });
    await log.record(open, 4, step('active'));
    const closed = await log.open({ direction: 'inbound', startedAt: 1 });
    await log.record(closed, 2, step('ringing'));
    await log.record(closed, 3, { type: 'call.answered', payload: { channelId: 'd' } }, { state: 'closed' });
    await log.open({ direction: 'inbound', startedAt: 1 }); // open, never monitored
    await log.afterQueuedWrites();
    expect(await log.monitorStepsOfOpenCalls()).toEqual([
      { interactionId: open, steps: [step('ringing').payload, step('active').payload] },
    ]);
    await db.destroy();
  });

  it("finds a number's last agent: its latest answered call with an agent since a time, any direction, not the asking call", async () => {
    const call = async (
      number: string,
      startedAt: number,
      patch: { agent_id?: string; connected_at?: number } = {},
      direction: 'inbound' | 'outbound' = 'inbound',
    ) => {
      const id = await log.open({ direction, callerNumber: number, startedAt });
      if (patch.agent_id)
        await log.record(id, startedAt + 1, { type: 'call.answered', payload: { channelId: 'c' } }, patch);
      return id;
    };
    await call('+1555', 1000, { agent_id: 'ann', connected_at: 1100 });
    await call('+1555', 2000, { agent_id: 'bob', connected_at: 2100 }, 'outbound');
    await call('+1555', 3000); // abandoned: no agent
    await call('+1555', 3500, { agent_id: 'cleo' }); // offered to cleo, never connected
    await call('+1666', 4000, { agent_id: 'dan', connected_at: 4100 });
    const asking = await call('+1555', 5000, { agent_id: 'eve', connected_at: 5100 });
    expect(await log.lastAgentOf('+1555', 0, asking)).toEqual({ agentId: 'bob', servedAt: 2100 });
    expect(await log.lastAgentOf('+1555', 1500, asking)).toEqual({ agentId: 'bob', servedAt: 2100 });
    expect(await log.lastAgentOf('+1555', 2500, asking)).toBeUndefined();
    expect(await log.lastAgentOf('+1555', 0, 'another')).toEqual({ agentId: 'eve', servedAt: 5100 });
    expect(await log.lastAgentOf('+1777', 0, asking)).toBeUndefined();
  });
});
