import { type Kysely, sql } from 'kysely';

/** One row per contact, and the append-only timeline of everything that happened to it. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('interactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('direction', 'text', (c) =>
      c.notNull().check(sql`direction in ('inbound','outbound','callback','voicemail')`),
    )
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open','closed')`))
    .addColumn('channel_id', 'text')
    .addColumn('trunk', 'text')
    .addColumn('caller_number', 'text')
    .addColumn('caller_name', 'text')
    .addColumn('dialed_number', 'text')
    .addColumn('started_at', 'integer', (c) => c.notNull())
    .addColumn('answered_at', 'integer')
    .addColumn('ended_at', 'integer')
    .addColumn('ivr_path', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('queue_id', 'text')
    .addColumn('agent_id', 'text')
    .addColumn('wait_seconds', 'real')
    .addColumn('talk_seconds', 'real')
    .addColumn('hold_seconds', 'real')
    .addColumn('wrap_seconds', 'real')
    .addColumn('disposition', 'text')
    .addColumn('abandoned', 'integer', (c) => c.notNull().defaultTo(0).check(sql`abandoned in (0,1)`))
    .addColumn('ended_by', 'text')
    .addColumn('hangup_cause', 'text')
    .addColumn('recording_path', 'text')
    .addColumn('csat', 'integer', (c) => c.check(sql`csat between 1 and 5`))
    .addColumn('caller_data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('notes', 'text')
    .execute();
  await db.schema.createIndex('interactions_started_at').on('interactions').column('started_at').execute();
  await db.schema
    .createIndex('interactions_caller_number')
    .on('interactions')
    .column('caller_number')
    .execute();
  await db.schema.createIndex('interactions_state').on('interactions').column('state').execute();
  await db.schema
    .createIndex('interactions_queue')
    .on('interactions')
    .columns(['queue_id', 'started_at'])
    .execute();
  await db.schema
    .createIndex('interactions_agent')
    .on('interactions')
    .columns(['agent_id', 'started_at'])
    .execute();

  await db.schema
    .createTable('interaction_events')
    // The global sequence number doubles as the event stream's resume point.
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('interaction_id', 'text', (c) => c.notNull().references('interactions.id').onDelete('cascade'))
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .createIndex('interaction_events_by_interaction')
    .on('interaction_events')
    .columns(['interaction_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('interaction_events').execute();
  await db.schema.dropTable('interactions').execute();
}
