import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SupervisorRef } from '../acd/router-types.js';
import { recordedSupervisor } from '../supervision/recorded-supervisor.js';
import type { WallDisplay } from '../supervision/wall-displays.js';
import type { Database } from './schema.js';

/** A new display's id: random, so a withdrawn display's key never opens a later one. */
export const newWallDisplayId = (): string => `wd-${randomBytes(8).toString('hex')}`;

/** Wall displays on record: each made and withdrawn; those standing are restored at start. */
export class WallDisplayLog {
  constructor(
    private readonly db: Kysely<Database>,
    /** A supervisor's name by id (the record keeps ids). */
    private readonly supervisor: (id: string) => SupervisorRef | undefined,
  ) {}

  async made(display: WallDisplay): Promise<void> {
    await this.db
      .insertInto('wall_displays')
      .values({
        display_id: display.id,
        name: display.name,
        created_at: display.createdAt,
        created_by: display.createdBy?.id ?? null,
        queue_ids: display.queueIds ? JSON.stringify(display.queueIds) : null,
      })
      .execute();
  }

  /** The display shows these queues from now on (null: every queue). */
  async queuesShown(id: string, queueIds: readonly string[] | null): Promise<void> {
    await this.db
      .updateTable('wall_displays')
      .set({ queue_ids: queueIds ? JSON.stringify(queueIds) : null })
      .where('display_id', '=', id)
      .execute();
  }

  async withdrawn(id: string, at: number, by?: SupervisorRef): Promise<void> {
    await this.db
      .updateTable('wall_displays')
      .set({ withdrawn_at: at, withdrawn_by: by?.id ?? null })
      .where('display_id', '=', id)
      .where('withdrawn_at', 'is', null)
      .execute();
  }

  /** The displays not withdrawn, the oldest first. */
  async standing(): Promise<WallDisplay[]> {
    const rows = await this.db
      .selectFrom('wall_displays')
      .selectAll()
      .where('withdrawn_at', 'is', null)
      .orderBy('created_at')
      .execute();
    return rows.map((row) => {
      const createdBy = recordedSupervisor(this.supervisor, row.created_by);
      return {
        id: row.display_id,
        name: row.name,
        createdAt: row.created_at,
        ...(createdBy ? { createdBy } : {}),
        ...(row.queue_ids === null ? {} : { queueIds: JSON.parse(row.queue_ids) as string[] }),
      };
    });
  }
}
