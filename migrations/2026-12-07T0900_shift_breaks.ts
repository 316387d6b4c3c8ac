import type { Kysely } from 'kysely';

/**
 * The breaks planned inside a shift (lunch, a coffee break): the forecast's agents on shift leave them out,
 * and adherence expects the agent away then. Removed with their shift (the roster's one transaction).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('shift_breaks')
    .addColumn('shift_id', 'text', (c) => c.notNull())
    .addColumn('start_at', 'integer', (c) => c.notNull())
    .addColumn('end_at', 'integer', (c) => c.notNull())
    .addColumn('label', 'text')
    .execute();
  await db.schema
    .createIndex('shift_breaks_by_shift')
    .on('shift_breaks')
    .columns(['shift_id', 'start_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('shift_breaks').execute();
}
