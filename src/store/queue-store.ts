import type { Kysely } from 'kysely';
import type { QueueDefinition } from '../acd/schema.js';
import type { Database } from './schema.js';

/** Stored queue definitions. Callers validate before writing: this only persists what it is given. */
export class QueueStore {
  constructor(private readonly db: Kysely<Database>) {}

  async all(): Promise<QueueDefinition[]> {
    const rows = await this.db.selectFrom('queues').select('definition').orderBy('id').execute();
    return rows.map((r) => JSON.parse(r.definition) as QueueDefinition);
  }

  /** Writes every definition in one transaction: a set of queues changes together or not at all. */
  async replace(
    upserts: QueueDefinition[],
    removals: string[],
    source: 'config' | 'api',
    at: number,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const id of removals) await trx.deleteFrom('queues').where('id', '=', id).execute();
      for (const queue of upserts) {
        const row = { id: queue.id, definition: JSON.stringify(queue), source, updated_at: at };
        await trx
          .insertInto('queues')
          .values(row)
          .onConflict((oc) =>
            oc.column('id').doUpdateSet({ definition: row.definition, source, updated_at: at }),
          )
          .execute();
      }
    });
  }
}
