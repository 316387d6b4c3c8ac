import type { Kysely } from 'kysely';

/**
 * Real-time adherence's exceptions on record (src/calls/supervise/adherence-watch.ts): each time an agent's
 * seat was off their roster past the grace period, from when to when, so supervisors can look back over days
 * and a restart of the service keeps a standing one's start.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('adherence_exceptions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('shift_id', 'text', (c) => c.notNull())
    .addColumn('activity', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('began_at', 'integer', (c) => c.notNull())
    .addColumn('told_at', 'integer', (c) => c.notNull())
    .addColumn('agent_state', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'integer')
    .addColumn('ended_state', 'text')
    .execute();
  await db.schema
    .createIndex('adherence_exceptions_began_at')
    .on('adherence_exceptions')
    .column('began_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('adherence_exceptions').execute();
}
