import { type Kysely, sql } from 'kysely';

/**
 * The agent report reads an agent's handled calls a page at a time, by when they were answered and then
 * by id: an index in that order (handled calls only, with the figures it reads) lets each page seek where
 * the last one ended instead of sorting or stepping over what was read. It replaces the index that had the
 * disposition, talk and hold between the time and the id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('interactions_agent_answered').execute();
  await sql`create index "interactions_agent_handled" on "interactions" (
    "agent_id", coalesce("connected_at", "answered_at", "started_at"), "id", "talk_seconds", "hold_seconds"
  ) where "disposition" = 'handled'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('interactions_agent_handled').execute();
  await sql`create index "interactions_agent_answered" on "interactions" (
    "agent_id", coalesce("connected_at", "answered_at", "started_at"), "disposition", "talk_seconds", "hold_seconds",
    "id"
  )`.execute(db);
}
