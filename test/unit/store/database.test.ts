/**
 * The database file's transactions beside the write worker's commits, on a real file with a second
 * connection standing in for the worker (no fakes).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { KyselyPlugin } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { ShiftLog } from '../../../src/store/shift-log.js';

let dir = '';
const closing: { close(): unknown }[] = [];
afterEach(() => {
  for (const c of closing.splice(0)) c.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a transaction that reads before it writes', () => {
  it('is not failed by another connection committing between its read and its write: the other waits for it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cc-database-'));
    const path = join(dir, 'cc.db');
    const { db, sqlite } = openDatabase(path);
    closing.push(sqlite);
    await migrateToLatest(db);
    const worker = new SQLite(path); // as the write worker's connection, without its wait
    closing.push(worker);
    worker.pragma('journal_mode = WAL');
    worker.pragma('busy_timeout = 0');
    worker.exec('create table scratch (x integer)');

    const shift = {
      id: 's1',
      agentId: 'anna',
      start: Date.UTC(2026, 11, 7, 9),
      end: Date.UTC(2026, 11, 7, 17),
      note: null,
      createdAt: Date.UTC(2026, 11, 6),
      breaks: [],
    };
    await new ShiftLog(db, () => undefined).added([shift], undefined);

    // The worker commits just as the shift's removal has read it, before it deletes it.
    const workerWrites: string[] = [];
    const between: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        if (workerWrites.length === 0) {
          try {
            worker.exec('insert into scratch values (1)');
            workerWrites.push('committed');
          } catch (error) {
            workerWrites.push((error as { code?: string }).code ?? String(error));
          }
        }
        return args.result;
      },
    };
    const removed = await new ShiftLog(db.withPlugin(between), () => undefined).removed('s1');

    expect(removed).toMatchObject({ id: 's1', agentId: 'anna' });
    // The removal held the write lock from its start: the worker had to wait (here: told busy at once).
    expect(workerWrites).toEqual(['SQLITE_BUSY']);
    expect(await db.selectFrom('shifts').select('id').execute()).toEqual([]);
    // And once it is done, the worker's write goes through.
    worker.exec('insert into scratch values (2)');
    expect(worker.prepare('select count(*) as n from scratch').get()).toEqual({ n: 1 });
  });
});
