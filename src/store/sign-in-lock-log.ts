import type { Kysely, Selectable } from 'kysely';
import type { SupervisorRef } from '../acd/router-types.js';
import { recordedSupervisor } from '../supervision/recorded-supervisor.js';
import type { SignInAccount, SignInLock } from '../supervision/sign-in-locks.js';
import type { Database, SignInLocksTable } from './schema.js';

/** A lock as it was on record: the lock, and its lifting before it ran out. */
export interface RecordedSignInLock extends SignInLock {
  liftedAt?: number;
  /** Who lifted it; absent on the supervisor token (or when it ran out). */
  liftedBy?: SupervisorRef;
}

/** Sign-in locks on record: each raised, and lifted; those in force are restored at start. */
export class SignInLockLog {
  constructor(
    private readonly db: Kysely<Database>,
    /** A supervisor's name by id (the record keeps ids). */
    private readonly supervisor: (id: string) => SupervisorRef | undefined,
  ) {}

  async raised(lock: SignInLock): Promise<void> {
    await this.db
      .insertInto('sign_in_locks')
      .values({
        lock_id: lock.id,
        account: JSON.stringify(lock.account ?? null),
        address: lock.address,
        failures: lock.failures,
        strike: lock.strike,
        channel: lock.channel,
        locked_at: lock.lockedAt,
        until: lock.until,
      })
      .execute();
  }

  async lifted(lock: SignInLock, at: number, by?: SupervisorRef): Promise<void> {
    await this.db
      .updateTable('sign_in_locks')
      .set({ lifted_at: at, lifted_by: by?.id ?? null })
      .where('lock_id', '=', lock.id)
      .where('locked_at', '=', lock.lockedAt)
      .execute();
  }

  /** The locks in force at `now` (not lifted, not run out), the newest first. */
  async standing(now: number): Promise<SignInLock[]> {
    const rows = await this.db
      .selectFrom('sign_in_locks')
      .selectAll()
      .where('lifted_at', 'is', null)
      .where('until', '>', now)
      .orderBy('locked_at', 'desc')
      .execute();
    return rows.map((row) => this.lockOf(row));
  }

  /** The locks raised in [from, to), the newest first, at most `limit`. */
  async list(range: { from: number; to: number; limit: number }): Promise<RecordedSignInLock[]> {
    const rows = await this.db
      .selectFrom('sign_in_locks')
      .selectAll()
      .where('locked_at', '>=', range.from)
      .where('locked_at', '<', range.to)
      .orderBy('locked_at', 'desc')
      .limit(range.limit)
      .execute();
    return rows.map((row) => {
      const liftedBy = recordedSupervisor(this.supervisor, row.lifted_by);
      return {
        ...this.lockOf(row),
        ...(row.lifted_at === null ? {} : { liftedAt: row.lifted_at }),
        ...(liftedBy ? { liftedBy } : {}),
      };
    });
  }

  private lockOf(row: Selectable<SignInLocksTable>): SignInLock {
    const account = JSON.parse(row.account) as SignInAccount | null;
    return {
      id: row.lock_id,
      ...(account ? { account } : {}),
      address: row.address,
      failures: row.failures,
      strike: row.strike,
      lockedAt: row.locked_at,
      until: row.until,
      channel: row.channel === 'sip' ? 'sip' : 'api',
    };
  }
}
