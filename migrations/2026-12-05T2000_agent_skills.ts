import type { Kysely } from 'kysely';

/** Agents' skills set by supervisors through the API, over the config file's (each agent's whole map). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agent_skills')
    .addColumn('agent_id', 'text', (c) => c.primaryKey())
    .addColumn('skills', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('agent_skills').execute();
}
