import type { Kysely } from 'kysely';

/**
 * When a wrap-up was due to end, on the change into it: a restart in the middle of an agent's wrap-up gives
 * them the rest of it, instead of cutting it short or leaving them not ready.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('agent_events').addColumn('until', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('agent_events').dropColumn('until').execute();
}
