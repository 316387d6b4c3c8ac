import { describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { GroupCommit } from '../../../src/store/group-commit.js';

async function setup() {
  const { db, sqlite } = openDatabase(':memory:');
  await migrateToLatest(db);
  return { db, sqlite, commit: new GroupCommit(db) };
}

const contact = (number: string) => ({ number, name: `n${number}`, notes: null, updated_at: 1 });

describe('GroupCommit', () => {
  it('commits every write of one tick in a single transaction', async () => {
    const { db, sqlite, commit } = await setup();
    const before = sqlite.prepare('select total_changes() as n').get() as { n: number };
    let commits = 0;
    const original = db.transaction.bind(db);
    db.transaction = (() => {
      commits++;
      return original();
    }) as typeof db.transaction;
    await Promise.all(
      ['1', '2', '3'].map((n) =>
        commit.run((trx) => trx.insertInto('contacts').values(contact(n)).execute()),
      ),
    );
    expect(commits).toBe(1);
    expect((sqlite.prepare('select total_changes() as n').get() as { n: number }).n - before.n).toBe(3);
    await commit.run((trx) => trx.insertInto('contacts').values(contact('4')).execute());
    expect(commits).toBe(2);
  });

  it('rolls back a failing write alone, with everything it did, and commits the others', async () => {
    const { db, commit } = await setup();
    const results = await Promise.allSettled([
      commit.run((trx) => trx.insertInto('contacts').values(contact('1')).execute()),
      commit.run(async (trx) => {
        await trx.insertInto('contacts').values(contact('2')).execute(); // undone with its write
        await trx
          .insertInto('interaction_events')
          .values({ interaction_id: 'missing', at: 1, type: 't', payload: '{}' })
          .execute();
      }),
      commit.run((trx) => trx.insertInto('contacts').values(contact('3')).execute()),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    const numbers = (await db.selectFrom('contacts').select('number').orderBy('number').execute()).map(
      (r) => r.number,
    );
    expect(numbers).toEqual(['1', '3']);
  });

  it('resolves each write only once it is committed and visible', async () => {
    const { db, commit } = await setup();
    await commit.run((trx) => trx.insertInto('contacts').values(contact('9')).execute());
    expect(await db.selectFrom('contacts').select('number').execute()).toEqual([{ number: '9' }]);
  });

  describe('raw writes (prepared statements)', () => {
    const insert = 'insert into contacts (number, name, notes, updated_at) values (?, ?, null, 1)';
    const numbers = async (db: Awaited<ReturnType<typeof setup>>['db']) =>
      (await db.selectFrom('contacts').select('number').orderBy('number').execute()).map((r) => r.number);

    it('commits a tick of raw writes in one transaction without kysely, each resolving with its value', async () => {
      const { db, sqlite, commit } = await setup();
      expect(commit.hasRaw).toBe(true);
      let kyselyTransactions = 0;
      const original = db.transaction.bind(db);
      db.transaction = (() => {
        kyselyTransactions++;
        return original();
      }) as typeof db.transaction;
      const before = sqlite.prepare('select total_changes() as n').get() as { n: number };
      const values = await Promise.all(
        ['1', '2', '3'].map((n) => commit.runRaw((raw) => raw.statement(insert).run(n, `n${n}`).changes)),
      );
      expect(values).toEqual([1, 1, 1]);
      expect(kyselyTransactions).toBe(0);
      expect((sqlite.prepare('select total_changes() as n').get() as { n: number }).n - before.n).toBe(3);
      expect(sqlite.inTransaction).toBe(false);
      expect(await numbers(db)).toEqual(['1', '2', '3']);
    });

    it('rolls back a failing raw write alone', async () => {
      const { db, commit } = await setup();
      const results = await Promise.allSettled([
        commit.runRaw((raw) => raw.statement(insert).run('1', 'a')),
        commit.runRaw((raw) => {
          raw.statement(insert).run('2', 'b'); // undone with its write
          raw
            .statement(
              'insert into interaction_events (interaction_id, at, type, payload) values (?, 1, ?, ?)',
            )
            .run('missing', 't', '{}');
        }),
        commit.runRaw((raw) => raw.statement(insert).run('3', 'c')),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
      expect(await numbers(db)).toEqual(['1', '3']);
    });

    it('mixes raw and kysely writes of one tick in one transaction, in order', async () => {
      const { db, commit } = await setup();
      const order: string[] = [];
      await Promise.all([
        commit.runRaw((raw) => {
          order.push('raw1');
          raw.statement(insert).run('1', 'a');
        }),
        commit.run(async (trx) => {
          order.push('kysely');
          await trx.insertInto('contacts').values(contact('2')).execute();
        }),
        commit.runRaw((raw) => {
          order.push('raw2');
          raw.statement(insert).run('3', 'c');
        }),
      ]);
      expect(order).toEqual(['raw1', 'kysely', 'raw2']);
      expect(await numbers(db)).toEqual(['1', '2', '3']);
    });

    it('waits for another kysely transaction holding the connection instead of joining it', async () => {
      const { db, sqlite, commit } = await setup();
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      const other = db.transaction().execute(async (trx) => {
        await trx.insertInto('contacts').values(contact('1')).execute();
        await held;
        throw new Error('the other transaction rolls back');
      });
      await new Promise((r) => setImmediate(r));
      expect(sqlite.inTransaction).toBe(true);
      const write = commit.runRaw((raw) => raw.statement(insert).run('2', 'b'));
      await new Promise((r) => setImmediate(r));
      release();
      await expect(other).rejects.toThrow(/rolls back/);
      await write;
      expect(await numbers(db)).toEqual(['2']);
    });
  });
});
