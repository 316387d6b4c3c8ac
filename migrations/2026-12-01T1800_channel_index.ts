import type { Kysely } from 'kysely';

/**
 * Looks interactions up by Asterisk channel: calls Asterisk turned away while the service was not connected
 * are put on record once per channel, checked by channel id on every import.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('interactions_channel').on('interactions').column('channel_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('interactions_channel').execute();
}
