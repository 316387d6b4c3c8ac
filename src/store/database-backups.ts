/**
 * Backups of the database while the service runs: the record of every call is in one SQLite file, and a
 * disk lost or a file damaged must not take it with it. A backup is a consistent snapshot (`VACUUM INTO`
 * on a read-only connection of its own, on a worker thread: calls keep writing, the event loop is not held),
 * checked (`quick_check`) before it takes its name, so a file in the backups folder is always one that
 * opens. The newest `keep` are kept; the service takes one every `everyHours` and says when one fails.
 */
import { createRequire } from 'node:module';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';

/** A backup in the folder: its file, when it was taken, its size. */
export interface BackupFile {
  name: string;
  path: string;
  takenAt: number;
  bytes: number;
}

/** `contact-center-2026-12-07T19-40-05Z.db`: sorts by time, and says when at a glance. */
const NAME = /^contact-center-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z\.db$/;
const nameAt = (at: number) =>
  `contact-center-${new Date(at).toISOString().slice(0, 19).replace(/:/g, '-')}Z.db`;
const timeOf = (name: string): number | undefined => {
  const m = NAME.exec(name);
  return m ? Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`) : undefined;
};

/** The worker's side (plain CommonJS, as the write worker's): snapshot, then check the copy opens whole. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
try {
  const source = new Database(workerData.source, { readonly: true, fileMustExist: true });
  source.pragma('busy_timeout = 10000');
  source.prepare('vacuum into ?').run(workerData.target);
  source.close();
  const copy = new Database(workerData.target, { readonly: true });
  const check = copy.pragma('quick_check', { simple: true });
  copy.close();
  parentPort.postMessage(check === 'ok' ? { ok: true } : { ok: false, message: 'the copy failed its check: ' + check });
} catch (e) {
  parentPort.postMessage({ ok: false, message: String((e && e.message) || e), code: e && e.code });
}
`;

export class BackupFailed extends Error {
  override readonly name = 'BackupFailed';
}

export interface DatabaseBackupsOptions {
  /** The live database file. */
  database: string;
  /** Where backups go (made if missing). */
  dir: string;
  /** How many to keep, the newest (older ones are deleted after each backup). */
  keep: number;
  now?: () => number;
}

export class BackupBeforeUpgradeFailed extends Error {
  override readonly name = 'BackupBeforeUpgradeFailed';
}

/**
 * An upgrade's migrations change the record in place: before they run on a database that has one, a backup
 * of it as it was, so a migration gone wrong (or a version rolled back) can be undone by a restore. A new
 * database (nothing on record) or one already up to date is left alone. When the backup cannot be taken the
 * upgrade is not made: BackupBeforeUpgradeFailed, in words.
 */
export async function backupBeforeUpgrade(
  due: { due: string[]; had: number },
  backups: Pick<DatabaseBackups, 'take'>,
  logger: Logger,
): Promise<BackupFile | undefined> {
  if (due.due.length === 0 || due.had === 0) return undefined;
  let file: BackupFile;
  try {
    file = await backups.take();
  } catch (error) {
    throw new BackupBeforeUpgradeFailed(
      `the database could not be backed up before this version upgrades it (${due.due.length === 1 ? 'a migration' : `${due.due.length} migrations`} due: ${due.due.join(', ')}): ${error instanceof Error ? error.message : String(error)}. Nothing was changed. Make room where backups go (database.backups.dir), or point it elsewhere, and start again`,
    );
  }
  logger.info(
    { backup: file.path, bytes: file.bytes, migrations: due.due },
    'database backed up before upgrading',
  );
  return file;
}

/** The backups of the configured database (config `database`): in `backups.dir`, or `backups` beside it. */
export function configuredBackups(database: {
  path: string;
  backups: { dir?: string | undefined; keep: number };
}): DatabaseBackups {
  return new DatabaseBackups({
    database: database.path,
    dir: database.backups.dir ?? join(dirname(database.path), 'backups'),
    keep: database.backups.keep,
  });
}

/** Takes, lists and prunes the backups of one database file. */
export class DatabaseBackups {
  private readonly now: () => number;
  private taking: Promise<BackupFile> | undefined;

  constructor(private readonly o: DatabaseBackupsOptions) {
    this.now = o.now ?? Date.now;
  }

  /** The backups there are, the newest first. */
  list(): BackupFile[] {
    let names: string[];
    try {
      names = readdirSync(this.o.dir);
    } catch {
      return [];
    }
    return names
      .flatMap((name) => {
        const takenAt = timeOf(name);
        if (takenAt === undefined) return [];
        const path = join(this.o.dir, name);
        return [{ name, path, takenAt, bytes: statSync(path).size }];
      })
      .sort((a, b) => b.takenAt - a.takenAt);
  }

  /** A backup now (one at a time: asked while one runs, the same one answers); then the oldest go. */
  take(): Promise<BackupFile> {
    this.taking ??= this.snapshot().finally(() => {
      this.taking = undefined;
    });
    return this.taking;
  }

  private async snapshot(): Promise<BackupFile> {
    mkdirSync(this.o.dir, { recursive: true });
    let at = Math.floor(this.now() / 1000) * 1000;
    // Two in the same second (asked by hand right after the schedule's): the later one a second on.
    while (this.list().some((b) => b.takenAt === at)) at += 1000;
    const name = nameAt(at);
    const path = join(this.o.dir, name);
    // Written under a name no listing takes for a backup, and renamed once checked: a backup cut short
    // (the service stopped, the disk full) leaves no file that looks whole.
    const partial = `${path}.partial`;
    rmSync(partial, { force: true });
    try {
      await runWorker(this.o.database, partial);
      renameSync(partial, path);
    } catch (error) {
      rmSync(partial, { force: true });
      throw error;
    }
    this.prune();
    return { name, path, takenAt: at, bytes: statSync(path).size };
  }

  /** Deletes all but the newest `keep`. */
  private prune(): void {
    for (const old of this.list().slice(this.o.keep)) rmSync(old.path, { force: true });
  }
}

function runWorker(source: string, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { source, target, betterSqlite3: createRequire(import.meta.url).resolve('better-sqlite3') },
      execArgv: [],
    });
    let answered = false;
    worker.once('message', (m: { ok: boolean; message?: string; code?: string }) => {
      answered = true;
      if (m.ok) resolve();
      else reject(new BackupFailed(`${m.message}${m.code ? ` (${m.code})` : ''}`));
    });
    worker.once('error', (error) => reject(new BackupFailed(error.message)));
    worker.once('exit', (code) => {
      if (!answered) reject(new BackupFailed(`the backup worker exited (${code}) before it finished`));
    });
  });
}

