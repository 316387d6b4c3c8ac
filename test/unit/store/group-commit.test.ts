import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { GroupCommit, type GroupCommitOptions } from '../../../src/store/group-commit.js';
import type { WritePlan } from '../../../src/store/raw-sqlite.js';
import type { Database } from '../../../src/store/schema.js';
import { WriteWorker } from '../../../src/store/write-worker.js';

async function setup() {
  const { db, sqlite } = openDatabase(':memory:');
  await migrateToLatest(db);
  return { db, sqlite, commit: new GroupCommit(db) };
}

const contact = (number: string) => ({ number, name: `n${number}`, notes: null, updated_at: 1 });

/** Counts the kysely transactions begun on `db` from now on. */
function countTransactions(db: Kysely<Database>): { count: number } {
  const counter = { count: 0 };
  const original = db.transaction.bind(db);
  db.transaction = (() => {
    counter.count++;
    return original();
  }) as typeof db.transaction;
  return counter;
}

describe('GroupCommit', () => {
  it('commits every write of one tick in a single transaction', async () => {
    const { db, sqlite, commit } = await setup();
    const before = sqlite.prepare('select total_changes() as n').get() as { n: number };
    const commits = countTransactions(db);
    await Promise.all(
      ['1', '2', '3'].map((n) =>
        commit.run((trx) => trx.insertInto('contacts').values(contact(n)).execute()),
      ),
    );
    expect(commits.count).toBe(1);
    expect((sqlite.prepare('select total_changes() as n').get() as { n: number }).n - before.n).toBe(3);
    await commit.run((trx) => trx.insertInto('contacts').values(contact('4')).execute());
    expect(commits.count).toBe(2);
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

  describe('plans (prepared statements)', () => {
    const insert = (number: string): WritePlan => ({
      statements: [
        {
          sql: 'insert into contacts (number, name, notes, updated_at) values (?, ?, null, 1)',
          params: [number, `n${number}`],
          returnsRowid: true,
        },
      ],
    });
    const orphanEvent = {
      sql: 'insert into interaction_events (interaction_id, at, type, payload) values (?, 1, ?, ?)',
      params: ['missing', 't', '{}'],
    };
    const numbers = async (db: Kysely<Database>) =>
      (await db.selectFrom('contacts').select('number').orderBy('number').execute()).map((r) => r.number);

    it('commits a tick of plans in one transaction without kysely, each resolving with its rowid', async () => {
      const { db, sqlite, commit } = await setup();
      const kyselyTransactions = countTransactions(db);
      const before = sqlite.prepare('select total_changes() as n').get() as { n: number };
      const rowids = await Promise.all(['1', '2', '3'].map((n) => commit.runPlan(insert(n))));
      expect(rowids).toEqual([1, 2, 3]);
      expect(kyselyTransactions.count).toBe(0);
      expect((sqlite.prepare('select total_changes() as n').get() as { n: number }).n - before.n).toBe(3);
      expect(sqlite.inTransaction).toBe(false);
      expect(await numbers(db)).toEqual(['1', '2', '3']);
    });

    /** Four plans in one tick: the second fails on a foreign key, the third changes nothing. */
    const fourPlans = (commit: GroupCommit) =>
      Promise.allSettled([
        commit.runPlan(insert('1')),
        commit.runPlan({ statements: [...insert('2').statements, orphanEvent] }), // undone with its write
        commit.runPlan({
          statements: [
            { sql: 'update contacts set name = ? where number = ?', params: ['x', '9'], mustChange: true },
          ],
          noChange: () => new Error('no contact 9'),
        }),
        commit.runPlan(insert('3')),
      ]);

    it('rolls back a failing plan alone, and maps "changed nothing" to the plan\'s own error', async () => {
      const { db, commit } = await setup();
      const results = await fourPlans(commit);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
      expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
      expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/no contact 9/);
      expect(await numbers(db)).toEqual(['1', '3']);
    });

    it('carries plans out through kysely on a database with no handle for them, with the same checks', async () => {
      const { db: opened } = await setup();
      // The same database through a Kysely of its own: no prepared-statement handle is known for it.
      const db = opened.withPlugin({ transformQuery: (a) => a.node, transformResult: async (a) => a.result });
      const commit = new GroupCommit(db);
      const kyselyTransactions = countTransactions(db);
      const results = await fourPlans(commit);
      expect(kyselyTransactions.count).toBeGreaterThan(0);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
      expect((results[0] as PromiseFulfilledResult<number>).value).toBe(1);
      expect((results[3] as PromiseFulfilledResult<number>).value).toBe(2); // 2's insert was undone
      expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
      expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/no contact 9/);
      expect(await numbers(db)).toEqual(['1', '3']);
    });

    it('commits plans and kysely writes of one tick in queue order', async () => {
      const { db, commit } = await setup();
      const order: string[] = [];
      await Promise.all([
        commit.runPlan(insert('1')).then(() => order.push('plan1')),
        commit.run(async (trx) => {
          order.push('kysely runs');
          expect(await trx.selectFrom('contacts').select('number').execute()).toEqual([{ number: '1' }]);
          await trx.insertInto('contacts').values(contact('2')).execute();
        }),
        commit.runPlan(insert('3')).then(() => order.push('plan3')),
      ]);
      expect(order).toEqual(['plan1', 'kysely runs', 'plan3']);
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
      const write = commit.runPlan(insert('2'));
      await new Promise((r) => setImmediate(r));
      release();
      await expect(other).rejects.toThrow(/rolls back/);
      await write;
      expect(await numbers(db)).toEqual(['2']);
    });

    describe('on the write worker (a database file)', () => {
      let dir: string;
      let commit: GroupCommit;
      afterEach(async () => {
        await commit?.close();
        rmSync(dir, { recursive: true, force: true });
      });

      async function fileSetup(options?: GroupCommitOptions) {
        dir = mkdtempSync(join(tmpdir(), 'cc-group-commit-'));
        const { db, sqlite } = openDatabase(join(dir, 'cc.db'));
        await migrateToLatest(db);
        commit = new GroupCommit(db, options);
        return { db, sqlite };
      }

      it('starts durable commits at most once per interval: writes queued meanwhile share the next one', async () => {
        // A long interval: the three ticks below must fall inside it even on a loaded machine (200 ms was
        // outlasted once in a full run of two namespaces).
        const { db } = await fileSetup({ commitIntervalMs: 1000 });
        const batches = vi.spyOn(WriteWorker.prototype, 'commit');
        try {
          await commit.runPlan(insert('1')); // quiet database: committed at once
          expect(batches).toHaveBeenCalledTimes(1);
          // Three writes in three later ticks, all inside the interval that began with the first commit.
          const later = [commit.runPlan(insert('2'))];
          await new Promise((r) => setImmediate(r));
          later.push(commit.runPlan(insert('3')));
          await new Promise((r) => setImmediate(r));
          later.push(commit.runPlan(insert('4')));
          await new Promise((r) => setImmediate(r));
          expect(batches).toHaveBeenCalledTimes(1); // none of them committed yet
          await Promise.all(later);
          expect(batches).toHaveBeenCalledTimes(2);
          expect(batches.mock.calls[1]![0]).toHaveLength(3);
          expect(await numbers(db)).toEqual(['1', '2', '3', '4']);
        } finally {
          batches.mockRestore();
        }
      });

      it('keeps the writes while another process holds the database locked, and commits them in order once it lets go', {
        timeout: 30_000,
      }, async () => {
        const { db } = await fileSetup();
        const told: (string | undefined)[] = [];
        commit.watchTrouble((t) => told.push(t ? `${t.error} (${t.waiting} waiting)` : undefined));
        // Another process (a backup, an admin's sqlite3 shell) holds the write lock past the busy timeout.
        const blocker = new SQLite(join(dir, 'cc.db'));
        blocker.prepare('begin immediate').run();
        const settled: string[] = [];
        const writes = [
          commit.runPlan(insert('1')).then(() => settled.push('1')),
          commit
            .run((trx) => trx.insertInto('contacts').values(contact('2')).execute())
            .then(() => settled.push('2')),
          commit.runPlan(insert('3')).then(() => settled.push('3')),
        ];
        await vi.waitFor(() => expect(commit.trouble).toBeDefined(), { timeout: 15_000, interval: 100 });
        expect(commit.trouble).toMatchObject({ error: expect.stringMatching(/locked|busy/i), waiting: 3 });
        expect(settled).toEqual([]); // none lost, none refused: waiting in memory
        blocker.prepare('rollback').run();
        blocker.close();
        await Promise.all(writes);
        expect(settled).toEqual(['1', '2', '3']);
        expect(await numbers(db)).toEqual(['1', '2', '3']);
        expect(commit.trouble).toBeUndefined();
        expect(told).toEqual(['database is locked (3 waiting)', undefined]);
      });

      it("commits plans durably and visibly to this thread's connection, in queue order with kysely writes", async () => {
        const { db } = await fileSetup();
        const results = await Promise.allSettled([
          commit.runPlan(insert('1')),
          commit.runPlan({ statements: [...insert('2').statements, orphanEvent] }),
          commit.run((trx) => trx.insertInto('contacts').values(contact('3')).execute()),
          commit.runPlan(insert('4')),
          commit.runPlan({
            statements: [
              { sql: 'update contacts set name = ? where number = ?', params: ['x', '9'], mustChange: true },
            ],
            noChange: () => new Error('no contact 9'),
          }),
        ]);
        expect(results.map((r) => r.status)).toEqual([
          'fulfilled',
          'rejected',
          'fulfilled',
          'fulfilled',
          'rejected',
        ]);
        expect((results[0] as PromiseFulfilledResult<number>).value).toBe(1);
        expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
        expect((results[1] as PromiseRejectedResult).reason).toMatchObject({
          code: 'SQLITE_CONSTRAINT_FOREIGNKEY',
        });
        expect(String((results[4] as PromiseRejectedResult).reason)).toMatch(/no contact 9/);
        expect(await numbers(db)).toEqual(['1', '3', '4']);
      });
    });
  });
});
