import type { Kysely, Selectable } from 'kysely';
import type { SupervisorRef } from '../acd/router-types.js';
import type { EndedOverstay, Overstay } from '../supervision/break-overstays.js';
import { recordedTakenOn } from '../supervision/taken-on.js';
import type { OVERSTAY_EVENTS } from '../webhooks/delivery.js';
import type { BreakOverstaysTable, Database } from './schema.js';

/** An overstay as the record has it: standing (`endedAt` null) or ended. */
export type OverstayRecord = Overstay & { endedAt: number | null; endedTo: string | null };

/** One agent's overstays over a range: how many, how long over in all, the longest. */
export interface OverstayTotals {
  agentId: string;
  count: number;
  overSeconds: number;
  longestSeconds: number;
}

/** Not-ready periods past their limit on record: each written as it begins and as it ends. */
export class BreakOverstayLog {
  constructor(
    private readonly db: Kysely<Database>,
    /** A supervisor's name by id (the record keeps ids; one no longer configured keeps their id). */
    private readonly supervisor: (id: string) => SupervisorRef | undefined = () => undefined,
  ) {}

  /**
   * Set by the service: told once an overstay's change is written (a trigger wrote the webhooks' deliveries
   * of it in the same statement; the dispatcher reads them).
   */
  written: ((type: (typeof OVERSTAY_EVENTS)[number]) => void) | undefined;

  async started(overstay: Overstay): Promise<void> {
    await this.db
      .insertInto('break_overstays')
      .values({
        id: overstay.id,
        agent_id: overstay.agentId,
        reason: overstay.reason,
        limit_minutes: overstay.limitMinutes,
        not_ready_since: overstay.since,
        due_at: overstay.dueAt,
      })
      .execute();
    this.written?.('agent.overstay.started');
  }

  async ended(overstay: EndedOverstay): Promise<void> {
    const result = await this.db
      .updateTable('break_overstays')
      .set({ ended_at: overstay.endedAt, ended_to: overstay.endedTo })
      .where('id', '=', overstay.id)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) this.written?.('agent.overstay.ended');
  }

  /** A supervisor took the agent's standing overstay on (`by`: their id; null on the token). */
  async acknowledged(id: string, at: number, by: string | null): Promise<void> {
    const result = await this.db
      .updateTable('break_overstays')
      .set({ acknowledged_at: at, acknowledged_by: by })
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .where('acknowledged_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) this.written?.('agent.overstay.acknowledged');
  }

  /** The overstays a previous run left standing. */
  async open(): Promise<OverstayRecord[]> {
    const rows = await this.db
      .selectFrom('break_overstays')
      .selectAll()
      .where('ended_at', 'is', null)
      .orderBy('due_at')
      .execute();
    return rows.map((r) => this.toRecord(r));
  }

  /** Overstays that began (came due) in [from, to), oldest first. */
  async list(query: {
    from: number;
    to: number;
    agentId?: string;
    limit: number;
  }): Promise<OverstayRecord[]> {
    let q = this.db
      .selectFrom('break_overstays')
      .selectAll()
      .where('due_at', '>=', query.from)
      .where('due_at', '<', query.to);
    if (query.agentId !== undefined) q = q.where('agent_id', '=', query.agentId);
    const rows = await q.orderBy('due_at').orderBy('id').limit(query.limit).execute();
    return rows.map((r) => this.toRecord(r));
  }

  /**
   * Each agent's overstays that began in [from, to): a standing one counts up to `now`. The most over
   * first.
   */
  async totals(query: {
    from: number;
    to: number;
    agentId?: string;
    now: number;
  }): Promise<OverstayTotals[]> {
    let q = this.db
      .selectFrom('break_overstays')
      .select((eb) => {
        const over = eb.fn<number>('max', [
          eb.lit(0),
          eb(eb.fn.coalesce('ended_at', eb.val(query.now)), '-', eb.ref('due_at')),
        ]);
        return [
          'agent_id',
          eb.fn.countAll<number>().as('count'),
          eb.fn.sum<number>(over).as('over_ms'),
          eb.fn.max<number>(over).as('longest_ms'),
        ];
      })
      .where('due_at', '>=', query.from)
      .where('due_at', '<', query.to);
    if (query.agentId !== undefined) q = q.where('agent_id', '=', query.agentId);
    const rows = await q.groupBy('agent_id').execute();
    return rows
      .map((r) => ({
        agentId: r.agent_id,
        count: Number(r.count),
        overSeconds: Math.floor(Number(r.over_ms) / 1000),
        longestSeconds: Math.floor(Number(r.longest_ms) / 1000),
      }))
      .sort((a, b) => b.overSeconds - a.overSeconds || a.agentId.localeCompare(b.agentId));
  }

  private toRecord(r: Selectable<BreakOverstaysTable>): OverstayRecord {
    return {
      id: r.id,
      agentId: r.agent_id,
      reason: r.reason,
      limitMinutes: r.limit_minutes,
      since: r.not_ready_since,
      dueAt: r.due_at,
      endedAt: r.ended_at,
      endedTo: r.ended_to,
      ...recordedTakenOn(this.supervisor, r.acknowledged_at, r.acknowledged_by),
    };
  }
}
