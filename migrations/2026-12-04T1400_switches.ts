import type { Kysely } from 'kysely';

/**
 * Switches supervisors turn on and off (config `switches`), which IVR flows route on: each one's state as
 * last set, when and by whom (the supervisor's id; null on the supervisor token). A switch with no row is off.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('switches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('on', 'integer', (c) => c.notNull())
    .addColumn('changed_at', 'integer', (c) => c.notNull())
    .addColumn('changed_by_supervisor', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('switches').execute();
}
