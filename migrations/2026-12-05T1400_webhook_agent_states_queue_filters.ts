import { type Kysely, sql } from 'kysely';

/**
 * Webhooks, two additions. Agent state changes (`agent.state.changed`, for a workforce-management tool's
 * adherence feed): a trigger on `agent_events` writes their deliveries as the timeline's does. And a
 * webhook may be limited to some queues (`webhook_queue_filters`; none: every queue): timeline events of
 * interactions in one of them when the event is written, and those queues' alerts. The three triggers of
 * 2026-12-05T1200 are written again with that filter.
 */
const NOW_MS = "cast((julianday('now') - 2440587.5) * 86400000 as integer)";

/** Whether subscription `s` takes an event of queue `queue` (a column or expression). */
const queueFilter = (queue: string) => `(
  not exists (select 1 from webhook_queue_filters f where f.webhook_id = s.webhook_id)
  or exists (select 1 from webhook_queue_filters f where f.webhook_id = s.webhook_id and f.queue_id = ${queue}))`;

const INTERACTION_JSON = `json_object(
  'id', i.id, 'direction', i.direction, 'state', i.state, 'parentId', i.parent_id,
  'callerNumber', i.caller_number, 'callerName', i.caller_name, 'dialedNumber', i.dialed_number,
  'trunk', i.trunk, 'startedAt', i.started_at, 'answeredAt', i.answered_at,
  'enqueuedAt', i.enqueued_at, 'connectedAt', i.connected_at, 'endedAt', i.ended_at,
  'queueId', i.queue_id, 'agentId', i.agent_id, 'waitSeconds', i.wait_seconds,
  'talkSeconds', i.talk_seconds, 'holdSeconds', i.hold_seconds, 'wrapSeconds', i.wrap_seconds,
  'disposition', i.disposition, 'abandoned', i.abandoned = 1, 'endedBy', i.ended_by,
  'hangupCause', i.hangup_cause, 'recorded', i.recording_path is not null, 'csat', i.csat,
  'wrapUpCode', i.wrap_up_code, 'notes', i.notes, 'callerData', json(i.caller_data))`;

const alertJson = (row: string) =>
  `json_object('id', ${row}.id, 'queueId', ${row}.queue_id, 'kind', ${row}.kind, 'raisedAt', ${row}.raised_at,
    'clearedAt', ${row}.cleared_at, 'value', ${row}.value, 'threshold', ${row}.threshold, 'message', ${row}.message)`;

const alertDelivery = (type: string, at: string, filtered: boolean) => `
  insert or ignore into webhook_deliveries
    (webhook_id, queue_alert_id, type, at, payload, status, attempts, next_attempt_at, created_at)
  select s.webhook_id, new.id, '${type}', ${at}, ${alertJson('new')}, 'pending', 0, ${NOW_MS}, ${NOW_MS}
  from webhook_subscriptions s where s.type = '${type}'${filtered ? ` and ${queueFilter('new.queue_id')}` : ''};`;

const timelineDelivery = (filtered: boolean) => `
  insert or ignore into webhook_deliveries
    (webhook_id, event_seq, interaction_id, type, at, payload, interaction, status, attempts,
     next_attempt_at, created_at)
  select s.webhook_id, new.seq, new.interaction_id, new.type, new.at, new.payload, ${INTERACTION_JSON},
    'pending', 0, ${NOW_MS}, ${NOW_MS}
  from webhook_subscriptions s join interactions i on i.id = new.interaction_id
  where s.type = new.type${filtered ? ` and ${queueFilter('i.queue_id')}` : ''};`;

async function writeTriggers(db: Kysely<unknown>, filtered: boolean): Promise<void> {
  // Due when written (the clock's now, not the event's time: an event put on record late is due at once).
  await sql
    .raw(
      `create trigger webhook_deliveries_from_timeline after insert on interaction_events
      when exists (select 1 from webhook_subscriptions where type = new.type)
      begin ${timelineDelivery(filtered)}
      end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger webhook_deliveries_from_alert_raised after insert on queue_alerts
      when exists (select 1 from webhook_subscriptions where type = 'queue.alert.raised')
      begin ${alertDelivery('queue.alert.raised', 'new.raised_at', filtered)}
      end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger webhook_deliveries_from_alert_cleared after update of cleared_at on queue_alerts
      when old.cleared_at is null and new.cleared_at is not null
        and exists (select 1 from webhook_subscriptions where type = 'queue.alert.cleared')
      begin ${alertDelivery('queue.alert.cleared', 'new.cleared_at', filtered)}
      end`,
    )
    .execute(db);
}

async function dropTriggers(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger webhook_deliveries_from_alert_cleared`.execute(db);
  await sql`drop trigger webhook_deliveries_from_alert_raised`.execute(db);
  await sql`drop trigger webhook_deliveries_from_timeline`.execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook_queue_filters')
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    .addColumn('queue_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_queue_filters_pk', ['webhook_id', 'queue_id'])
    .execute();
  // An agent state change's agent_events.seq (agent.state.changed); null for the other kinds.
  await db.schema.alterTable('webhook_deliveries').addColumn('agent_event_seq', 'integer').execute();
  await sql`create unique index webhook_deliveries_agent_event on webhook_deliveries (webhook_id, agent_event_seq)`.execute(
    db,
  );
  await dropTriggers(db);
  await writeTriggers(db, true);
  // Agents' states are no queue's: a webhook limited to queues is refused this event by the config check.
  await sql
    .raw(
      `create trigger webhook_deliveries_from_agent_state after insert on agent_events
      when exists (select 1 from webhook_subscriptions where type = 'agent.state.changed')
      begin
        insert or ignore into webhook_deliveries
          (webhook_id, agent_event_seq, type, at, payload, status, attempts, next_attempt_at, created_at)
        select s.webhook_id, new.seq, 'agent.state.changed', new.at,
          json_object('seq', new.seq, 'agentId', new.agent_id, 'at', new.at, 'from', new.from_state,
            'to', new.to_state, 'reason', new.reason, 'interactionId', new.interaction_id, 'until', new.until,
            'changedBy', new.changed_by, 'changedBySupervisor', new.changed_by_supervisor),
          'pending', 0, ${NOW_MS}, ${NOW_MS}
        from webhook_subscriptions s where s.type = 'agent.state.changed';
      end`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger webhook_deliveries_from_agent_state`.execute(db);
  await dropTriggers(db);
  await writeTriggers(db, false);
  await sql`drop index webhook_deliveries_agent_event`.execute(db);
  await db.schema.alterTable('webhook_deliveries').dropColumn('agent_event_seq').execute();
  await db.schema.dropTable('webhook_queue_filters').execute();
}
