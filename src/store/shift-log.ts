import type { Kysely, Selectable } from 'kysely';
import type { SupervisorRef } from '../acd/router-types.js';
import type { Shift } from '../agents/shifts.js';
import { recordedSupervisor } from '../supervision/recorded-supervisor.js';
import type { Database, ShiftsTable } from './schema.js';

/** A shift as kept, with who put it on the roster. */
export interface ShiftOnRecord extends Shift {
  /** Absent on the supervisor token. */
  by?: SupervisorRef;
}

/** The agents' roster: shifts added (a list at once, all or none) and removed. */
export class ShiftLog {
  constructor(
    private readonly db: Kysely<Database>,
    /** A supervisor's name by id (the record keeps ids). */
    private readonly supervisor: (id: string) => SupervisorRef | undefined,
  ) {}

  /** Shifts of one roster request, in one transaction: all on record, or none. */
  async added(shifts: readonly Shift[], by: SupervisorRef | undefined): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const s of shifts) {
        await trx
          .insertInto('shifts')
          .values({
            id: s.id,
            agent_id: s.agentId,
            start_at: s.start,
            end_at: s.end,
            note: s.note,
            created_at: s.createdAt,
            created_by: by?.id ?? null,
          })
          .execute();
      }
    });
  }

  /** The shift removed, or undefined when there was none. */
  async removed(id: string): Promise<ShiftOnRecord | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('shifts').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      await trx.deleteFrom('shifts').where('id', '=', id).execute();
      return this.shiftOf(row);
    });
  }

  /** Shifts that overlap [from, to), by start; one agent's when named. */
  async overlapping(from: number, to: number, agentId?: string): Promise<ShiftOnRecord[]> {
    let query = this.db
      .selectFrom('shifts')
      .selectAll()
      .where('start_at', '<', to)
      .where('end_at', '>', from);
    if (agentId !== undefined) query = query.where('agent_id', '=', agentId);
    const rows = await query.orderBy('start_at').orderBy('agent_id').execute();
    return rows.map((row) => this.shiftOf(row));
  }

  private shiftOf(row: Selectable<ShiftsTable>): ShiftOnRecord {
    const by = recordedSupervisor(this.supervisor, row.created_by);
    return {
      id: row.id,
      agentId: row.agent_id,
      start: row.start_at,
      end: row.end_at,
      note: row.note,
      createdAt: row.created_at,
      ...(by ? { by } : {}),
    };
  }
}