export interface BackupScheduleOptions {
  backups: Pick<DatabaseBackups, 'take' | 'list'>;
  everyMs: number;
  logger: Logger;
  now?: () => number;
}

/** How the last backup the service tried went: for /health's neighbours (metrics) and the log. */
export interface BackupStatus {
  lastAt?: number;
  lastError?: string;
  lastErrorAt?: number;
}

/** A retry after a failed backup comes this soon, not a whole interval later. */
const RETRY_MS = 3600_000;

/**
 * Takes a backup every `everyMs`, counted from the newest backup in the folder (a restart does not take one
 * at once, nor put the next one off by a day): the first run of a fresh install takes its first after one
 * interval. A failure is logged as an error and tried again within the hour.
 */
export class BackupSchedule {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  readonly status: BackupStatus = {};
  private readonly now: () => number;
  private readonly startedAt: number;

  constructor(private readonly o: BackupScheduleOptions) {
    this.now = o.now ?? Date.now;
    this.startedAt = this.now();
    const newest = o.backups.list()[0];
    if (newest) this.status.lastAt = newest.takenAt;
  }

  /** When the next backup is due. */
  nextAt(): number {
    if (this.status.lastError !== undefined && this.status.lastErrorAt !== undefined)
      return this.status.lastErrorAt + Math.min(RETRY_MS, this.o.everyMs);
    return (this.status.lastAt ?? this.startedAt) + this.o.everyMs;
  }

  start(): void {
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private arm(): void {
    if (this.stopped) return;
    // Timers hold at most ~24.8 days; a longer wait is armed again on the way.
    const wait = Math.min(Math.max(0, this.nextAt() - this.now()), 2 ** 31 - 1);
    this.timer = setTimeout(() => void this.run(), wait);
    this.timer.unref();
  }

  /** Takes the backup due now (also what a scheduled run does), noting how it went. */
  async run(): Promise<BackupFile | undefined> {
    if (this.nextAt() > this.now()) {
      this.arm();
      return undefined;
    }
    try {
      const file = await this.o.backups.take();
      this.status.lastAt = file.takenAt;
      this.status.lastError = undefined;
      this.status.lastErrorAt = undefined;
      this.o.logger.info({ backup: file.path, bytes: file.bytes }, 'database backed up');
      return file;
    } catch (error) {
      this.status.lastError = error instanceof Error ? error.message : String(error);
      this.status.lastErrorAt = this.now();
      this.o.logger.error({ err: error }, 'database backup failed: tried again within the hour');
      return undefined;
    } finally {
      this.arm();
    }
  }
}
