import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { GroupCommit } from './group-commit.js';
import type { Database } from './schema.js';

/**
 * The runs of the service, so a run knows how long the service was away before it: from when the last
 * run stopped cleanly, or else from its last heartbeat (it crashed or was killed).
 */
export class ServiceRuns {
  readonly id = randomUUID();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly commit: GroupCommit = new GroupCommit(db),
  ) {}

  /** Records this run's start; resolves with when the previous run was last known alive, if any. */
  async begin(at: number): Promise<{ previousGoneAt: number | undefined }> {
    const previous = await this.db
      .selectFrom('service_runs')
      .select(['alive_at', 'stopped_at'])
      .orderBy('started_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    await this.commit.run((trx) =>
      trx.insertInto('service_runs').values({ id: this.id, started_at: at, alive_at: at }).execute(),
    );
    return { previousGoneAt: previous ? (previous.stopped_at ?? previous.alive_at) : undefined };
  }

  alive(at: number): Promise<unknown> {
    return this.commit.run((trx) =>
      trx.updateTable('service_runs').set({ alive_at: at }).where('id', '=', this.id).execute(),
    );
  }

  stopped(at: number): Promise<unknown> {
    return this.commit.run((trx) =>
      trx
        .updateTable('service_runs')
        .set({ alive_at: at, stopped_at: at })
        .where('id', '=', this.id)
        .execute(),
    );
  }
}
