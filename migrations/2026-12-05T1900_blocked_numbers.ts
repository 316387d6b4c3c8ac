import type { Kysely } from 'kysely';

/**
 * Numbers supervisors blocked: calls from them are turned away before they are answered. Kept with who
 * blocked and who lifted each, and how many calls each turned away.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('blocked_numbers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('blocked_at', 'integer', (c) => c.notNull())
    .addColumn('blocked_by', 'text')
    .addColumn('until', 'integer')
    .addColumn('lifted_at', 'integer')
    .addColumn('lifted_by', 'text')
    .addColumn('turned_away', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_turned_away_at', 'integer')
    .execute();
  await db.schema.createIndex('blocked_numbers_by_number').on('blocked_numbers').column('number').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('blocked_numbers').execute();
}
