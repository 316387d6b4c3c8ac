import type { Kysely, Selectable } from 'kysely';
import type { SupervisorRef } from '../acd/router-types.js';
import type { CallerFlag } from '../supervision/caller-flags.js';
import { recordedSupervisor } from '../supervision/recorded-supervisor.js';
import type { CallerFlagsTable, Database } from './schema.js';

/** Agents' flags on callers, on record: each raised, and the supervisor's decision on it. */
export class CallerFlagLog {
  constructor(
    private readonly db: Kysely<Database>,
    /** A supervisor's name by id (the record keeps ids). */
    private readonly supervisor: (id: string) => SupervisorRef | undefined,
  ) {}

  async raised(flag: CallerFlag): Promise<void> {
    await this.db
      .insertInto('caller_flags')
      .values({
        id: flag.id,
        number: flag.number,
        interaction_id: flag.interactionId,
        agent_id: flag.agentId,
        reason: flag.reason,
        note: flag.note,
        flagged_at: flag.flaggedAt,
      })
      .execute();
  }

  /** Decisions on several flags (a block settles every flag on its number), all or none. */
  async decided(flags: readonly CallerFlag[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const flag of flags) {
        if (!flag.decision) continue;
        await trx
          .updateTable('caller_flags')
          .set({
            decided_at: flag.decision.at,
            decision: flag.decision.outcome,
            decided_by: flag.decision.by?.id ?? null,
            block_id: flag.decision.blockId ?? null,
          })
          .where('id', '=', flag.id)
          .where('decided_at', 'is', null)
          .execute();
      }
    });
  }

  /** Flags waiting for a decision (at start: kept through a restart), the oldest first. */
  async standing(): Promise<CallerFlag[]> {
    const rows = await this.db
      .selectFrom('caller_flags')
      .selectAll()
      .where('decided_at', 'is', null)
      .orderBy('flagged_at')
      .execute();
    return rows.map((row) => this.flagOf(row));
  }

  private flagOf(row: Selectable<CallerFlagsTable>): CallerFlag {
    const by = recordedSupervisor(this.supervisor, row.decided_by);
    return {
      id: row.id,
      number: row.number,
      interactionId: row.interaction_id,
      agentId: row.agent_id,
      reason: row.reason,
      note: row.note,
      flaggedAt: row.flagged_at,
      ...(row.decided_at === null || row.decision === null
        ? {}
        : {
            decision: {
              outcome: row.decision,
              at: row.decided_at,
              ...(by ? { by } : {}),
              ...(row.block_id ? { blockId: row.block_id } : {}),
            },
          }),
    };
  }
}
