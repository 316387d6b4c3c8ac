import type { Kysely } from 'kysely';

/** Queue timing columns, queue definitions editable through the API, and the agent-state log (for time-in-state figures). */
export async function up(db: Kysely<unknown>): Promise<void> {
  // When the caller first entered a queue and when an agent was connected: queue figures derive from these.
  await db.schema.alterTable('interactions').addColumn('enqueued_at', 'integer').execute();
  await db.schema.alterTable('interactions').addColumn('connected_at', 'integer').execute();
  await db.schema
    .createTable('queues')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('agent_events')
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('from_state', 'text', (c) => c.notNull())
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('interaction_id', 'text')
    .execute();
  await db.schema
    .createIndex('agent_events_by_agent')
    .on('agent_events')
    .columns(['agent_id', 'at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('interactions').dropColumn('connected_at').execute();
  await db.schema.alterTable('interactions').dropColumn('enqueued_at').execute();
  await db.schema.dropTable('agent_events').execute();
  await db.schema.dropTable('queues').execute();
}
