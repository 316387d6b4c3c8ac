/**
 * Backups of the database (real SQLite files in a temporary folder): a consistent, checked snapshot taken
 * while another connection keeps writing, named by its time; the newest kept; a failure leaving nothing
 * that looks like a backup; the schedule counted from the newest backup, retried within the hour.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Migrator } from 'kysely';
import { migrations } from '../../../migrations/index.js';
import {
  BackupBeforeUpgradeFailed,
  backupBeforeUpgrade,
  BackupFailed,
  type BackupFile,
  BackupSchedule,
  configuredBackups,
  DatabaseBackups,
} from '../../../src/store/database-backups.js';
import { migrateToLatest, migrationsDue, openDatabase } from '../../../src/store/database.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function folder() {
  const dir = mkdtempSync(join(tmpdir(), 'backups-'));
  dirs.push(dir);
  return dir;
}

const T = Date.parse('2026-12-07T19:40:05.678Z');
const HOUR = 3600_000;

describe('database backups', () => {
  it('take a consistent copy, checked and named by its time, while calls keep writing', async () => {
    const dir = folder();
    const database = join(dir, 'contact-center.db');
    const { db, sqlite } = openDatabase(database);
    await migrateToLatest(db);
    const insert = sqlite.prepare(
      "insert into interactions (id, direction, state, started_at, caller_number) values (?, 'inbound', 'closed', ?, '+15550100001')",
    );
    for (let i = 0; i < 2000; i++) insert.run(`before-${i}`, T);
    // Writes go on from another place while the backup is taken, as the service's calls do.
    let written = 0;
    const writer = setInterval(() => {
      for (let i = 0; i < 50; i++) insert.run(`during-${written++}`, T);
    }, 1);
    const backups = new DatabaseBackups({ database, dir: join(dir, 'backups'), keep: 7, now: () => T });
    let file: BackupFile;
    try {
      file = await backups.take();
    } finally {
      clearInterval(writer);
    }
    expect(file.name).toBe('contact-center-2026-12-07T19-40-05Z.db');
    expect(file.takenAt).toBe(Date.parse('2026-12-07T19:40:05Z'));
    expect(file.bytes).toBeGreaterThan(0);
    const copy = new SQLite(file.path, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    const { n } = copy.prepare("select count(*) n from interactions where id like 'before-%'").get() as {
      n: number;
    };
    expect(n).toBe(2000);
    // The migrations it was at came with it: a restore starts at the same schema.
    const migrated = copy.prepare('select count(*) n from kysely_migration').get() as { n: number };
    expect(migrated.n).toBeGreaterThan(50);
    copy.close();
    expect(written).toBeGreaterThan(0);
    expect(readdirSync(join(dir, 'backups'))).toEqual([file.name]);
    await db.destroy();
  });

  it('keep the newest, deleting the oldest; two asked in one second get a name each', async () => {
    const dir = folder();
    const database = join(dir, 'cc.db');
    new SQLite(database).exec('create table t (x); insert into t values (1)');
    let now = T;
    const backups = new DatabaseBackups({ database, dir: join(dir, 'b'), keep: 2, now: () => now });
    const first = await backups.take();
    now += HOUR;
    const second = await backups.take();
    now += HOUR;
    const third = await backups.take();
    const again = await backups.take(); // the same second
    expect(again.takenAt).toBe(third.takenAt + 1000);
    expect(backups.list().map((b) => b.name)).toEqual([again.name, third.name]);
    expect(existsSync(first.path)).toBe(false);
    expect(existsSync(second.path)).toBe(false);
    // Other files in the folder are none of its business.
    writeFileSync(join(dir, 'b', 'notes.txt'), 'kept by hand');
    now += HOUR;
    await backups.take();
    expect(readdirSync(join(dir, 'b')).sort()).toEqual(
      ['contact-center-2026-12-07T22-40-05Z.db', again.name, 'notes.txt'].sort(),
    );
  });

  it('that fails leaves no file that looks like a backup, and says why', async () => {
    const dir = folder();
    const backups = new DatabaseBackups({ database: join(dir, 'missing.db'), dir: join(dir, 'b'), keep: 3 });
    await expect(backups.take()).rejects.toThrow(BackupFailed);
    await expect(backups.take()).rejects.toThrow(/unable to open database file/);
    expect(readdirSync(join(dir, 'b'))).toEqual([]);
    expect(backups.list()).toEqual([]);
  });

  it('go beside the database unless the config names a folder', () => {
    const at = configuredBackups({ path: '/srv/cc/contact-center.db', backups: { keep: 7 } });
    expect(at).toBeInstanceOf(DatabaseBackups);
    expect((at as unknown as { o: { dir: string } }).o.dir).toBe('/srv/cc/backups');
    const there = configuredBackups({
      path: '/srv/cc/contact-center.db',
      backups: { dir: '/mnt/b', keep: 7 },
    });
    expect((there as unknown as { o: { dir: string } }).o.dir).toBe('/mnt/b');
  });
});

describe('an upgrade', () => {
  const logger = pino({ level: 'silent' });
  const OLDER = '2026-12-06T0700_sign_in_locks';

  it('backs a database with a record up as it was before migrating it; a new or current one is left alone', async () => {
    const dir = folder();
    const database = join(dir, 'cc.db');
    const { db, sqlite } = openDatabase(database);
    await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(OLDER);
    sqlite.exec(
      "insert into interactions (id, direction, state, started_at) values ('kept', 'inbound', 'closed', 1)",
    );
    const due = await migrationsDue(db);
    expect(due.due[0]).toBe('2026-12-06T0800_evaluations');
    expect(due.due.at(-1)).toBe('2026-12-07T1500_wall_displays');
    expect(due.had).toBe(Object.keys(migrations).length - due.due.length);
    const backups = new DatabaseBackups({ database, dir: join(dir, 'b'), keep: 7, now: () => T });
    const file = await backupBeforeUpgrade(due, backups, logger);
    expect(file?.name).toBe('contact-center-2026-12-07T19-40-05Z.db');
    await migrateToLatest(db);
    // The backup is the database as the older version left it: restored, it is upgraded again at start.
    const copy = new SQLite(file?.path ?? '', { readonly: true });
    expect((copy.prepare('select count(*) n from kysely_migration').get() as { n: number }).n).toBe(due.had);
    expect(copy.prepare("select id from interactions where id = 'kept'").get()).toEqual({ id: 'kept' });
    copy.close();
    // Up to date now: nothing due, no backup.
    expect(await backupBeforeUpgrade(await migrationsDue(db), backups, logger)).toBeUndefined();
    expect(backups.list()).toHaveLength(1);
    await db.destroy();

    // A new database has nothing to lose.
    const fresh = openDatabase(join(dir, 'new.db'));
    const none = await migrationsDue(fresh.db);
    expect(none).toEqual({ due: Object.keys(migrations), had: 0 });
    expect(await backupBeforeUpgrade(none, backups, logger)).toBeUndefined();
    await fresh.db.destroy();
  });

  it('is not made when the backup cannot be taken, and says why', async () => {
    const refused = backupBeforeUpgrade(
      { due: ['2026-12-07T1500_wall_displays'], had: 60 },
      { take: async () => Promise.reject(new BackupFailed('database or disk is full (SQLITE_FULL)')) },
      logger,
    );
    await expect(refused).rejects.toThrow(BackupBeforeUpgradeFailed);
    await expect(refused).rejects.toThrow(
      'the database could not be backed up before this version upgrades it (a migration due: 2026-12-07T1500_wall_displays): database or disk is full (SQLITE_FULL). Nothing was changed. Make room where backups go (database.backups.dir), or point it elsewhere, and start again',
    );
  });
});

describe('the backup schedule', () => {
  const logger = pino({ level: 'silent' });
  const fake = (files: BackupFile[], fail?: string) => {
    let now = T;
    const taken: number[] = [];
    const backups = {
      list: () => files,
      take: async (): Promise<BackupFile> => {
        if (fail) throw new BackupFailed(fail);
        taken.push(now);
        return { name: 'x', path: '/b/x', takenAt: now, bytes: 1 };
      },
    };
    return { backups, taken, clock: { set: (t: number) => (now = t), now: () => now } };
  };

  it('is due an interval after the newest backup (a restart does not take one at once), or after start', async () => {
    const { backups, taken, clock } = fake([{ name: 'n', path: '/b/n', takenAt: T - 20 * HOUR, bytes: 1 }]);
    const schedule = new BackupSchedule({ backups, everyMs: 24 * HOUR, logger, now: clock.now });
    expect(schedule.nextAt()).toBe(T + 4 * HOUR);
    expect(await schedule.run()).toBeUndefined();
    expect(taken).toEqual([]);
    clock.set(T + 4 * HOUR);
    expect(await schedule.run()).toMatchObject({ takenAt: T + 4 * HOUR });
    expect(schedule.nextAt()).toBe(T + 28 * HOUR);
    schedule.stop();

    const fresh = fake([]);
    const first = new BackupSchedule({
      backups: fresh.backups,
      everyMs: 24 * HOUR,
      logger,
      now: fresh.clock.now,
    });
    expect(first.nextAt()).toBe(T + 24 * HOUR);
    first.stop();
  });

  it('says a backup failed, and tries again within the hour', async () => {
    const { backups, clock } = fake([], 'disk full (SQLITE_FULL)');
    const errors: unknown[] = [];
    const schedule = new BackupSchedule({
      backups,
      everyMs: 24 * HOUR,
      logger: { ...logger, info: () => undefined, error: (o: unknown) => errors.push(o) } as never,
      now: clock.now,
    });
    clock.set(T + 24 * HOUR);
    expect(await schedule.run()).toBeUndefined();
    expect(schedule.status).toEqual({ lastError: 'disk full (SQLITE_FULL)', lastErrorAt: T + 24 * HOUR });
    expect(errors).toHaveLength(1);
    expect(schedule.nextAt()).toBe(T + 25 * HOUR);
    schedule.stop();
  });
});
