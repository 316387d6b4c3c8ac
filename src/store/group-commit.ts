import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';

interface PendingWrite {
  run: (trx: Transaction<Database>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: every write queued in the same turn of the event loop is committed in one transaction,
 * so one fsync covers them all. better-sqlite3 is synchronous, so a commit per write (with
 * synchronous=FULL) would block the event loop once per timeline entry — at tens of calls per second
 * that is most of the loop. Each write still resolves only after its transaction is durable, and each
 * runs in its own savepoint, so one failing write (e.g. an unknown interaction) rolls back alone.
 */
export class GroupCommit {
  private pending: PendingWrite[] = [];
  private scheduled = false;

  constructor(private readonly db: Kysely<Database>) {}

  run<T>(write: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run: write, resolve: resolve as (value: unknown) => void, reject });
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
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const write of batch) {
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
}
