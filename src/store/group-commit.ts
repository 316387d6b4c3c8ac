import { type Kysely, sql, type Transaction } from 'kysely';
import { type RawSqlite, rawSqliteOf } from './raw-sqlite.js';
import type { Database } from './schema.js';

type PendingWrite = {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
} & (
  | { kind: 'kysely'; run: (trx: Transaction<Database>) => Promise<unknown> }
  | { kind: 'raw'; run: (raw: RawSqlite) => unknown }
);

type RawWrite = Extract<PendingWrite, { kind: 'raw' }>;
const isRaw = (write: PendingWrite): write is RawWrite => write.kind === 'raw';

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Group commit: every write queued in the same turn of the event loop is committed in one transaction,
 * so one fsync covers them all. better-sqlite3 is synchronous, so a commit per write (with
 * synchronous=FULL) would block the event loop once per timeline entry — at tens of calls per second
 * that is most of the loop. Each write still resolves only after its transaction is durable, and each
 * runs in its own savepoint, so one failing write (e.g. an unknown interaction) rolls back alone.
 *
 * Writes come two ways: `run` (kysely, any query) and `runRaw` (the hot paths: prepared statements on the
 * better-sqlite3 handle, synchronous). A batch of raw writes only is committed in one synchronous step,
 * with no query building and no promise per statement; a batch with a kysely write goes through a kysely
 * transaction as before, with the raw writes run inside it (the same connection).
 */
export class GroupCommit {
  private pending: PendingWrite[] = [];
  private scheduled = false;
  private readonly raw: RawSqlite | undefined;

  constructor(private readonly db: Kysely<Database>) {
    this.raw = rawSqliteOf(db);
  }

  run<T>(write: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ kind: 'kysely', run: write, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** True when writes can use runRaw (the database was opened by openDatabase). */
  get hasRaw(): boolean {
    return this.raw !== undefined;
  }

  /** A synchronous write with prepared statements; only when hasRaw. */
  runRaw<T>(write: (raw: RawSqlite) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ kind: 'raw', run: write, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      const raw = this.raw;
      // Another kysely transaction holding the connection (e.g. a queue edit between two awaits): a raw
      // BEGIN would fail, so wait for the connection through kysely like any other query.
      const outcomes =
        raw && !raw.sqlite.inTransaction && batch.every(isRaw)
          ? this.commitRaw(raw, batch)
          : await this.commitKysely(batch);
      batch.forEach((write, i) => {
        const outcome = outcomes[i]!;
        if (outcome.ok) write.resolve(outcome.value);
        else write.reject(outcome.error);
      });
    } catch (error) {
      for (const write of batch) write.reject(error);
    } finally {
      this.scheduled = false;
      if (this.pending.length > 0) this.schedule();
    }
  }

  /** The whole batch in one synchronous transaction: nothing else can run on the connection meanwhile. */
  private commitRaw(raw: RawSqlite, batch: RawWrite[]): Outcome[] {
    const outcomes: Outcome[] = [];
    raw.statement('begin').run();
    try {
      for (const write of batch) outcomes.push(this.inSavepoint(raw, () => write.run(raw)));
      raw.statement('commit').run();
    } catch (error) {
      if (raw.sqlite.inTransaction) raw.statement('rollback').run();
      throw error;
    }
    return outcomes;
  }

  private inSavepoint(raw: RawSqlite, run: () => unknown): Outcome {
    raw.statement('savepoint write').run();
    try {
      const value = run();
      raw.statement('release write').run();
      return { ok: true, value };
    } catch (error) {
      raw.statement('rollback to write').run();
      raw.statement('release write').run();
      return { ok: false, error };
    }
  }

  private async commitKysely(batch: PendingWrite[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    await this.db.transaction().execute(async (trx) => {
      for (const write of batch) {
        if (write.kind === 'raw') {
          const raw = this.raw;
          outcomes.push(
            raw
              ? this.inSavepoint(raw, () => write.run(raw))
              : { ok: false, error: new Error('runRaw needs a database opened by openDatabase()') },
          );
          continue;
        }
        await sql`savepoint write`.execute(trx);
        try {
          outcomes.push({ ok: true, value: await write.run(trx) });
          await sql`release write`.execute(trx);
        } catch (error) {
          await sql`rollback to write`.execute(trx);
          await sql`release write`.execute(trx);
          outcomes.push({ ok: false, error });
        }
      }
    });
    return outcomes;
  }
}
