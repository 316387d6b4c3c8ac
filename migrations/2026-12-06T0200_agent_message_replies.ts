import { type Kysely, sql } from 'kysely';

/**
 * Agents' replies to a supervisor's message ("I can stay until 7"): the supervisors see each under the
 * message, who and when. An agent may reply more than once; each reply is kept.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agent_message_replies')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('message_id', 'text', (c) => c.notNull().references('agent_messages.id'))
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('replied_at', 'integer', (c) => c.notNull())
    .execute();
  await sql`create index agent_message_replies_by_message on agent_message_replies (message_id, replied_at)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('agent_message_replies').execute();
}
