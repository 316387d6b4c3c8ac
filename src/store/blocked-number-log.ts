import type { Kysely, Selectable } from 'kysely';
import type { SupervisorRef } from '../acd/router-types.js';
import type { NumberBlock } from '../supervision/blocked-numbers.js';
import { recordedSupervisor } from '../supervision/recorded-supervisor.js';
import type { BlockedNumbersTable, Database } from './schema.js';

/** Numbers supervisors blocked, on record: each block, its lifting, and the calls it turned away. */
export class BlockedNumberLog {
  constructor(
    private readonly db: Kysely<Database>,
    /** A supervisor's name by id (the record keeps ids). */
    private readonly supervisor: (id: string) => SupervisorRef | undefined,
  ) {}

  async added(block: NumberBlock): Promise<void> {
    await this.db
      .insertInto('blocked_numbers')
      .values({
        id: block.id,
        number: block.number,
        reason: block.reason,
        blocked_at: block.blockedAt,
        blocked_by: block.by?.id ?? null,
        until: block.until,
      })
      .execute();
  }

  async lifted(block: NumberBlock): Promise<void> {
    await this.db
      .updateTable('blocked_numbers')
      .set({ lifted_at: block.liftedAt ?? null, lifted_by: block.liftedBy?.id ?? null })
      .where('id', '=', block.id)
      .execute();
  }

  async turnedAway(block: NumberBlock): Promise<void> {
    await this.db
      .updateTable('blocked_numbers')
      .set({ turned_away: block.turnedAway, last_turned_away_at: block.lastTurnedAwayAt })
      .where('id', '=', block.id)
      .execute();
  }

  /** Blocks standing at `now` (not lifted, not run out). */
  async standing(now: number): Promise<NumberBlock[]> {
    const rows = await this.db
      .selectFrom('blocked_numbers')
      .selectAll()
      .where('lifted_at', 'is', null)
      .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', now)]))
      .orderBy('blocked_at', 'desc')
      .execute();
    return rows.map((row) => this.blockOf(row));
  }

  private blockOf(row: Selectable<BlockedNumbersTable>): NumberBlock {
    const who = (id: string | null) => recordedSupervisor(this.supervisor, id);
    const by = who(row.blocked_by);
    const liftedBy = who(row.lifted_by);
    return {
      id: row.id,
      number: row.number,
      reason: row.reason,
      blockedAt: row.blocked_at,
      until: row.until,
      ...(by ? { by } : {}),
      turnedAway: row.turned_away,
      lastTurnedAwayAt: row.last_turned_away_at,
      ...(row.lifted_at === null ? {} : { liftedAt: row.lifted_at }),
      ...(liftedBy ? { liftedBy } : {}),
    };
  }
}
