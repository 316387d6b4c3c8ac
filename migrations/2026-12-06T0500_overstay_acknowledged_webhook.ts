import { type Kysely, sql } from 'kysely';

/**
 * Webhooks may ask for `agent.overstay.acknowledged` (a supervisor took the overstay on: a pager relay stops
 * escalating), written by a trigger as the start and the end are. Every overstay delivery now carries who
 * took it on and when (null while nobody has), so the end's payload says whether anyone went over.
 */
const NOW_MS = "cast((julianday('now') - 2440587.5) * 86400000 as integer)";

/** The overstay as a delivery's payload; `taken`: with who took it on and when (from this migration on). */
const overstayJson = (taken: boolean) => `json_object('id', new.id, 'agentId', new.agent_id,
  'reason', new.reason, 'limitMinutes', new.limit_minutes, 'since', new.not_ready_since, 'dueAt', new.due_at,
  'endedAt', new.ended_at, 'endedTo', new.ended_to${
    taken ? `, 'acknowledgedAt', new.acknowledged_at, 'acknowledgedBy', new.acknowledged_by` : ''
  })`;

const delivery = (type: string, at: string, taken: boolean) => `
  insert or ignore into webhook_deliveries
    (webhook_id, overstay_id, type, at, payload, status, attempts, next_attempt_at, created_at)
  select s.webhook_id, new.id, '${type}', ${at}, ${overstayJson(taken)}, 'pending', 0, ${NOW_MS}, ${NOW_MS}
  from webhook_subscriptions s where s.type = '${type}';`;

const started = (taken: boolean) => `create trigger webhook_deliveries_from_overstay_started
  after insert on break_overstays
  when exists (select 1 from webhook_subscriptions where type = 'agent.overstay.started')
  begin ${delivery('agent.overstay.started', 'new.due_at', taken)}
  end`;
const ended = (taken: boolean) => `create trigger webhook_deliveries_from_overstay_ended
  after update of ended_at on break_overstays
  when old.ended_at is null and new.ended_at is not null
    and exists (select 1 from webhook_subscriptions where type = 'agent.overstay.ended')
  begin ${delivery('agent.overstay.ended', 'new.ended_at', taken)}
  end`;
const acknowledged = `create trigger webhook_deliveries_from_overstay_acknowledged
  after update of acknowledged_at on break_overstays
  when old.acknowledged_at is null and new.acknowledged_at is not null
    and exists (select 1 from webhook_subscriptions where type = 'agent.overstay.acknowledged')
  begin ${delivery('agent.overstay.acknowledged', 'new.acknowledged_at', true)}
  end`;

async function replaceTriggers(db: Kysely<unknown>, taken: boolean): Promise<void> {
  await sql`drop trigger webhook_deliveries_from_overstay_started`.execute(db);
  await sql`drop trigger webhook_deliveries_from_overstay_ended`.execute(db);
  await sql.raw(started(taken)).execute(db);
  await sql.raw(ended(taken)).execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await replaceTriggers(db, true);
  await sql.raw(acknowledged).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger webhook_deliveries_from_overstay_acknowledged`.execute(db);
  await replaceTriggers(db, false);
}
