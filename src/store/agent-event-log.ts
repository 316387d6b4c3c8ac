import type { Kysely, Selectable } from 'kysely';
import { GroupCommit } from './group-commit.js';
import type { AgentEventsTable, Database } from './schema.js';

export interface AgentStateChange {
  agentId: string;
  at: number;
  from: string;
  to: string;
  reason?: string;
  interactionId?: string;
}

/** Every agent state change, append-only: personal stats and time-in-state reports are derived from it. */
export class AgentEventLog {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly commit: GroupCommit = new GroupCommit(db),
  ) {}

  async append(change: AgentStateChange): Promise<void> {
    if (this.commit.hasRaw) {
      // The hot path (several per call): a prepared statement, same SQL as below.
      await this.commit.runPlan({
        statements: [
          {
            sql:
              'insert into "agent_events" ("agent_id", "at", "from_state", "to_state", "reason", "interaction_id") ' +
              'values (?, ?, ?, ?, ?, ?)',
            params: [
              change.agentId,
              change.at,
              change.from,
              change.to,
              change.reason ?? null,
              change.interactionId ?? null,
            ],
          },
        ],
      });
      return;
    }
    await this.commit.run((trx) =>
      trx
        .insertInto('agent_events')
        .values({
          agent_id: change.agentId,
          at: change.at,
          from_state: change.from,
          to_state: change.to,
          reason: change.reason ?? null,
          interaction_id: change.interactionId ?? null,
        })
        .execute(),
    );
  }

  /** Each agent's last state change (by the log's order), for the seats a restart gives back. */
  async lastChanges(): Promise<Map<string, AgentStateChange>> {
    const rows = await this.db
      .selectFrom('agent_events')
      .selectAll()
      .where('seq', 'in', (db) =>
        db
          .selectFrom('agent_events')
          .select((eb) => eb.fn.max('seq').as('seq'))
          .groupBy('agent_id'),
      )
      .execute();
    return new Map(rows.map((r) => [r.agent_id, toChange(r)]));
  }

  async since(agentId: string, from: number, until?: number): Promise<AgentStateChange[]> {
    let query = this.db
      .selectFrom('agent_events')
      .selectAll()
      .where('agent_id', '=', agentId)
      .where('at', '>=', from);
    if (until !== undefined) query = query.where('at', '<', until);
    const rows = await query.orderBy('seq').execute();
    return rows.map(toChange);
  }

  /** The agent's last state change before `at`: the state they were in then (none: logged out). */
  async lastBefore(agentId: string, at: number): Promise<AgentStateChange | undefined> {
    const row = await this.db
      .selectFrom('agent_events')
      .selectAll()
      .where('agent_id', '=', agentId)
      .where('at', '<', at)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && toChange(row);
  }
}

function toChange(r: Selectable<AgentEventsTable>): AgentStateChange {
  return {
    agentId: r.agent_id,
    at: r.at,
    from: r.from_state,
    to: r.to_state,
    reason: r.reason ?? undefined,
    interactionId: r.interaction_id ?? undefined,
  };
}
