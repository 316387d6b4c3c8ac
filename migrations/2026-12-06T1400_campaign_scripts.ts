import type { Kysely } from 'kysely';

/**
 * A campaign's script: what its agents say on each of its calls (the opening, the offer, the questions),
 * shown on the agent's caller card while the call rings and during it. Null: none.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('campaigns').addColumn('script', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('campaigns').dropColumn('script').execute();
}
