import { type Kysely, sql } from 'kysely';

/**
 * An agent's part of a call they handed straight to a colleague (a blind or consulted transfer to an agent,
 * leaving a conference) when no queue stay keeps it: until now a call passed on twice (A → B → C) credited
 * the middle agent with nothing, since only queue stays and the call's last agent carried talk time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agent_call_parts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('interaction_id', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'integer', (c) => c.notNull())
    .addColumn('left_at', 'integer', (c) => c.notNull())
    .addColumn('talk_seconds', 'real', (c) => c.notNull())
    .addColumn('hold_seconds', 'real', (c) => c.notNull())
    .execute();
  // The agent report reads an agent's parts by when they began (from the index alone)...
  await sql`create index agent_call_parts_agent on agent_call_parts (agent_id, answered_at, id, talk_seconds, hold_seconds)`.execute(
    db,
  );
  // ...and a call's parts, to leave them out of what its last agent is credited with.
  await db.schema
    .createIndex('agent_call_parts_interaction')
    .on('agent_call_parts')
    .column('interaction_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('agent_call_parts').execute();
}
