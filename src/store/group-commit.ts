import { CompiledQuery, type Kysely, sql, type Transaction } from 'kysely';
import { NO_CHANGE, type RawSqlite, rawSqliteOf, type WritePlan } from './raw-sqlite.js';
import type { Database } from './schema.js';
import { type PlanOutcome, TROUBLE_CODES, toError, WriteWorker } from './write-worker.js';

type PendingWrite = {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
} & (
  | { kind: 'kysely'; run: (trx: Transaction<Database>) => Promise<unknown> }
  | { kind: 'plan'; plan: WritePlan }
);

type PlanWrite = Extract<PendingWrite, { kind: 'plan' }>;
type KyselyWrite = Extract<PendingWrite, { kind: 'kysely' }>;

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface GroupCommitOptions {
  /**
   * Commit plans on a worker thread with its own connection (default: when the database is a file opened
   * by openDatabase). Off: on this thread, synchronously.
   */
  worker?: boolean;
  /**
   * Durable commits (a file database, each ending in an fsync) start at most once per this many ms
   * (default DEFAULT_COMMIT_INTERVAL_MS; 0: whenever the previous one is done). After a quiet spell a write
   * commits at once; under load the writes of the interval share one commit.
   */
  commitIntervalMs?: number;
}

/**
 * At most 100 fsyncs a second. Measured in the benchmark (32 calls/s): without a floor the service committed
 * ~6.5 times per call, each commit an fsync with its own wake-up of the write worker, competing for the CPU
 * with Asterisk at the moment it is setting up calls; the floor batches them and bounds the fsync rate
 * whatever the call rate. A write waits at most this long longer to be durable.
 */
export const DEFAULT_COMMIT_INTERVAL_MS = 10;

/** The first retry of a commit that failed as a whole waits this long; each next one twice as long. */
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5000;

/** Why commits are failing now (the disk full, the file unwritable, the worker gone), or undefined. */
export interface CommitTrouble {
  since: number;
  error: string;
  /** Writes waiting to be committed, kept in memory and retried in order. */
  waiting: number;
}

/**
 * Group commit: every write queued while the previous commit was under way (or in the same turn of the
 * event loop) is committed in one transaction, so one fsync covers them all. Each write still resolves
 * only after its transaction is durable, and each runs in its own savepoint, so one failing write (e.g. an
 * unknown interaction) rolls back alone. Writes are committed in the order they were queued.
 *
 * Writes come two ways: `run` (kysely, any query) and `runPlan` (the hot paths: a plan of prepared
 * statements, no query building). Plans are committed on a worker thread with its own connection when the
 * database is a file, so the fsync of synchronous=FULL does not stop the event loop; otherwise (an
 * in-memory database, or no handle) on this thread. kysely writes run on this thread's connection, after
 * the plans queued before them are committed.
 *
 * A commit that fails for the database's sake (isDatabaseTrouble: locked, full, I/O) loses nothing: its
 * writes and those after them wait in memory, in order, and are retried with back-off (`trouble` says so).
 */
