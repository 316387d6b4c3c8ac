/**
 * Upgrading a database whose queues were saved through the API before their numbers had upper bounds
 * (migration 2026-12-07T1400): the service starts with them brought within bounds, each on the change log;
 * what no migration mends stops the start in words, naming the queue and what to do.
 */
import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../migrations/index.js';
import type { QueueDefinition } from '../../../src/acd/schema.js';
import type { AgentDefinition } from '../../../src/agents/schema.js';
import { loadKeptQueues, QueueAdmin } from '../../../src/calls/acd/queue-admin.js';
import { ConfigError } from '../../../src/config/load.js';
import { AdminChangeLog } from '../../../src/store/admin-change-log.js';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { MembershipStore, QueueStore } from '../../../src/store/queue-store.js';
import { changedBy, changeText } from '../../../src/web/supervisor/change-text.js';

const BEFORE_BOUNDS = '2026-12-07T1300_help_unanswered';

const queue = (id: string, more: Record<string, unknown> = {}) => ({
  id,
  name: id[0]!.toUpperCase() + id.slice(1),
  strategy: 'longest_idle',
  ringTimeoutSeconds: 20,
  wrapUpSeconds: 0,
  serviceLevelSeconds: 20,
  vipNumbers: [],
  vipPriorityBonus: 10,
  defaultHandleSeconds: 180,
  ...more,
});

const anna = {
  id: 'anna',
  name: 'Anna Allen',
  endpoint: 'PJSIP/anna',
  queues: [{ queueId: 'sales' }],
  skills: {},
  autoAnswer: false,
} as unknown as AgentDefinition;

/** A database as the last version left it, with these rows kept from the API. */
async function oldDatabase(queues: object[], memberships: Record<string, object[]> = {}) {
  const { db } = openDatabase(':memory:');
  await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(BEFORE_BOUNDS);
  for (const q of queues) {
    const id = (q as { id: string }).id;
    await sql`insert into queues (id, definition, source, updated_at)
      values (${id}, ${JSON.stringify(q)}, 'api', 1)`.execute(db);
  }
  for (const [agentId, list] of Object.entries(memberships)) {
    await sql`insert into agent_memberships (agent_id, queues, updated_at)
      values (${agentId}, ${JSON.stringify(list)}, 1)`.execute(db);
  }
  return db;
}

describe('queues kept from the API, on upgrade', () => {
  it('are brought within the new bounds, each change on the log, and the service loads them', async () => {
    // 1e400 in a JSON body was taken as Infinity, and written as null.
    const salesText = JSON.stringify(
      queue('sales', {
        maxWaitSeconds: 100_000,
        overflowTarget: { type: 'voicemail' },
        maxLength: null,
        defaultHandleSeconds: 1e9,
        priorityAgeing: { everySeconds: 200_000, step: null, maxBonus: 5000 },
      }),
    );
    const db = await oldDatabase(
      [
        JSON.parse(salesText),
        queue('support', { maxWaitSeconds: 600, overflowTarget: { type: 'voicemail' }, maxLength: 50 }),
      ],
      {
        anna: [
          { queueId: 'sales', order: 50_000 },
          { queueId: 'support', order: 3 },
        ],
      },
    );
    // The bounds' migration first (later ones follow it).
    expect((await migrateToLatest(db))[0]).toBe('2026-12-07T1400_stored_queue_bounds');

    const agents = [anna];
    const admin = new QueueAdmin(new QueueStore(db), () => agents, Date.now, new MembershipStore(db));
    const loaded = await loadKeptQueues(admin, [], ':memory:');
    const sales = loaded.find((q) => q.id === 'sales')!;
    expect(sales.maxWaitSeconds).toBe(86_400);
    expect('maxLength' in sales).toBe(false); // no limit, as Infinity meant
    expect(sales.defaultHandleSeconds).toBe(86_400);
    expect(sales.priorityAgeing).toEqual({ everySeconds: 86_400, step: 1000, maxBonus: 1000 });
    // A queue within bounds is left as it was.
    const support = loaded.find((q) => q.id === 'support')!;
    expect([support.maxWaitSeconds, support.maxLength]).toEqual([600, 50]);
    expect(agents[0]!.queues).toEqual([
      { queueId: 'sales', order: 10_000 },
      { queueId: 'support', order: 3 },
    ]);

    const changes = await new AdminChangeLog(db).list({ limit: 10 });
    expect(changes.map((c) => [c.action, c.subject, c.supervisorId])).toEqual([
      ['agent.memberships.bounded', 'anna', undefined],
      ['queue.bounded', 'sales', undefined],
    ]);
    const names = { queue: (id: string) => ({ sales: 'Sales' })[id] ?? id, agent: () => 'Anna Allen' };
    const [members, salesChange] = changes;
    expect(salesChange!.before).toEqual(JSON.parse(salesText));
    expect(changeText(salesChange!, names)).toBe(
      'Brought queue Sales within this version\'s bounds: defaultHandleSeconds 1000000000 → 86400; maxLength too large to hold → none; maxWaitSeconds 100000 → 86400; priorityAgeing {"everySeconds":200000,"step":null,"maxBonus":5000} → {"everySeconds":86400,"step":1000,"maxBonus":1000}',
    );
    expect(changeText(members!, names)).toBe(
      "Brought Anna Allen's places in queues within this version's bounds: Sales order 50000 → 10000",
    );
    expect(changedBy({}, salesChange!.action)).toBe('Upgrade');
    await db.destroy();
  });

  it('stop the start in words when no migration mends them, naming each and what to do', async () => {
    // A queue kept from the API that this version refuses for a reason no migration knows.
    const db = await oldDatabase([queue('sales', { strategy: 'ring-all' }), queue('support')], {
      anna: [{ queueId: 'support', penalty: 500 }],
    });
    await migrateToLatest(db);
    const admin = () => {
      const agents = [anna];
      return new QueueAdmin(new QueueStore(db), () => agents, Date.now, new MembershipStore(db));
    };
    const refusal = await loadKeptQueues(admin(), [], '/var/lib/cc/db.sqlite').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ConfigError);
    const { problems } = refusal as ConfigError;
    expect(problems[0]).toMatch(/^queues\[sales\]\.strategy: Expected one of: "ring_all"/);
    expect(problems.at(-1)).toMatch(
      /^queues kept from changes made through the API fail this version's checks: a queue with the same id in the config file's queues takes the place of the kept one/,
    );
    expect(problems.join('\n')).not.toMatch(/agent_memberships/);

    // Given in the config file, the queue starts; then the kept place in a queue is named, with the fix.
    const fromFile = [queue('sales', { strategy: 'ring_all' }) as QueueDefinition];
    const next = await loadKeptQueues(admin(), fromFile, '/var/lib/cc/db.sqlite').catch((e: unknown) => e);
    expect(next).toBeInstanceOf(ConfigError);
    expect((next as ConfigError).problems).toEqual([
      'agents[anna].queues[0].penalty: Expected integer to be less or equal to 100',
      expect.stringContaining(
        `sqlite3 /var/lib/cc/db.sqlite "delete from agent_memberships where agent_id = '<agent>'"`,
      ),
    ]);
    // Nothing kept was dropped: the queue's row and the agent's places are still there.
    const rows = await sql<{ n: number }>`select count(*) as n from agent_memberships`.execute(db);
    expect(rows.rows[0]!.n).toBe(1);
    await db.destroy();
  });
});
