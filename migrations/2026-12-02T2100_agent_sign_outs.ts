import type { Kysely } from 'kysely';

/**
 * Each agent's sign-out count. An agent's API token is signed with the count it was issued under, so a
 * sign-out (the count going up) ends every token handed out before it, also across restarts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agent_sign_outs')
    .addColumn('agent_id', 'text', (c) => c.primaryKey())
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('signed_out_at', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('agent_sign_outs').execute();
}
