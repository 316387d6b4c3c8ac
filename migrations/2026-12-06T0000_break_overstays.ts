import { type Kysely, sql } from 'kysely';

/**
 * Not-ready periods that outran their reason's time limit (a 15-minute break taken for 25): when the agent
 * was due back, when they came back and to what. Kept with the limit that applied, so a later change of the
 * config's `maxMinutes` does not rewrite what an agent was held to. One open overstay per agent, which the
 * partial unique index holds even against a bug in the service.
 *
 * Webhooks `agent.overstay.started` / `agent.overstay.ended` (a floor supervisor's pager, a workforce
 * management tool's adherence feed) are written by triggers in the same statement, as the other kinds are.
 */
const NOW_MS = "cast((julianday('now') - 2440587.5) * 86400000 as integer)";

const OVERSTAY_JSON = `json_object('id', new.id, 'agentId', new.agent_id, 'reason', new.reason,
  'limitMinutes', new.limit_minutes, 'since', new.not_ready_since, 'dueAt', new.due_at,
  'endedAt', new.ended_at, 'endedTo', new.ended_to)`;

const delivery = (type: string, at: string) => `
  insert or ignore into webhook_deliveries
    (webhook_id, overstay_id, type, at, payload, status, attempts, next_attempt_at, created_at)
  select s.webhook_id, new.id, '${type}', ${at}, ${OVERSTAY_JSON}, 'pending', 0, ${NOW_MS}, ${NOW_MS}
  from webhook_subscriptions s where s.type = '${type}';`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('break_overstays')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('limit_minutes', 'integer', (c) => c.notNull().check(sql`limit_minutes > 0`))
    .addColumn('not_ready_since', 'integer', (c) => c.notNull())
    .addColumn('due_at', 'integer', (c) => c.notNull())
    .addColumn('ended_at', 'integer')
    .addColumn('ended_to', 'text')
    .addCheckConstraint('overstay_ended_whole', sql`(ended_at is null) = (ended_to is null)`)
    .execute();
  await db.schema
    .createIndex('break_overstays_open_per_agent')
    .on('break_overstays')
    .column('agent_id')
    .unique()
    .where(sql.ref('ended_at'), 'is', null)
    .execute();
  await db.schema.createIndex('break_overstays_by_time').on('break_overstays').column('due_at').execute();
  // One agent's over a range (the agent report, the history for one agent), not everyone's then theirs.
  await db.schema
    .createIndex('break_overstays_by_agent')
    .on('break_overstays')
    .columns(['agent_id', 'due_at'])
    .execute();

  await db.schema.alterTable('webhook_deliveries').addColumn('overstay_id', 'text').execute();
  await sql`create unique index webhook_deliveries_overstay on webhook_deliveries (webhook_id, overstay_id, type)`.execute(
    db,
  );
  await sql
    .raw(
      `create trigger webhook_deliveries_from_overstay_started after insert on break_overstays
      when exists (select 1 from webhook_subscriptions where type = 'agent.overstay.started')
      begin ${delivery('agent.overstay.started', 'new.due_at')}
      end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger webhook_deliveries_from_overstay_ended after update of ended_at on break_overstays
      when old.ended_at is null and new.ended_at is not null
        and exists (select 1 from webhook_subscriptions where type = 'agent.overstay.ended')
      begin ${delivery('agent.overstay.ended', 'new.ended_at')}
      end`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger webhook_deliveries_from_overstay_ended`.execute(db);
  await sql`drop trigger webhook_deliveries_from_overstay_started`.execute(db);
  await sql`drop index webhook_deliveries_overstay`.execute(db);
  await db.schema.alterTable('webhook_deliveries').dropColumn('overstay_id').execute();
  await db.schema.dropTable('break_overstays').execute();
}
