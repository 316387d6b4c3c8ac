import { type Kysely, sql } from 'kysely';

/**
 * Queue alerts as they stood: raised when, cleared when (null while standing), what was measured against
 * what, in words. A supervisor away from the wallboard reads afterwards when and how long a queue was in
 * trouble.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('queue_alerts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('queue_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('raised_at', 'integer', (c) => c.notNull())
    .addColumn('cleared_at', 'integer')
    .addColumn('value', 'real', (c) => c.notNull())
    .addColumn('threshold', 'real', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .execute();
  // A day's alerts, of every queue or one.
  await sql`create index queue_alerts_raised on queue_alerts (raised_at)`.execute(db);
  // The ones still standing (a restart closes them).
  await sql`create index queue_alerts_standing on queue_alerts (queue_id, kind) where cleared_at is null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('queue_alerts').execute();
}
