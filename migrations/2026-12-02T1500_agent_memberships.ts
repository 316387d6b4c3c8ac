import type { Kysely } from 'kysely';

/**
 * Agents' queue memberships changed through the API (a supervisor moving an agent between queues): each
 * agent's whole list, kept over the config file's until it is changed again, so a restart keeps them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agent_memberships')
    .addColumn('agent_id', 'text', (c) => c.primaryKey())
    .addColumn('queues', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('agent_memberships').execute();
}
