import { type Kysely, sql } from 'kysely';

/**
 * Supervisors' changes to how the contact center runs (queues and their members, flows reloaded, sessions
 * ended), with who made them: the supervisor's id, null on the supervisor token. Before and after as JSON.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('admin_changes')
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('supervisor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .execute();
  // "What happened to the Sales queue", newest first.
  await sql`create index admin_changes_subject on admin_changes (subject, seq)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('admin_changes').execute();
}
