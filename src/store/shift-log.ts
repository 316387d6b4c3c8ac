import type { Kysely, Selectable } from 'kysely';
import type { SupervisorRef } from '../acd/router-types.js';
import type { Shift, ShiftBreak } from '../agents/shifts.js';
import { recordedSupervisor } from '../supervision/recorded-supervisor.js';
import type { Database, ShiftsTable } from './schema.js';

/** A shift as kept, with who put it on the roster. */
export interface ShiftOnRecord extends Shift {
  /** Absent on the supervisor token. */
  by?: SupervisorRef;
}

/** The agents' roster: shifts with their breaks, added (a list at once, all or none), changed and removed. */
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
        await this.insertBreaks(trx, s);
      }
    });
  }

  /** The shift with this id, or undefined. */
  async byId(id: string): Promise<ShiftOnRecord | undefined> {
    const row = await this.db.selectFrom('shifts').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? this.shiftOf(row, (await this.breaksOf(this.db, [id])).get(id)) : undefined;
  }

  /** A shift's agent, times, note and breaks as now given (who put it on stays), in one transaction. */
  async changed(shift: Shift): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('shifts')
        .set({ agent_id: shift.agentId, start_at: shift.start, end_at: shift.end, note: shift.note })
        .where('id', '=', shift.id)
        .execute();
      await trx.deleteFrom('shift_breaks').where('shift_id', '=', shift.id).execute();
      await this.insertBreaks(trx, shift);
    });
  }

  private async insertBreaks(trx: Kysely<Database>, shift: Shift): Promise<void> {
    for (const b of shift.breaks)
      await trx
        .insertInto('shift_breaks')
        .values({ shift_id: shift.id, start_at: b.start, end_at: b.end, label: b.label })
        .execute();
  }

  /** The shift removed, or undefined when there was none. */
  async removed(id: string): Promise<ShiftOnRecord | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('shifts').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      const breaks = await this.breaksOf(trx, [id]);
      await trx.deleteFrom('shift_breaks').where('shift_id', '=', id).execute();
      await trx.deleteFrom('shifts').where('id', '=', id).execute();
      return this.shiftOf(row, breaks.get(id));
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
    const breaks = await this.breaksOf(
      this.db,
      rows.map((r) => r.id),
    );
    return rows.map((row) => this.shiftOf(row, breaks.get(row.id)));
  }

  /** The breaks of these shifts, by shift, each shift's by start. */
  private async breaksOf(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, ShiftBreak[]>> {
    const byShift = new Map<string, ShiftBreak[]>();
    // A month's roster can name thousands of shifts: asked in slices, under SQLite's bound-parameter limit.
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db
        .selectFrom('shift_breaks')
        .selectAll()
        .where('shift_id', 'in', ids.slice(i, i + 500))
        .orderBy('start_at')
        .execute();
      for (const row of rows) {
        const list = byShift.get(row.shift_id) ?? [];
        list.push({ start: row.start_at, end: row.end_at, label: row.label });
        byShift.set(row.shift_id, list);
      }
    }
    return byShift;
  }

  private shiftOf(row: Selectable<ShiftsTable>, breaks: ShiftBreak[] = []): ShiftOnRecord {
    const by = recordedSupervisor(this.supervisor, row.created_by);
    return {
      id: row.id,
      agentId: row.agent_id,
      start: row.start_at,
      end: row.end_at,
      note: row.note,
      createdAt: row.created_at,
      breaks,
      ...(by ? { by } : {}),
    };
  }
}