export class GroupCommit {
  private pending: PendingWrite[] = [];
  private scheduled = false;
  /** Commits failing as a whole since (Date.now()), with the last error; cleared by the next commit. */
  private failing: { since: number; error: unknown; retryMs: number } | undefined;
  private readonly troubleListeners: ((trouble: CommitTrouble | undefined) => void)[] = [];
  /** Writes of the flush under way, not yet settled. */
  private flushing = 0;
  private readonly raw: RawSqlite | undefined;
  private worker: WriteWorker | undefined;
  private readonly commitIntervalMs: number;
  /** When the last flush started (performance.now()), for the commit interval. */
  private lastFlushAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Kysely<Database>,
    options: GroupCommitOptions = {},
  ) {
    this.raw = rawSqliteOf(db);
    const sqlite = this.raw?.sqlite;
    if (sqlite && !sqlite.memory && options.worker !== false) this.worker = new WriteWorker(sqlite.name);
    this.commitIntervalMs = options.commitIntervalMs ?? DEFAULT_COMMIT_INTERVAL_MS;
  }

  run<T>(write: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ kind: 'kysely', run: write, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /**
   * A write as a plan of statements; resolves with the rowid a `returnsRowid` statement inserted. A database
   * not opened by openDatabase has no handle for plans: there the same statements go through kysely.
   */
  runPlan(plan: WritePlan): Promise<number | undefined> {
    if (!this.raw) return this.run((trx) => planThroughKysely(trx, plan));
    return new Promise((resolve, reject) => {
      this.pending.push({ kind: 'plan', plan, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /**
   * Commits failing as a whole (not one write refused: the database itself), so /health can say the
   * database is down while the writes wait in memory to be retried; undefined while commits succeed.
   */
  get trouble(): CommitTrouble | undefined {
    const f = this.failing;
    if (!f) return undefined;
    return { since: f.since, error: messageOf(f.error), waiting: this.pending.length + this.flushing };
  }

  /** Told when commits start failing as a whole (with why) and when they succeed again (undefined). */
  watchTrouble(listener: (trouble: CommitTrouble | undefined) => void): void {
    this.troubleListeners.push(listener);
  }

  private tell(): void {
    const trouble = this.trouble;
    for (const listener of this.troubleListeners) listener(trouble);
  }

  /** Stops the write worker (after the writes in flight); later writes run on this thread. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.close();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Only commits that fsync (on the worker) are spaced out; an in-memory database has nothing to save.
    // While commits fail, the next try waits for its back-off instead.
    const spacing = this.failing ? this.failing.retryMs : this.worker ? this.commitIntervalMs : 0;
    const wait = this.lastFlushAt + spacing - performance.now();
    if (wait > 0) setTimeout(() => void this.flush(), wait);
    else setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.lastFlushAt = performance.now();
    const batch = this.pending;
    this.pending = [];
    this.flushing = batch.length;
    try {
      // Runs of plans and runs of kysely writes, in queue order, each run in one transaction.
      for (let i = 0; i < batch.length; ) {
        const kind = batch[i]!.kind;
        let j = i;
        while (j < batch.length && batch[j]!.kind === kind) j++;
        const run = batch.slice(i, j);
        i = j;
        let outcomes: Outcome[];
        try {
          outcomes =
            kind === 'plan' ? await this.commitPlans(run as PlanWrite[]) : await this.commitKysely(run);
        } catch (error) {
          // A worker that just died counts too: the retry commits on this thread.
          if (!isDatabaseTrouble(error) && this.worker?.usable !== false) {
            for (const write of run) write.reject(error);
            continue;
          }
          // The transaction failed as a whole (disk full, I/O error, the file locked or unwritable, the
          // worker gone): nothing of it is on disk, and no write is wrong in itself. What a caller did must
          // not be lost to it, so this run and everything after it wait, in order, for a retry.
          const started = !this.failing;
          const retryMs = this.failing ? Math.min(this.failing.retryMs * 2, RETRY_MAX_MS) : RETRY_FIRST_MS;
          this.failing = { since: this.failing?.since ?? Date.now(), error, retryMs };
          this.pending = [...batch.slice(i - run.length), ...this.pending];
          this.flushing = 0;
          if (started) this.tell();
          return;
        }
        if (this.failing) {
          this.failing = undefined;
          this.tell();
        }
        run.forEach((write, k) => {
          const outcome = outcomes[k]!;
          if (outcome.ok) write.resolve(outcome.value);
          else write.reject(outcome.error);
        });
      }
    } finally {
      this.flushing = 0;
      this.scheduled = false;
      if (this.pending.length > 0) this.schedule();
    }
  }

  private async commitPlans(writes: PlanWrite[]): Promise<Outcome[]> {
    const raw = this.raw;
    if (!raw) throw new Error('runPlan needs a database opened by openDatabase()');
    if (this.worker?.usable) {
      const outcomes = await this.worker.commit(writes.map((w) => w.plan));
      return outcomes.map((o, k) => fromWorker(o, writes[k]!.plan));
    }
    // Another kysely transaction holding this connection (e.g. a queue edit between two awaits): a BEGIN
    // would fail, so wait for the connection through kysely like any other query.
    if (raw.sqlite.inTransaction) return this.commitKysely(writes);
    // The whole run in one synchronous transaction: nothing else can use the connection meanwhile.
    const outcomes: Outcome[] = [];
    raw.statement('begin').run();
    try {
      for (const write of writes) outcomes.push(this.planInSavepoint(raw, write.plan));
      raw.statement('commit').run();
    } catch (error) {
      if (raw.sqlite.inTransaction) raw.statement('rollback').run();
      throw error;
    }
    return outcomes;
  }

  private planInSavepoint(raw: RawSqlite, plan: WritePlan): Outcome {
    raw.statement('savepoint write').run();
    try {
      const value = raw.runPlan(plan);
      raw.statement('release write').run();
      return { ok: true, value };
    } catch (error) {
      if (isDatabaseTrouble(error)) throw error; // the whole run is retried, in order (see flush)
      raw.statement('rollback to write').run();
      raw.statement('release write').run();
      return { ok: false, error };
    }
  }

  private async commitKysely(batch: (KyselyWrite | PlanWrite)[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    await this.db.transaction().execute(async (trx) => {
      for (const write of batch) {
        if (write.kind === 'plan') {
          const raw = this.raw;
          outcomes.push(
            raw
              ? this.planInSavepoint(raw, write.plan)
              : { ok: false, error: new Error('runPlan needs a database opened by openDatabase()') },
          );
          continue;
        }
        await sql`savepoint write`.execute(trx);
        try {
          outcomes.push({ ok: true, value: await write.run(trx) });
          await sql`release write`.execute(trx);
        } catch (error) {
          if (isDatabaseTrouble(error)) throw error; // the whole run is retried, in order (see flush)
          await sql`rollback to write`.execute(trx);
          await sql`release write`.execute(trx);
          outcomes.push({ ok: false, error });
        }
      }
    });
    return outcomes;
  }
}

/** A plan's statements on a kysely transaction, with the checks RawSqlite.runPlan makes. */
async function planThroughKysely(trx: Transaction<Database>, plan: WritePlan): Promise<number | undefined> {
  let value: number | undefined;
  for (const s of plan.statements) {
    const result = await trx.executeQuery(CompiledQuery.raw(s.sql, [...s.params]));
    if (s.mustChange && (result.numAffectedRows ?? 0n) === 0n)
      throw plan.noChange?.() ?? new Error(NO_CHANGE);
    if (s.returnsRowid) value = Number(result.insertId);
  }
  return value;
}

function fromWorker(outcome: PlanOutcome, plan: WritePlan): Outcome {
  if (outcome.ok) return { ok: true, value: outcome.value };
  if (outcome.error.code === NO_CHANGE)
    return { ok: false, error: plan.noChange?.() ?? toError(outcome.error) };
  return { ok: false, error: toError(outcome.error) };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Trouble with the database rather than with the writes: the disk full, an I/O error, the file locked by
 * someone else or unwritable, the write worker gone. It passes, so the writes are kept and retried. (A
 * constraint or SQL error would fail again on every retry: that is refused as before.)
 */
export function isDatabaseTrouble(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string') {
    return TROUBLE_CODES.test(code);
  }
  return /database write worker/.test(messageOf(error));
}
