import { type Kysely, sql } from 'kysely';

/**
 * The queue report counts callbacks booked, kept and failed per hour or day: their `acd.callback` steps by
 * time. Partial, as the steps' other index: the other timeline writes pay nothing for it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index "interaction_events_callback_steps_at" on "interaction_events" ("at") where "type" = 'acd.callback'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('interaction_events_callback_steps_at').execute();
}
