import type { Kysely } from 'kysely';

/**
 * Outbound campaigns: a list of customers a queue's agents call while they are free (progressive, blended
 * with inbound). Each contact keeps its place in the list, its state and, once booked, the callback request
 * interaction its calls are on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('queue_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('changed_at', 'integer', (c) => c.notNull())
    .addColumn('finished_at', 'integer')
    .execute();
  await db.schema
    .createTable('campaign_contacts')
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('note', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('interaction_id', 'text')
    .addColumn('booked_at', 'integer')
    .addColumn('closed_at', 'integer')
    .addPrimaryKeyConstraint('campaign_contacts_pk', ['campaign_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('campaign_contacts_by_state')
    .on('campaign_contacts')
    .columns(['campaign_id', 'state', 'seq'])
    .execute();
  await db.schema
    .createIndex('campaign_contacts_by_interaction')
    .on('campaign_contacts')
    .column('interaction_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('campaign_contacts').execute();
  await db.schema.dropTable('campaigns').execute();
}
