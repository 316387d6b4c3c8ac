import { type Kysely, sql } from 'kysely';

/**
 * The webhooks' outbox. `webhook_subscriptions` holds which event types each configured webhook wants (the
 * service writes it from its config at start). Triggers put one row in `webhook_deliveries` per event and
 * subscribed webhook, in the same transaction as the event: on the timeline (with the interaction as it
 * stood then), and on queue alerts (raised, cleared). Every writer feeds it, and a restart or a receiver that
 * is down loses nothing. Each row carries its delivery's state: pending (and when next), delivered, failed.
 */
/** The database clock's now in epoch ms (julianday: any SQLite version). */
const NOW_MS = "cast((julianday('now') - 2440587.5) * 86400000 as integer)";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook_subscriptions')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_subscriptions_pk', ['type', 'webhook_id'])
    .execute();
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    // A timeline event's seq and interaction; or the queue alert's id (queue.alert.raised / cleared).
    .addColumn('event_seq', 'integer')
    .addColumn('interaction_id', 'text')
    .addColumn('queue_alert_id', 'integer')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('interaction', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'integer')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('last_attempt_at', 'integer')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'integer')
    .execute();
  // An event goes to a webhook once.
  await sql`create unique index webhook_deliveries_event on webhook_deliveries (webhook_id, event_seq)`.execute(
    db,
  );
  // What is due, per webhook (the dispatcher's read after each write it is told of).
  await sql`create index webhook_deliveries_pending on webhook_deliveries (webhook_id, next_attempt_at) where status = 'pending'`.execute(
    db,
  );
  // A webhook's deliveries, newest first, of one status or all (the API).
  await sql`create index webhook_deliveries_by_status on webhook_deliveries (webhook_id, status, id)`.execute(
    db,
  );
  // The interaction's row as JSON, camelCase, times in epoch ms (the delivery's body turns them to ISO 8601).
  // Due when written (the clock's now, not the event's time: an event put on record late is due at once).
  await sql
    .raw(
      `create trigger webhook_deliveries_from_timeline after insert on interaction_events
      when exists (select 1 from webhook_subscriptions where type = new.type)
      begin
        insert or ignore into webhook_deliveries
          (webhook_id, event_seq, interaction_id, type, at, payload, interaction, status, attempts,
           next_attempt_at, created_at)
        select s.webhook_id, new.seq, new.interaction_id, new.type, new.at, new.payload,
          json_object(
            'id', i.id, 'direction', i.direction, 'state', i.state, 'parentId', i.parent_id,
            'callerNumber', i.caller_number, 'callerName', i.caller_name, 'dialedNumber', i.dialed_number,
            'trunk', i.trunk, 'startedAt', i.started_at, 'answeredAt', i.answered_at,
            'enqueuedAt', i.enqueued_at, 'connectedAt', i.connected_at, 'endedAt', i.ended_at,
            'queueId', i.queue_id, 'agentId', i.agent_id, 'waitSeconds', i.wait_seconds,
            'talkSeconds', i.talk_seconds, 'holdSeconds', i.hold_seconds, 'wrapSeconds', i.wrap_seconds,
            'disposition', i.disposition, 'abandoned', i.abandoned = 1, 'endedBy', i.ended_by,
            'hangupCause', i.hangup_cause, 'recorded', i.recording_path is not null, 'csat', i.csat,
            'wrapUpCode', i.wrap_up_code, 'notes', i.notes, 'callerData', json(i.caller_data)
          ),
          'pending', 0, ${NOW_MS}, ${NOW_MS}
        from webhook_subscriptions s join interactions i on i.id = new.interaction_id
        where s.type = new.type;
      end`,
    )
    .execute(db);
  const alertJson = (row: string) =>
    `json_object('id', ${row}.id, 'queueId', ${row}.queue_id, 'kind', ${row}.kind, 'raisedAt', ${row}.raised_at,
      'clearedAt', ${row}.cleared_at, 'value', ${row}.value, 'threshold', ${row}.threshold, 'message', ${row}.message)`;
  const alertDelivery = (type: string, at: string) => `
        insert or ignore into webhook_deliveries
          (webhook_id, queue_alert_id, type, at, payload, status, attempts, next_attempt_at, created_at)
        select s.webhook_id, new.id, '${type}', ${at}, ${alertJson('new')}, 'pending', 0, ${NOW_MS}, ${NOW_MS}
        from webhook_subscriptions s where s.type = '${type}';`;
  await sql
    .raw(
      `create trigger webhook_deliveries_from_alert_raised after insert on queue_alerts
      when exists (select 1 from webhook_subscriptions where type = 'queue.alert.raised')
      begin ${alertDelivery('queue.alert.raised', 'new.raised_at')}
      end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger webhook_deliveries_from_alert_cleared after update of cleared_at on queue_alerts
      when old.cleared_at is null and new.cleared_at is not null
        and exists (select 1 from webhook_subscriptions where type = 'queue.alert.cleared')
      begin ${alertDelivery('queue.alert.cleared', 'new.cleared_at')}
      end`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger webhook_deliveries_from_alert_cleared`.execute(db);
  await sql`drop trigger webhook_deliveries_from_alert_raised`.execute(db);
  await sql`drop trigger webhook_deliveries_from_timeline`.execute(db);
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('webhook_subscriptions').execute();
}
