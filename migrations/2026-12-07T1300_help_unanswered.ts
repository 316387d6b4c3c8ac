import { type Kysely, sql } from 'kysely';

/**
 * A request for help nobody took on in time (the site's `helpUnansweredSeconds`): when it was said so, and
 * `agent.help.unanswered` for webhooks (a team lead's pager when no supervisor is at the wallboard), written
 * by a trigger in the same statement as the mark, as the other help events are.
 */
const NOW_MS = "cast((julianday('now') - 2440587.5) * 86400000 as integer)";

const HELP_JSON = `json_object('id', new.id, 'agentId', new.agent_id, 'interactionId', new.interaction_id,
  'note', new.note, 'askedAt', new.asked_at, 'takenAt', new.taken_at, 'takenBy', new.taken_by,
  'endedAt', new.ended_at, 'endReason', new.end_reason, 'endedBy', new.ended_by,
  'unansweredAt', new.unanswered_at)`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('help_requests').addColumn('unanswered_at', 'integer').execute();
  await sql
    .raw(
      `create trigger webhook_deliveries_from_help_unanswered after update of unanswered_at on help_requests
      when old.unanswered_at is null and new.unanswered_at is not null
        and exists (select 1 from webhook_subscriptions where type = 'agent.help.unanswered')
      begin
        insert or ignore into webhook_deliveries
          (webhook_id, help_request_id, type, at, payload, status, attempts, next_attempt_at, created_at)
        select s.webhook_id, new.id, 'agent.help.unanswered', new.unanswered_at, ${HELP_JSON}, 'pending', 0,
          ${NOW_MS}, ${NOW_MS}
        from webhook_subscriptions s where s.type = 'agent.help.unanswered';
      end`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger webhook_deliveries_from_help_unanswered`.execute(db);
  await db.schema.alterTable('help_requests').dropColumn('unanswered_at').execute();
}
