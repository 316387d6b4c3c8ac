import { type Kysely, sql } from 'kysely';

/**
 * Each answered stay keeps its own agent, talk, hold and wrap-up. A caller an agent sends on to another
 * queue has two answered stays; until now both carried the whole call's talk and every wrap-up, and only
 * the last agent was credited. Stays on record before this keep null here and are read as they were.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [column, type] of [
    ['agent_id', 'text'],
    ['talk_seconds', 'real'],
    ['hold_seconds', 'real'],
    ['wrap_seconds', 'real'],
  ] as const) {
    await db.schema.alterTable('queue_visits').addColumn(column, type).execute();
  }
  // The agent report reads an agent's answered stays by when they were answered...
  await sql`create index queue_visits_agent_answered on queue_visits (agent_id, answered_at, talk_seconds, hold_seconds)
            where agent_id is not null`.execute(db);
  // ...and their other calls with the call's id too (to leave out those a stay already counts), still from
  // the index alone.
  await db.schema.dropIndex('interactions_agent_answered').execute();
  await sql`create index "interactions_agent_answered" on "interactions" (
    "agent_id", coalesce("connected_at", "answered_at", "started_at"), "disposition", "talk_seconds", "hold_seconds",
    "id"
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('interactions_agent_answered').execute();
  await sql`create index "interactions_agent_answered" on "interactions" (
    "agent_id", coalesce("connected_at", "answered_at", "started_at"), "disposition", "talk_seconds", "hold_seconds"
  )`.execute(db);
  await db.schema.dropIndex('queue_visits_agent_answered').execute();
  for (const column of ['wrap_seconds', 'hold_seconds', 'talk_seconds', 'agent_id']) {
    await db.schema.alterTable('queue_visits').dropColumn(column).execute();
  }
}
