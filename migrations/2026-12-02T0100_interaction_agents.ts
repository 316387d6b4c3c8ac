import { type Kysely, sql } from 'kysely';

/**
 * Which agents took part in each interaction (offered it, talked on it, held, transferred or conferenced
 * it, were called in by a transfer or conference, wrapped it up): an agent's own list and a supervisor's
 * `?agentId=` filter find every call an agent was on, not only those where they were the last agent.
 * A trigger on the timeline fills it, so every writer keeps it right; calls already on record are read once.
 */
/**
 * The agents one timeline entry names, as four selects over `from` (the new row in the trigger, every
 * stored entry in the backfill): `agentId`, each of `agentIds`, and a `target` or `party` that is an agent.
 */
function namedAgents(id: string, payload: string, from: string): string[] {
  const text = (expr: string) => `typeof(${expr}) = 'text' and ${expr} <> ''`;
  const agentId = `json_extract(${payload}, '$.agentId')`;
  const calledIn = (key: string) => `json_extract(${payload}, '$.${key}.id')`;
  const isAgent = (key: string) => `json_extract(${payload}, '$.${key}.type') = 'agent'`;
  const valid = `json_valid(${payload})`;
  return [
    `select ${id}, ${agentId} ${from} where ${valid} and ${text(agentId)}`,
    `select ${id}, j.value ${from ? `${from}, ` : 'from '}json_each(${payload}, '$.agentIds') j where ${valid} and ${text('j.value')}`,
    ...['target', 'party'].map(
      (key) =>
        `select ${id}, ${calledIn(key)} ${from} where ${valid} and ${isAgent(key)} and ${text(calledIn(key))}`,
    ),
  ];
}
const insert = 'insert or ignore into interaction_agents (interaction_id, agent_id)';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('interaction_agents')
    .addColumn('interaction_id', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('interaction_agents_pk', ['interaction_id', 'agent_id'])
    .modifyEnd(sql`without rowid`)
    .execute();
  await db.schema
    .createIndex('interaction_agents_agent')
    .on('interaction_agents')
    .columns(['agent_id', 'interaction_id'])
    .execute();
  const fromNew = namedAgents('new.interaction_id', 'new.payload', '');
  await sql
    .raw(
      `create trigger interaction_agents_from_timeline after insert on interaction_events begin
      ${fromNew.map((select) => `${insert} ${select};`).join('\n      ')}
    end`,
    )
    .execute(db);
  for (const select of namedAgents('e.interaction_id', 'e.payload', 'from interaction_events e')) {
    await sql.raw(`${insert} ${select}`).execute(db);
  }
  await sql`
    insert or ignore into interaction_agents (interaction_id, agent_id)
    select id, agent_id from interactions where agent_id is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger interaction_agents_from_timeline`.execute(db);
  await db.schema.dropTable('interaction_agents').execute();
}
