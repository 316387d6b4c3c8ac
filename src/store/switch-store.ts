import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A switch's state as last set. */
export interface StoredSwitch {
  on: boolean;
  changedAt: number;
  supervisorId?: string;
}

/** Switches' states (config `switches`), kept so a restart keeps an emergency closure on. */
export class SwitchStore {
  constructor(private readonly db: Kysely<Database>) {}

  async all(): Promise<Map<string, StoredSwitch>> {
    const rows = await this.db.selectFrom('switches').selectAll().execute();
    return new Map(
      rows.map((r) => [
        r.id,
        {
          on: r.on === 1,
          changedAt: r.changed_at,
          ...(r.changed_by_supervisor !== null ? { supervisorId: r.changed_by_supervisor } : {}),
        },
      ]),
    );
  }

  async put(id: string, state: StoredSwitch): Promise<void> {
    const values = {
      on: state.on ? 1 : 0,
      changed_at: state.changedAt,
      changed_by_supervisor: state.supervisorId ?? null,
    };
    await this.db
      .insertInto('switches')
      .values({ id, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
  }
}
