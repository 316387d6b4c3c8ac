import type { Kysely } from 'kysely';

/**
 * A customer's copy and erasure (src/store/customer-data-log.ts) find their calls by the number they called
 * from or an agent dialled, and their campaign contacts by number: without these, each request read every
 * call and every contact on record (a year of a busy log is a million calls).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('interactions_dialed_number')
    .on('interactions')
    .column('dialed_number')
    .execute();
  await db.schema
    .createIndex('campaign_contacts_by_number')
    .on('campaign_contacts')
    .column('number')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('campaign_contacts_by_number').execute();
  await db.schema.dropIndex('interactions_dialed_number').execute();
}
