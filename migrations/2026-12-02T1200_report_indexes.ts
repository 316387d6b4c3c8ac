import { type Kysely, sql } from 'kysely';

/**
 * The agent report finds an agent's handled calls by when they were answered (the connect, or for older
 * rows the answer or the start). With only (agent_id, started_at) to go on, a month's report read every
 * call the agent ever took before the month's end (~0.1 s per agent a year into a busy log). The figures
 * it reads are in the index too, so the rows themselves are not read at all.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index "interactions_agent_answered" on "interactions" (
    "agent_id", coalesce("connected_at", "answered_at", "started_at"), "disposition", "talk_seconds", "hold_seconds"
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('interactions_agent_answered').execute();
}
