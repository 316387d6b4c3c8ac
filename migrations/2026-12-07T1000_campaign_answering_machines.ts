import { type Kysely, sql } from 'kysely';

/**
 * What a campaign does when an answering machine takes its call (src/acd/machine-detection.ts): 'connect'
 * (no detection: every answer put through, as before), 'hang_up', or 'leave_message' with the sounds of
 * `machine_message` (a JSON array of sound names) played after the greeting.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('campaigns')
    .addColumn('answering_machine', 'text', (c) => c.notNull().defaultTo(sql`'connect'`))
    .execute();
  await db.schema.alterTable('campaigns').addColumn('machine_message', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('campaigns').dropColumn('machine_message').execute();
  await db.schema.alterTable('campaigns').dropColumn('answering_machine').execute();
}
