import { type Kysely, sql } from 'kysely';

/**
 * Webhooks for agents' requests for help (`agent.help.asked`, `agent.help.taken`, `agent.help.ended`): a
 * floor supervisor's pager or chat channel hears of an agent asking while away from the wallboard. Written
 * by triggers on `help_requests` in the same statement as the request's own change, as the other kinds are.
 * A request is no queue's: a webhook limited to queues is refused these by the config check.
 */
const NOW_MS = "cast((julianday('now') - 2440587.5) * 86400000 as integer)";

const HELP_JSON = `json_object('id', new.id, 'agentId', new.agent_id, 'interactionId', new.interaction_id,
  'note', new.note, 'askedAt', new.asked_at, 'takenAt', new.taken_at, 'takenBy', new.taken_by,
  'endedAt', new.ended_at, 'endReason', new.end_reason, 'endedBy', new.ended_by)`;

const delivery = (type: string, at: string) => `
  insert or ignore into webhook_deliveries
    (webhook_id, help_request_id, type, at, payload, status, attempts, next_attempt_at, created_at)
  select s.webhook_id, new.id, '${type}', ${at}, ${HELP_JSON}, 'pending', 0, ${NOW_MS}, ${NOW_MS}
  from webhook_subscriptions s where s.type = '${type}';`;

export async function up(db: Kysely<unknown>): Promise<void> {
  // A request's id (help_requests.id), for its three events; null for the other kinds.
  await db.schema.alterTable('webhook_deliveries').addColumn('help_request_id', 'text').execute();
  await sql`create unique index webhook_deliveries_help_request on webhook_deliveries (webhook_id, help_request_id, type)`.execute(
    db,
  );
  await sql
    .raw(
      `create trigger webhook_deliveries_from_help_asked after insert on help_requests
      when exists (select 1 from webhook_subscriptions where type = 'agent.help.asked')
      begin ${delivery('agent.help.asked', 'new.asked_at')}
      end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger webhook_deliveries_from_help_taken after update of taken_at on help_requests
      when old.taken_at is null and new.taken_at is not null
        and exists (select 1 from webhook_subscriptions where type = 'agent.help.taken')
      begin ${delivery('agent.help.taken', 'new.taken_at')}
      end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger webhook_deliveries_from_help_ended after update of ended_at on help_requests
      when old.ended_at is null and new.ended_at is not null
        and exists (select 1 from webhook_subscriptions where type = 'agent.help.ended')
      begin ${delivery('agent.help.ended', 'new.ended_at')}
      end`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger webhook_deliveries_from_help_ended`.execute(db);
  await sql`drop trigger webhook_deliveries_from_help_taken`.execute(db);
  await sql`drop trigger webhook_deliveries_from_help_asked`.execute(db);
  await sql`drop index webhook_deliveries_help_request`.execute(db);
  await db.schema.alterTable('webhook_deliveries').dropColumn('help_request_id').execute();
}
