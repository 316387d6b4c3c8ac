import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { CONNECTION_PRAGMAS, NO_CHANGE, type PlannedStatement, type WritePlan } from './raw-sqlite.js';

/** SQLite error codes of trouble with the database itself rather than with one write (it passes). */
export const TROUBLE_CODES = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|READONLY|CANTOPEN|PROTOCOL|NOLFS|NOMEM)/;

/** How one plan of a batch ended, as the worker reports it. */
export interface WorkerError {
  name: string;
  message: string;
  code?: string;
}
export type PlanOutcome = { ok: true; value: number | undefined } | { ok: false; error: WorkerError };

/**
 * The worker's side, plain CommonJS so it runs the same under tsx, vitest and the compiled build: its own
 * connection to the database file, the same pragmas, prepared statements kept, and per batch one
 * transaction with a savepoint per plan (a failing plan rolls back alone), committed with one fsync.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.path);
for (const pragma of workerData.pragmas) db.pragma(pragma);
const cache = new Map();
const st = (sql) => {
  let s = cache.get(sql);
  if (!s) { s = db.prepare(sql); cache.set(sql, s); }
  return s;
};
// Statements arrive by number; the first message that uses one carries its SQL too. Every new one is
// prepared before any runs: a plan that fails part-way must not leave a later statement unprepared, since
// later messages send only its number.
const byNumber = new Map();
const numbered = (s) => byNumber.get(s.n);
const TROUBLE = new RegExp(${JSON.stringify(TROUBLE_CODES.source)});
const describe = (e) => ({ name: (e && e.name) || 'Error', message: String((e && e.message) || e), code: e && e.code });
parentPort.on('message', ({ id, plans }) => {
  const outcomes = [];
  try {
    for (const statements of plans) {
      for (const s of statements) if (s.sql !== undefined) byNumber.set(s.n, db.prepare(s.sql));
    }
    st('begin').run();
    for (const statements of plans) {
      st('savepoint write').run();
      try {
        let value;
        for (const s of statements) {
          const r = numbered(s).run(...s.params);
          if (s.mustChange && r.changes === 0) throw Object.assign(new Error(${JSON.stringify(NO_CHANGE)}), { code: ${JSON.stringify(NO_CHANGE)} });
          if (s.returnsRowid) value = Number(r.lastInsertRowid);
        }
        st('release write').run();
        outcomes.push({ ok: true, value });
      } catch (e) {
        // Trouble with the database, not this write (see isDatabaseTrouble): the whole batch is retried.
        if (e && typeof e.code === 'string' && TROUBLE.test(e.code)) throw e;
        st('rollback to write').run();
        st('release write').run();
        outcomes.push({ ok: false, error: describe(e) });
      }
    }
    st('commit').run();
    parentPort.postMessage({ id, outcomes });
  } catch (e) {
    try { if (db.inTransaction) st('rollback').run(); } catch {}
    parentPort.postMessage({ id, error: describe(e) });
  }
});
`;

interface WireStatement {
  n: number;
  sql?: string;
  params: PlannedStatement['params'];
  mustChange?: boolean;
  returnsRowid?: boolean;
}

interface InFlight {
  resolve: (outcomes: PlanOutcome[]) => void;
  reject: (error: Error) => void;
}

/**
 * Commits write plans on a worker thread with its own connection, so the fsync of each commit
 * (synchronous=FULL) and WAL checkpoints no longer stop the event loop; writes queued meanwhile form the
 * next batch. A batch resolves only once its transaction is durable, as before.
 */
export class WriteWorker {
  private readonly worker: Worker;
  private readonly inFlight = new Map<number, InFlight>();
  private nextId = 1;
  private readonly numbers = new Map<string, number>();
  private failed: Error | undefined;

  constructor(path: string) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        path,
        pragmas: [...CONNECTION_PRAGMAS],
        betterSqlite3: createRequire(import.meta.url).resolve('better-sqlite3'),
      },
      // The loader flags of the parent (tsx, profiling) are of no use to this plain-JS worker.
      execArgv: [],
    });
    this.worker.unref();
    this.worker.on('message', (m: { id: number; outcomes?: PlanOutcome[]; error?: WorkerError }) => {
      const pending = this.inFlight.get(m.id);
      if (!pending) return;
      this.inFlight.delete(m.id);
      if (this.inFlight.size === 0) this.worker.unref();
      if (m.outcomes) pending.resolve(m.outcomes);
      else pending.reject(toError(m.error));
    });
    const fail = (error: Error) => {
      this.failed = error;
      for (const pending of this.inFlight.values()) pending.reject(error);
      this.inFlight.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the database write worker exited (${code})`)));
  }

  /** False once the worker has died; the caller then writes on its own thread. */
  get usable(): boolean {
    return this.failed === undefined;
  }

  commit(plans: WritePlan[]): Promise<PlanOutcome[]> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    const statements = plans.map((p) => p.statements.map((s) => this.wire(s)));
    return new Promise((resolve, reject) => {
      this.inFlight.set(id, { resolve, reject });
      // Held open while a batch is in flight, so its answer is awaited even with nothing else to do.
      this.worker.ref();
      this.worker.postMessage({ id, plans: statements });
    });
  }

  /** A statement as sent: its number, and its SQL only the first time (less to copy per message). */
  private wire(s: PlannedStatement): WireStatement {
    let n = this.numbers.get(s.sql);
    const first = n === undefined;
    if (n === undefined) {
      n = this.numbers.size + 1;
      this.numbers.set(s.sql, n);
    }
    return {
      n,
      ...(first ? { sql: s.sql } : {}),
      params: s.params,
      mustChange: s.mustChange,
      returnsRowid: s.returnsRowid,
    };
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** The worker's description of an error, as an Error on this thread (name and code kept). */
export function toError(error: WorkerError | undefined): Error {
  const e = new Error(error?.message ?? 'database write failed');
  e.name = error?.name ?? 'Error';
  if (error?.code) Object.assign(e, { code: error.code });
  return e;
}
