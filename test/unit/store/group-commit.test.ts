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
});
