import type { Kysely } from 'kysely';

/**
 * Every IVR flow version that went live, with its source: after a restart the last good version of a
 * file that is broken now keeps serving (as it would have without the restart), a deleted flow that other
 * flows still go to is brought back, and the exact flow a caller heard (`flowVersion` on the timeline) can
 * be read back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flow_versions')
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('first_loaded_at', 'integer', (c) => c.notNull())
    .addColumn('last_loaded_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('flow_versions_pk', ['file', 'version'])
    .execute();
  await db.schema
    .createIndex('flow_versions_flow')
    .on('flow_versions')
    .columns(['flow_id', 'last_loaded_at'])
    .execute();
  await db.schema.createIndex('flow_versions_version').on('flow_versions').column('version').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('flow_versions').execute();
}
