import type { Kysely } from 'kysely';

/**
 * The do-not-call list: customers who asked not to be called, with who noted it (the agent on the call, or
 * a supervisor) and on which call, and who removed it when the customer asked to be called again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('do_not_call')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('added_at', 'integer', (c) => c.notNull())
    .addColumn('added_by_agent', 'text')
    .addColumn('added_by_supervisor', 'text')
    .addColumn('interaction_id', 'text')
    .addColumn('removed_at', 'integer')
    .addColumn('removed_by', 'text')
    .execute();
  await db.schema.createIndex('do_not_call_by_number').on('do_not_call').column('number').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('do_not_call').execute();
}
