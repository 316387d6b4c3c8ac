import type { Kysely } from 'kysely';

/**
 * Sign-ins locked after too many wrong passwords (the API's or the phone server's SIP): who, from where,
 * until when, and who lifted each before it ran out. Those in force are restored at start; the rest are
 * the security record ("was anybody guessing agent3's password last night?").
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sign_in_locks')
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('lock_id', 'text', (c) => c.notNull())
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('strike', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('locked_at', 'integer', (c) => c.notNull())
    .addColumn('until', 'integer', (c) => c.notNull())
    .addColumn('lifted_at', 'integer')
    .addColumn('lifted_by', 'text')
    .execute();
  await db.schema.createIndex('sign_in_locks_by_time').on('sign_in_locks').column('locked_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sign_in_locks').execute();
}
