import type { Kysely } from 'kysely';

/** A callback's conversation is its own interaction, linked to the call in which the caller asked for it. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('interactions')
    .addColumn('parent_id', 'text', (c) => c.references('interactions.id'))
    .execute();
  await db.schema.createIndex('interactions_parent').on('interactions').column('parent_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('interactions_parent').execute();
  await db.schema.alterTable('interactions').dropColumn('parent_id').execute();
}
