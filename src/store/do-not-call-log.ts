import { setImmediate } from 'node:timers/promises';
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { SupervisorRef } from '../acd/router-types.js';
import type { DoNotCallEntry } from '../supervision/do-not-call.js';
import { recordedSupervisor } from '../supervision/recorded-supervisor.js';
import type { Database, DoNotCallTable } from './schema.js';

/** The do-not-call list on record: each entry, who noted it and on which call, and its removal. */
export class DoNotCallLog {
  constructor(
    private readonly db: Kysely<Database>,
    /** A supervisor's name by id (the record keeps ids). */
    private readonly supervisor: (id: string) => SupervisorRef | undefined,
  ) {}

  async added(entry: DoNotCallEntry): Promise<void> {
    await this.db.insertInto('do_not_call').values(rowOf(entry)).execute();
  }

  /** Many entries (a file), all together or none; the event loop let go between statements. */
  async addedMany(entries: readonly DoNotCallEntry[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      // SQLite takes at most 32,766 bound values a statement: 500 rows of 7 columns stay well inside.
      for (let i = 0; i < entries.length; i += 500) {
        if (i > 0) await setImmediate();
        await trx
          .insertInto('do_not_call')
          .values(entries.slice(i, i + 500).map(rowOf))
          .execute();
      }
    });
  }

  async removed(entry: DoNotCallEntry): Promise<void> {
    await this.db
      .updateTable('do_not_call')
      .set({ removed_at: entry.removedAt ?? null, removed_by: entry.removedBy?.id ?? null })
      .where('id', '=', entry.id)
      .execute();
  }

  /** The entries standing (not removed), the newest first. */
  async standing(): Promise<DoNotCallEntry[]> {
    const rows = await this.db
      .selectFrom('do_not_call')
      .selectAll()
      .where('removed_at', 'is', null)
      .orderBy('added_at', 'desc')
      .execute();
    return rows.map((row) => this.entryOf(row));
  }

  private entryOf(row: Selectable<DoNotCallTable>): DoNotCallEntry {
    const supervisor = recordedSupervisor(this.supervisor, row.added_by_supervisor);
    const removedBy = recordedSupervisor(this.supervisor, row.removed_by);
    return {
      id: row.id,
      number: row.number,
      note: row.note,
      addedAt: row.added_at,
      by:
        row.added_by_agent !== null
          ? { type: 'agent', agentId: row.added_by_agent }
          : { type: 'supervisor', ...(supervisor ? { supervisor } : {}) },
      interactionId: row.interaction_id,
      ...(row.removed_at === null ? {} : { removedAt: row.removed_at }),
      ...(removedBy ? { removedBy } : {}),
    };
  }
}

function rowOf(entry: DoNotCallEntry): Insertable<DoNotCallTable> {
  return {
    id: entry.id,
    number: entry.number,
    note: entry.note,
    added_at: entry.addedAt,
    added_by_agent: entry.by.type === 'agent' ? entry.by.agentId : null,
    added_by_supervisor: entry.by.type === 'supervisor' ? (entry.by.supervisor?.id ?? null) : null,
    interaction_id: entry.interactionId,
  };
}
