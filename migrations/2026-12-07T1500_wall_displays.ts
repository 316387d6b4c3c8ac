import type { Kysely } from 'kysely';

/**
 * Wall displays (screens opened with a link of their own): each made and withdrawn, by whom. The link's key
 * is signed from the display's id, so no secret is kept here; a withdrawn display's row stays on record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('wall_displays')
    .addColumn('display_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    // The queues it shows, a JSON array; null: every queue.
    .addColumn('queue_ids', 'text')
    .addColumn('withdrawn_at', 'integer')
    .addColumn('withdrawn_by', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('wall_displays').execute();
}
