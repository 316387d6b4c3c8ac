import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { inOneTransaction, migrations } from '../../../migrations/index.js';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';

describe('migrations', () => {
  it('apply to an empty database and create the interaction tables', async () => {
    const { db } = openDatabase(':memory:');
    const applied = await migrateToLatest(db);
    expect(applied).toEqual(Object.keys(migrations));
    const tables = await sql<{
      name: string;
    }>`select name from sqlite_master where type = 'table' order by name`.execute(db);
    expect(tables.rows.map((r) => r.name)).toEqual(
      expect.arrayContaining(['interactions', 'interaction_events', 'kysely_migration']),
    );
    await db.destroy();
  });

  it('are idempotent: a second run applies nothing and keeps the data', async () => {
    const { db } = openDatabase(':memory:');
    await migrateToLatest(db);
    await db
      .insertInto('interactions')
      .values({
        id: 'x',
        direction: 'inbound',
        state: 'open',
        channel_id: null,
        trunk: null,
        caller_number: null,
        caller_name: null,
        dialed_number: null,
        started_at: 1,
        answered_at: null,
        ended_at: null,
        queue_id: null,
        agent_id: null,
        wait_seconds: null,
        talk_seconds: null,
        hold_seconds: null,
        wrap_seconds: null,
        disposition: null,
        ended_by: null,
        hangup_cause: null,
        recording_path: null,
        csat: null,
        notes: null,
      })
      .execute();
    expect(await migrateToLatest(db)).toEqual([]);
    expect(await db.selectFrom('interactions').select('id').execute()).toEqual([{ id: 'x' }]);
    await db.destroy();
  });

  it('run each migration in one transaction: one that fails half-way leaves nothing behind to trip over', async () => {
    const { db } = openDatabase(':memory:');
    const halfWay = inOneTransaction({
      up: async (trx) => {
        await trx.schema.createTable('half').addColumn('id', 'integer').execute();
        throw new Error('killed half-way');
      },
    });
    await expect(halfWay.up(db)).rejects.toThrow('killed half-way');
    const tables = await sql<{ name: string }>`select name from sqlite_master where name = 'half'`.execute(
      db,
    );
    expect(tables.rows).toEqual([]);
    await db.destroy();
  });

  it('have dated names that sort in the order they must run', () => {
    const names = Object.keys(migrations);
    expect([...names].sort()).toEqual(names);
    for (const name of names) expect(name).toMatch(/^\d{4}-\d{2}-\d{2}T\d{4}_[a-z0-9_]+$/);
  });

  it('enforce the constraints the log relies on', async () => {
    const { db } = openDatabase(':memory:');
    await migrateToLatest(db);
    // An event for an interaction that does not exist is refused (foreign keys are on).
    await expect(
      db
        .insertInto('interaction_events')
        .values({ interaction_id: 'nope', at: 1, type: 't', payload: '{}' })
        .execute(),
    ).rejects.toThrow(/FOREIGN KEY/);
    await db.destroy();
  });
});
