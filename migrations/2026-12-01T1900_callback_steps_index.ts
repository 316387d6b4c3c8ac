import { type Kysely, sql } from 'kysely';

/**
 * Finds callback requests still open when the service starts (their `acd.callback` steps), to put them
 * back in line. Partial: only those steps are indexed, so the other timeline writes pay nothing for it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index "interaction_events_callback_steps" on "interaction_events" ("interaction_id", "seq") where "type" = 'acd.callback'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('interaction_events_callback_steps').execute();
}
