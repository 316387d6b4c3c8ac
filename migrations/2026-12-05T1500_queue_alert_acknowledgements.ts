import { type Kysely, sql } from 'kysely';

/**
 * A supervisor takes a standing queue alert on ("I'm on it"): when, and who (null on the supervisor token).
 * Webhooks may ask for it (`queue.alert.acknowledged`: a pager relay stops escalating), written by a trigger
 * as the raise and the clear are, under the webhook's queue filter (2026-12-05T1400).
 */
const NOW_MS = "cast((julianday('now') - 2440587.5) * 86400000 as integer)";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('queue_alerts').addColumn('acknowledged_at', 'integer').execute();
  await db.schema.alterTable('queue_alerts').addColumn('acknowledged_by', 'text').execute();
  await sql
    .raw(
      `create trigger webhook_deliveries_from_alert_acknowledged after update of acknowledged_at on queue_alerts
      when old.acknowledged_at is null and new.acknowledged_at is not null
        and exists (select 1 from webhook_subscriptions where type = 'queue.alert.acknowledged')
      begin
        insert or ignore into webhook_deliveries
          (webhook_id, queue_alert_id, type, at, payload, status, attempts, next_attempt_at, created_at)
        select s.webhook_id, new.id, 'queue.alert.acknowledged', new.acknowledged_at,
          json_object('id', new.id, 'queueId', new.queue_id, 'kind', new.kind, 'raisedAt', new.raised_at,
            'clearedAt', new.cleared_at, 'value', new.value, 'threshold', new.threshold, 'message', new.message,
            'acknowledgedAt', new.acknowledged_at, 'acknowledgedBy', new.acknowledged_by),
          'pending', 0, ${NOW_MS}, ${NOW_MS}
        from webhook_subscriptions s
        where s.type = 'queue.alert.acknowledged' and (
          not exists (select 1 from webhook_queue_filters f where f.webhook_id = s.webhook_id)
          or exists (select 1 from webhook_queue_filters f where f.webhook_id = s.webhook_id and f.queue_id = new.queue_id));
      end`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger webhook_deliveries_from_alert_acknowledged`.execute(db);
  await db.schema.alterTable('queue_alerts').dropColumn('acknowledged_by').execute();
  await db.schema.alterTable('queue_alerts').dropColumn('acknowledged_at').execute();
}
