import type { Kysely } from 'kysely';

/**
 * Flow sources that passed the TypeScript check, each against the flow API it was checked against (a
 * fingerprint of the API's sources, the compiler and its options). A restart finds its unchanged flows
 * here and skips the check (over a second of compiler work before the service could take calls).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flow_type_checks')
    .addColumn('source_sha256', 'text', (c) => c.notNull())
    .addColumn('api_fingerprint', 'text', (c) => c.notNull())
    .addColumn('checked_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('flow_type_checks_pk', ['source_sha256', 'api_fingerprint'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('flow_type_checks').execute();
}
