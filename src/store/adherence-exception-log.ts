import type { Kysely, Selectable } from 'kysely';
import type { AgentStateType } from '../agents/seat.js';
import type { AdherenceExceptionsTable, Database } from './schema.js';

/** One time an agent's seat was off their roster past the grace period, as kept. */
export interface AdherenceExceptionRecord {
  id: number;
  agentId: string;
  shiftId: string;
  activity: 'working' | 'break';
  label: string | null;
  /** When the seat stopped keeping to the roster. */
  since: number;
  /** When supervisors were told. */
  toldAt: number;
  /** The seat as last told while off the roster. */
  agentState: AgentStateType;
  /** When it kept to the roster again; null while it has not. */
  endedAt: number | null;
  endedState: AgentStateType | null;
}

/** Real-time adherence's exceptions on record: opened when told, the seat followed, closed when over. */
export class AdherenceExceptionLog {
  constructor(private readonly db: Kysely<Database>) {}

  /** A seat off its roster just told to supervisors; its id on record. */
  async opened(
    e: Pick<AdherenceExceptionRecord, 'agentId' | 'shiftId' | 'activity' | 'label' | 'since' | 'agentState'>,
    toldAt: number,
  ): Promise<number> {
    const row = await this.db
      .insertInto('adherence_exceptions')
      .values({
        agent_id: e.agentId,
        shift_id: e.shiftId,
        activity: e.activity,
        label: e.label,
        began_at: e.since,
        told_at: toldAt,
        agent_state: e.agentState,
        ended_at: null,
        ended_state: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Still off the roster, the seat changed (signed out, now not ready). */
  async seatChanged(id: number, state: AgentStateType): Promise<void> {
    await this.db
      .updateTable('adherence_exceptions')
      .set({ agent_state: state })
      .where('id', '=', id)
      .execute();
  }

  /** Keeping to the roster again (or nothing planned any more) from `at`. */
  async ended(id: number, at: number, state: AgentStateType): Promise<void> {
    await this.db
      .updateTable('adherence_exceptions')
      .set({ ended_at: at, ended_state: state })
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .execute();
  }

  /** The exceptions not over when the last run stopped (a restart picks them up). */
  async standing(): Promise<AdherenceExceptionRecord[]> {
    const rows = await this.db
      .selectFrom('adherence_exceptions')
      .selectAll()
      .where('ended_at', 'is', null)
      .orderBy('began_at')
      .execute();
    return rows.map(recordOf);
  }

  /** The exceptions that were standing at any time in [from, to) (one agent's if given), by start. */
  async between(from: number, to: number, agentId?: string): Promise<AdherenceExceptionRecord[]> {
    let query = this.db
      .selectFrom('adherence_exceptions')
      .selectAll()
      .where('began_at', '<', to)
      .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', from)]));
    if (agentId) query = query.where('agent_id', '=', agentId);
    return (await query.orderBy('began_at').orderBy('id').execute()).map(recordOf);
  }
}

function recordOf(row: Selectable<AdherenceExceptionsTable>): AdherenceExceptionRecord {
  return {
    id: row.id,
    agentId: row.agent_id,
    shiftId: row.shift_id,
    activity: row.activity,
    label: row.label,
    since: row.began_at,
    toldAt: row.told_at,
    agentState: row.agent_state,
    endedAt: row.ended_at,
    endedState: row.ended_state,
  };
}
