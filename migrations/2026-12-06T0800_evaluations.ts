import type { Kysely } from 'kysely';

/**
 * Quality evaluations: a supervisor's score of an agent on a call, against a form whose questions and
 * answers are kept with it (JSON), the agent's acknowledgement and reply, and a withdrawal.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('evaluations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('interaction_id', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('form_id', 'text', (c) => c.notNull())
    .addColumn('form_name', 'text', (c) => c.notNull())
    .addColumn('pass_mark', 'integer', (c) => c.notNull())
    .addColumn('answers', 'text', (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('passed', 'integer', (c) => c.notNull())
    .addColumn('critical_failed', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('by_supervisor', 'text')
    .addColumn('acknowledged_at', 'integer')
    .addColumn('reply', 'text')
    .addColumn('withdrawn_at', 'integer')
    .addColumn('withdrawn_by', 'text')
    .execute();
  await db.schema
    .createIndex('evaluations_by_interaction')
    .on('evaluations')
    .column('interaction_id')
    .execute();
  await db.schema.createIndex('evaluations_by_agent').on('evaluations').columns(['agent_id', 'at']).execute();
  await db.schema.createIndex('evaluations_by_time').on('evaluations').column('at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('evaluations').execute();
}
