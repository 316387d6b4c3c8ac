import type { Kysely } from 'kysely';

/**
 * The agent seat: a contacts directory for the screen pop (number → name, notes) and the agent's wrap-up
 * of an interaction (a disposition code; the agent's notes go in the existing `notes` column).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('contacts')
    .addColumn('number', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('interactions').addColumn('wrap_up_code', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('interactions').dropColumn('wrap_up_code').execute();
  await db.schema.dropTable('contacts').execute();
}
