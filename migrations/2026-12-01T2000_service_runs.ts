import type { Kysely } from 'kysely';

/**
 * One row per run of the service: when it started, when it was last known alive, and when it stopped
 * cleanly. The next run reads how long the service was away from it (agents keep their seats through a
 * short restart).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('service_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('started_at', 'integer', (c) => c.notNull())
    .addColumn('alive_at', 'integer', (c) => c.notNull())
    .addColumn('stopped_at', 'integer')
    .execute();
  await db.schema.createIndex('service_runs_started_at').on('service_runs').column('started_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('service_runs').execute();
}
