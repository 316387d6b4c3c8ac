import { type Kysely, sql } from 'kysely';

/**
 * Agents' requests for a supervisor's help: asked (on a call or between calls, with a note), taken on by a
 * supervisor, ended (withdrawn, resolved, the agent logged out). One open request per agent, which the
 * partial unique index holds even against a bug in the service.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('help_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('interaction_id', 'text')
    .addColumn('note', 'text')
    .addColumn('asked_at', 'integer', (c) => c.notNull())
    .addColumn('taken_at', 'integer')
    .addColumn('taken_by', 'text')
    .addColumn('ended_at', 'integer')
    .addColumn('end_reason', 'text', (c) =>
      c.check(sql`end_reason in ('withdrawn', 'resolved', 'logged_out', 'service_restarted')`),
    )
    .addColumn('ended_by', 'text')
    .addCheckConstraint('help_ended_whole', sql`(ended_at is null) = (end_reason is null)`)
    .execute();
  await db.schema
    .createIndex('help_requests_open_per_agent')
    .on('help_requests')
    .column('agent_id')
    .unique()
    .where(sql.ref('ended_at'), 'is', null)
    .execute();
  await db.schema.createIndex('help_requests_by_time').on('help_requests').column('asked_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('help_requests').execute();
}
