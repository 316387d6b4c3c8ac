import type { Kysely } from 'kysely';

/**
 * A supervisor takes an agent's overstay on ("I'm on it"), so two do not walk over to the same agent: when,
 * and who (null on the supervisor token).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('break_overstays').addColumn('acknowledged_at', 'integer').execute();
  await db.schema.alterTable('break_overstays').addColumn('acknowledged_by', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('break_overstays').dropColumn('acknowledged_by').execute();
  await db.schema.alterTable('break_overstays').dropColumn('acknowledged_at').execute();
}
