import type { Kysely } from 'kysely';

/**
 * Agents' shifts: who is to work when (a supervisor's roster), so the staffing forecast can set the agents
 * on shift beside the agents needed, and each shift's time staffed can be read against it (adherence).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('shifts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('start_at', 'integer', (c) => c.notNull())
    .addColumn('end_at', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();
  await db.schema.createIndex('shifts_by_time').on('shifts').columns(['start_at', 'end_at']).execute();
  await db.schema.createIndex('shifts_by_agent').on('shifts').columns(['agent_id', 'start_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('shifts').execute();
}
