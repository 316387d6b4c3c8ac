/** Each queue's own figures: a call's stays in queues (queue_visits), written as the ACD moves it. */
import { Migrator } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../migrations/index.js';
import { computeQueueStats } from '../../../src/acd/stats.js';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { InteractionLog } from '../../../src/store/interaction-log.js';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const stats = (queueId: string, records: Awaited<ReturnType<InteractionLog['queueRecords']>>) =>
  computeQueueStats({
    queueId,
    serviceLevelSeconds: 20,
    records,
    entries: [],
    memberSeats: [],
    now: T0 + 600_000,
  });

describe('queue stays', () => {
  it('count an overflowed call in the queue it left (flowed out, not answered in time) and time the next from entering it', async () => {
    const { db } = openDatabase(':memory:');
    await migrateToLatest(db);
    const log = new InteractionLog(db);
    const id = await log.open({ direction: 'inbound', startedAt: T0 });
    await log.queueEntered(id, 'sales', T0);
    await log.queueEntered(id, 'support', T0 + 60_000); // max wait in sales: on to support
    await log.queueLeft(id, T0 + 65_000, 'answered');
    await log.record(
      id,
      T0 + 200_000,
      {
        type: 'interaction.closed',
        payload: { disposition: 'handled', endedBy: 'caller', durationSeconds: 200 },
      },
      { state: 'closed', ended_at: T0 + 200_000, talk_seconds: 135, wrap_seconds: 10 },
    );
    const other = await log.open({ direction: 'inbound', startedAt: T0 });
    await log.queueEntered(other, 'sales', T0 + 1000);
    await log.queueLeft(other, T0 + 31_000, 'abandoned');
    await log.afterQueuedWrites();

    const sales = stats('sales', await log.queueRecords('sales', T0));
    expect(sales).toMatchObject({
      offered: 2,
      answered: 0,
      abandoned: 1,
      flowedOut: 1,
      serviceLevelPercent: 0,
    });
    expect(sales.abandonRatePercent).toBe(100);
    const support = stats('support', await log.queueRecords('support', T0));
    expect(support).toMatchObject({ offered: 1, answered: 1, flowedOut: 0, serviceLevelPercent: 100 });
    expect(support.asaSeconds).toBe(5); // from entering support, not from the first arrival
    expect(support.ahtSeconds).toBe(145);
  });

  it('go on through a restart that takes the waiting caller over (the same queue entered again)', async () => {
    const { db } = openDatabase(':memory:');
    await migrateToLatest(db);
    const log = new InteractionLog(db);
    const id = await log.open({ direction: 'inbound', startedAt: T0 });
    await log.queueEntered(id, 'sales', T0);
    await log.queueEntered(id, 'sales', T0 + 8000); // the new run puts the caller back in line
    await log.queueLeft(id, T0 + 12_000, 'answered');
    await log.afterQueuedWrites();
    const sales = stats('sales', await log.queueRecords('sales', T0));
    expect(sales).toMatchObject({ offered: 1, answered: 1, flowedOut: 0 });
    expect(sales.asaSeconds).toBe(12);
  });

  it('count the handle time of a call answered twice in a queue (its agent lost) once', async () => {
    const { db } = openDatabase(':memory:');
    await migrateToLatest(db);
    const log = new InteractionLog(db);
    const id = await log.open({ direction: 'inbound', startedAt: T0 });
    await log.queueEntered(id, 'sales', T0);
    await log.queueLeft(id, T0 + 5000, 'answered');
    await log.queueEntered(id, 'sales', T0 + 65_000); // the agent's phone was lost: back in line
    await log.queueLeft(id, T0 + 70_000, 'answered');
    await log.record(
      id,
      T0 + 130_000,
      {
        type: 'interaction.closed',
        payload: { disposition: 'handled', endedBy: 'caller', durationSeconds: 130 },
      },
      { state: 'closed', ended_at: T0 + 130_000, talk_seconds: 125, wrap_seconds: 10 },
    );
    await log.afterQueuedWrites();
    const sales = stats('sales', await log.queueRecords('sales', T0));
    expect(sales).toMatchObject({ offered: 2, answered: 2 });
    expect(sales.ahtSeconds).toBe(135); // not 135 twice, nor averaged with a zero
  });

  it("keep each answering agent's own part of a call sent on from one queue to another", async () => {
    const { db } = openDatabase(':memory:');
    await migrateToLatest(db);
    const log = new InteractionLog(db);
    const id = await log.open({ direction: 'inbound', startedAt: T0 });
    await log.queueEntered(id, 'sales', T0);
    await log.queueLeft(id, T0 + 5000, 'answered', 'ann');
    await log.agentLeftCall(id, 'ann', T0 + 65_000, 5); // ann sends the caller on to support
    await log.queueEntered(id, 'support', T0 + 65_000);
    await log.agentWrappedUp(id, 'ann', 10);
    await log.queueLeft(id, T0 + 70_000, 'answered', 'bob');
    await log.agentLeftCall(id, 'bob', T0 + 130_000, 0);
    await log.agentLeftCall(id, 'bob', T0 + 150_000, 0); // a second end changes nothing
    await log.agentWrappedUp(id, 'bob', 20);
    await log.agentWrappedUp(id, 'carol', 7); // a colleague with no stay of their own: no queue's
    await log.record(
      id,
      T0 + 130_000,
      {
        type: 'interaction.closed',
        payload: { disposition: 'handled', endedBy: 'caller', durationSeconds: 130 },
      },
      {
        state: 'closed',
        ended_at: T0 + 130_000,
        disposition: 'handled',
        agent_id: 'bob',
        connected_at: T0 + 70_000,
        talk_seconds: 120,
        wrap_seconds: 37,
      },
    );
    // ann's outbound call: no queue stay, counted from the call itself.
    const outbound = await log.open({ direction: 'outbound', startedAt: T0 + 200_000 });
    await log.record(
      outbound,
      T0 + 240_000,
      {
        type: 'interaction.closed',
        payload: { disposition: 'handled', endedBy: 'agent', durationSeconds: 40 },
      },
      {
        state: 'closed',
        disposition: 'handled',
        agent_id: 'ann',
        connected_at: T0 + 200_000,
        talk_seconds: 40,
        hold_seconds: 3,
      },
    );
    await log.afterQueuedWrites();

    const sales = stats('sales', await log.queueRecords('sales', T0));
    expect(sales).toMatchObject({ offered: 1, answered: 1, flowedOut: 0 });
    expect(sales.ahtSeconds).toBe(70); // ann's 60 s and 10 s, not the call's 120 s and 37 s
    const support = stats('support', await log.queueRecords('support', T0));
    expect(support).toMatchObject({ offered: 1, answered: 1 });
    expect(support.ahtSeconds).toBe(80);
    expect(support.asaSeconds).toBe(5);

    const byAnswer = (calls: Awaited<ReturnType<InteractionLog['handledCalls']>>) =>
      [...calls].sort((a, b) => a.answeredAt - b.answeredAt);
    expect(byAnswer(await log.handledCalls('ann', T0, T0 + 3_600_000))).toEqual([
      { answeredAt: T0 + 5000, talkSeconds: 60, holdSeconds: 5 },
      { answeredAt: T0 + 200_000, talkSeconds: 40, holdSeconds: 3 },
    ]);
    // bob's part once: from his stay, not again from the call whose last agent he was.
    expect(await log.handledCalls('bob', T0, T0 + 3_600_000)).toEqual([
      { answeredAt: T0 + 70_000, talkSeconds: 60, holdSeconds: 0 },
    ]);
    // The same read a row a page (a report reads a year of them in pages, the loop let go in between).
    for (const agent of ['ann', 'bob']) {
      expect(byAnswer(await log.handledCalls(agent, T0, T0 + 3_600_000, 1))).toEqual(
        byAnswer(await log.handledCalls(agent, T0, T0 + 3_600_000)),
      );
    }
  });

  it('end as flowed out when the caller is sent on, with a stay of no time where it was turned away at the door', async () => {
    const { db } = openDatabase(':memory:');
    await migrateToLatest(db);
    const log = new InteractionLog(db);
    const stays = async (id: string) =>
      db
        .selectFrom('queue_visits')
        .select(['queue_id', 'entered_at', 'left_at', 'outcome'])
        .where('interaction_id', '=', id)
        .orderBy('id')
        .execute();
    // Waiting in sales, then sent on from it (nobody logged in any more): its one stay there ends.
    const waited = await log.open({ direction: 'inbound', startedAt: T0 });
    await log.queueEntered(waited, 'sales', T0);
    await log.queueFlowedOut(waited, 'sales', T0 + 5000);
    expect(await stays(waited)).toEqual([
      { queue_id: 'sales', entered_at: T0, left_at: T0 + 5000, outcome: 'flowed_out' },
    ]);
    // Sent from sales to support, which is full: a stay there that begins and ends at once; sales' ends too.
    const full = await log.open({ direction: 'inbound', startedAt: T0 });
    await log.queueEntered(full, 'sales', T0);
    await log.queueFlowedOut(full, 'support', T0 + 7000);
    expect(await stays(full)).toEqual([
      { queue_id: 'sales', entered_at: T0, left_at: T0 + 7000, outcome: 'flowed_out' },
      { queue_id: 'support', entered_at: T0 + 7000, left_at: T0 + 7000, outcome: 'flowed_out' },
    ]);
    // Entering the queue it is sent on to opens a stay there, and ends none that is closed already.
    await log.queueEntered(full, 'billing', T0 + 8000);
    expect((await stays(full)).at(-1)).toEqual({
      queue_id: 'billing',
      entered_at: T0 + 8000,
      left_at: null,
      outcome: null,
    });
    expect(await stays(full)).toHaveLength(3);
  });

  it('are made for calls already on record when the database is upgraded', async () => {
    const { db } = openDatabase(':memory:');
    const upTo = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    await upTo.migrateTo('2026-12-01T2000_service_runs');
    const log = new InteractionLog(db);
    const answered = await log.open({ direction: 'inbound', startedAt: T0 });
    await log.record(
      answered,
      T0 + 8000,
      { type: 'call.answered', payload: { channelId: 'c' } },
      { queue_id: 'sales', enqueued_at: T0 + 1000, connected_at: T0 + 8000 },
    );
    const gone = await log.open({ direction: 'inbound', startedAt: T0 });
    await log.record(
      gone,
      T0 + 9000,
      { type: 'call.answered', payload: { channelId: 'd' } },
      { queue_id: 'sales', enqueued_at: T0 + 2000, abandoned: 1, ended_at: T0 + 9000 },
    );
    await log.afterQueuedWrites();
    await migrateToLatest(db);
    const records = await log.queueRecords('sales', T0);
    expect(records.map((r) => [r.enqueuedAt - T0, r.answeredAt, r.abandoned])).toEqual(
      expect.arrayContaining([
        [1000, T0 + 8000, false],
        [2000, undefined, true],
      ]),
    );
  });
});
