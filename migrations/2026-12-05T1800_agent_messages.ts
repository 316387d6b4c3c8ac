import { type Kysely, sql } from 'kysely';

/**
 * Supervisors' messages to agents: to everyone, a queue's members or one agent, shown until they run out or
 * are withdrawn. Kept with who sent and who withdrew each.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agent_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull().check(sql`target_type in ('all', 'queue', 'agent')`))
    .addColumn('target_id', 'text')
    .addColumn('sent_at', 'integer', (c) => c.notNull())
    .addColumn('sent_by', 'text')
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .addColumn('withdrawn_at', 'integer')
    .addColumn('withdrawn_by', 'text')
    .addCheckConstraint('agent_message_target', sql`(target_type = 'all') = (target_id is null)`)
    .execute();
  await db.schema.createIndex('agent_messages_by_expiry').on('agent_messages').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('agent_messages').execute();
}
