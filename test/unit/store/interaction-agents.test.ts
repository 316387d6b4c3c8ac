/** Who took part in a call (interaction_agents, kept by a trigger on the timeline): what an agent's list shows. */
import { Migrator } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../migrations/index.js';
import type { InteractionEvent } from '../../../src/interactions/events.js';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { InteractionLog } from '../../../src/store/interaction-log.js';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const why = {
  strategy: 'longest_idle',
  rule: 'longest idle',
  considered: [{ agentId: 'zed', state: 'available' }],
};

/** Ann and Bob were offered the call, Ann took it and transferred it to Cat, who conferenced Dan in. */
async function transferredCall(log: InteractionLog): Promise<string> {
  const id = await log.open({ direction: 'inbound', startedAt: T0, callerNumber: '+15550001' });
  const events: InteractionEvent[] = [
    { type: 'acd.offered', payload: { queueId: 'q', agentIds: ['ann', 'bob'], ringTimeoutSeconds: 15, why } },
    { type: 'acd.connected', payload: { queueId: 'q', agentId: 'ann', waitSeconds: 3, bridgeId: 'b' } },
    {
      type: 'call.transferred',
      payload: { agentId: 'ann', kind: 'blind', target: { type: 'agent', id: 'cat' }, step: 'completed' },
    },
    {
      type: 'call.conference',
      payload: { agentId: 'cat', party: { type: 'agent', id: 'dan' }, step: 'joined' },
    },
    {
      type: 'call.conference',
      payload: { agentId: 'cat', party: { type: 'number', id: '+15559999' }, step: 'joined' },
    },
  ];
  for (const [i, event] of events.entries()) await log.record(id, T0 + 1000 * (i + 1), event);
  await log.record(
    id,
    T0 + 9000,
    { type: 'call.answered', payload: { channelId: 'c' } },
    { agent_id: 'cat' },
  );
  return id;
}

describe('who took part in an interaction', () => {
  it("lists a call under every agent named on its timeline, not only its last agent; nobody else's", async () => {
    const { db } = openDatabase(':memory:');
    await migrateToLatest(db);
    const log = new InteractionLog(db);
    const id = await transferredCall(log);
    const other = await log.open({ direction: 'inbound', startedAt: T0 + 1 });
    await log.afterQueuedWrites();
    const listed = async (agentId: string) =>
      (await log.list({ agentId, limit: 10, offset: 0 })).items.map((row) => row.id);
    for (const agentId of ['ann', 'bob', 'cat', 'dan']) {
      expect(await listed(agentId), agentId).toEqual([id]);
      expect(await log.agentTookPart(id, agentId)).toBe(true);
    }
    // Considered by the router but never offered the call; a number conferenced in; an unrelated call.
    expect(await listed('zed')).toEqual([]);
    expect(await listed('+15559999')).toEqual([]);
    expect(await log.agentTookPart(other, 'ann')).toBe(false);
    expect((await log.list({ agentId: 'ann', limit: 10, offset: 0 })).total).toBe(1);
    await db.destroy();
  });

  it('is worked out for calls already on record when the database is upgraded', async () => {
    const { db } = openDatabase(':memory:');
    const upTo = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    await upTo.migrateTo('2026-12-01T2100_queue_visits');
    const log = new InteractionLog(db);
    const id = await transferredCall(log);
    // A row whose last agent no event names (written by an older version).
    const bare = await log.open({ direction: 'outbound', startedAt: T0 });
    await log.record(
      bare,
      T0 + 1,
      { type: 'call.answered', payload: { channelId: 'x' } },
      { agent_id: 'eve' },
    );
    await log.afterQueuedWrites();
    await migrateToLatest(db);
    const rows = await db
      .selectFrom('interaction_agents')
      .selectAll()
      .orderBy('interaction_id')
      .orderBy('agent_id')
      .execute();
    expect(rows).toEqual(
      [
        ...['ann', 'bob', 'cat', 'dan'].map((agent_id) => ({ interaction_id: id, agent_id })),
        { interaction_id: bare, agent_id: 'eve' },
      ].sort((a, b) => a.interaction_id.localeCompare(b.interaction_id)),
    );
    await db.destroy();
  });
});
