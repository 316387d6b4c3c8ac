import type { Kysely } from 'kysely';

/**
 * Agents' flags on callers (abusive, a robocall, a prank) for a supervisor to block, each with the call it
 * came from and, once decided, whether the number was blocked (and by which block) or the flag dismissed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('caller_flags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('interaction_id', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('flagged_at', 'integer', (c) => c.notNull())
    .addColumn('decided_at', 'integer')
    .addColumn('decision', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('block_id', 'text')
    .execute();
  await db.schema.createIndex('caller_flags_by_decision').on('caller_flags').column('decided_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('caller_flags').execute();
}
