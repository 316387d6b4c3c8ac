import { type Kysely, sql } from 'kysely';

/**
 * One row per stay of a call in a queue: a caller who overflows from one queue into another has two, so
 * each queue's figures (offered, answered, abandoned, flowed out, service level, speed of answer) count
 * what happened in that queue, timed from entering it. Calls already on record get one stay each, from
 * the queue and times the interaction row holds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('queue_visits')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('interaction_id', 'text', (c) => c.notNull())
    .addColumn('queue_id', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'integer', (c) => c.notNull())
    .addColumn('answered_at', 'integer')
    .addColumn('left_at', 'integer')
    .addColumn('outcome', 'text')
    .execute();
  await db.schema
    .createIndex('queue_visits_queue')
    .on('queue_visits')
    .columns(['queue_id', 'entered_at'])
    .execute();
  await db.schema
    .createIndex('queue_visits_interaction')
    .on('queue_visits')
    .columns(['interaction_id', 'id'])
    .execute();
  await sql`
    insert into queue_visits (interaction_id, queue_id, entered_at, answered_at, left_at, outcome)
    select id, queue_id, enqueued_at, connected_at,
           case when connected_at is not null then connected_at when abandoned = 1 then ended_at end,
           case when connected_at is not null then 'answered' when abandoned = 1 then 'abandoned' end
    from interactions
    where queue_id is not null and enqueued_at is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('queue_visits').execute();
}
