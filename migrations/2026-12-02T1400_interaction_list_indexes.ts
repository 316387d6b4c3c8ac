import type { Kysely } from 'kysely';

/**
 * The interaction list (`GET /api/interactions`) filtered by disposition or direction alone, e.g. a
 * supervisor's "abandoned calls" or "voicemails", newest first: a year into a busy log SQLite read every
 * call and sorted the matches for each page (1.6 s for the first 50 abandoned calls, 0.45 s more for their
 * count; `npm run bench:reports`). With the start time beside each, a page is read in order from the index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('interactions_disposition')
    .on('interactions')
    .columns(['disposition', 'started_at'])
    .execute();
  await db.schema
    .createIndex('interactions_direction')
    .on('interactions')
    .columns(['direction', 'started_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('interactions_direction').execute();
  await db.schema.dropIndex('interactions_disposition').execute();
}
