import { type Kysely, sql } from 'kysely';

/**
 * Reads the service makes at start-up or on every call, measured a year into a busy log (1.1 million calls,
 * 3.9 million agent state changes; `npm run bench:reports`), each of which read a whole table or sorted a
 * whole range:
 * - each agent's last state change, when a restart gives seats back (1.5 s, every change read);
 * - queue calls each agent was connected to today, for fewest-calls after a restart (3.8 s);
 * - a caller's latest calls for the screen pop (every call of that number sorted: ~1 s for a number that
 *   has called a lot, "anonymous" for one);
 * - the recordings past their retention (every call read, on each sweep).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('agent_events_by_agent_seq')
    .on('agent_events')
    .columns(['agent_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('interactions_connected_at')
    .on('interactions')
    .column('connected_at')
    .execute();
  await db.schema.dropIndex('interactions_caller_number').execute();
  await db.schema
    .createIndex('interactions_caller_number')
    .on('interactions')
    .columns(['caller_number', 'started_at'])
    .execute();
  await sql`create index "interactions_recordings" on "interactions" ("started_at") where "recording_path" is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('interactions_recordings').execute();
  await db.schema.dropIndex('interactions_caller_number').execute();
  await db.schema
    .createIndex('interactions_caller_number')
    .on('interactions')
    .column('caller_number')
    .execute();
  await db.schema.dropIndex('interactions_connected_at').execute();
  await db.schema.dropIndex('agent_events_by_agent_seq').execute();
}
