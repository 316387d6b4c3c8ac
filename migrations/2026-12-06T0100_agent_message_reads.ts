import type { Kysely } from 'kysely';

/**
 * Which agents took in a supervisor's message ("Got it" on the softphone), and when: the supervisor sees
 * who has read it, and an agent's page stops showing it on every browser they sign in on. One row per
 * message and agent: the first reading counts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agent_message_reads')
    .addColumn('message_id', 'text', (c) => c.notNull().references('agent_messages.id'))
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('read_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('agent_message_reads_pk', ['message_id', 'agent_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('agent_message_reads').execute();
}
