import type { Kysely } from 'kysely';

/**
 * Which supervisor made an agent's state change, when they signed in as themselves (config `supervisors`):
 * their id. Null for every other change, and for one made on the supervisor token (nobody in particular).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('agent_events').addColumn('changed_by_supervisor', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('agent_events').dropColumn('changed_by_supervisor').execute();
}
