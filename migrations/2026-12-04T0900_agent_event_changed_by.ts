import type { Kysely } from 'kysely';

/**
 * Who made an agent's state change when it was not the agent (or the service): `supervisor` for a change a
 * supervisor made for them (logged out, set not ready or ready from the wallboard). Null for every other.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('agent_events').addColumn('changed_by', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('agent_events').dropColumn('changed_by').execute();
}
