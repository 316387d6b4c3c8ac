import type { Kysely, Selectable } from 'kysely';
import { GroupCommit } from './group-commit.js';
import { keysetPages, REPORT_PAGE_ROWS } from './pages.js';
import type { AgentEventsTable, Database } from './schema.js';

export interface AgentStateChange {
  agentId: string;
  at: number;
  from: string;
  to: string;
  reason?: string;
  interactionId?: string;
  /** Into wrap-up: when it is due to end. */
  until?: number;
  /** A supervisor made this change for the agent (absent: the agent or the service). */
  changedBy?: 'supervisor';
  /** Which supervisor, when they signed in as themselves (config `supervisors`). */
  changedBySupervisor?: string;
}

/** Every agent state change, append-only: personal stats and time-in-state reports are derived from it. */
export class AgentEventLog {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly commit: GroupCommit = new GroupCommit(db),
  ) {}

  /** Told after each change is committed, when a webhook wants agent states (its delivery is then on record). */
  written: (() => void) | undefined;

  async append(change: AgentStateChange): Promise<void> {
    // The hot path (several per call): a prepared statement (through kysely where none can be prepared).
    await this.commit.runPlan({
      statements: [
        {
          sql:
            'insert into "agent_events" ("agent_id", "at", "from_state", "to_state", "reason", "interaction_id", "until", "changed_by", "changed_by_supervisor") ' +
            'values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          params: [
            change.agentId,
            change.at,
            change.from,
            change.to,
            change.reason ?? null,
            change.interactionId ?? null,
            change.until ?? null,
            change.changedBy ?? null,
            change.changedBySupervisor ?? null,
          ],
        },
      ],
    });
    this.written?.();
  }

  /**
   * Each agent's last state change (by the log's order), for the seats a restart gives back. One index
   * look-up per agent: grouping the whole log by agent read every change ever made (1.5 s a year in).
   */
  async lastChanges(agentIds: readonly string[]): Promise<Map<string, AgentStateChange>> {
    const last = new Map<string, AgentStateChange>();
    for (const agentId of agentIds) {
      const row = await this.db
        .selectFrom('agent_events')
        .selectAll()
        .where('agent_id', '=', agentId)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (row) last.set(agentId, toChange(row));
    }
    return last;
  }

  /** When the agent's latest wrap-up began (its extensions are later rows from wrap-up to wrap-up). */
  async wrapUpStart(agentId: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('agent_events')
      .select('at')
      .where('agent_id', '=', agentId)
      .where('to_state', '=', 'wrap_up')
      .where('from_state', '!=', 'wrap_up')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.at;
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

  /**
   * The agent's last state change before `at`: the state they were in then (none: logged out). In time
   * order, which the (agent_id, at) index gives at once; by `seq` alone SQLite sorted every earlier change
   * of the agent (~0.1 s a year into a busy log).
   */
  async lastBefore(agentId: string, at: number): Promise<AgentStateChange | undefined> {
    const row = await this.db
      .selectFrom('agent_events')
      .selectAll()
      .where('agent_id', '=', agentId)
      .where('at', '<', at)
      .orderBy('at', 'desc')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && toChange(row);
  }

  /**
   * The agent's changes in [from, until) in time order, read a page at a time with the event loop let go
   * in between (a year of a busy agent is ~100,000 changes: calls' events go first).
   */
  async *changePages(
    agentId: string,
    from: number,
    until: number,
    pageSize = REPORT_PAGE_ROWS,
  ): AsyncGenerator<AgentStateChange[]> {
    const pages = keysetPages(
      (after: { at: number; seq: number } | undefined) =>
        this.db
          .selectFrom('agent_events')
          .selectAll()
          .where('agent_id', '=', agentId)
          .where('at', '<', until)
          // A later page only after the last change read (see keysetPages).
          .where((eb) =>
            after === undefined
              ? eb('at', '>=', from)
              : eb(eb.refTuple('at', 'seq'), '>', eb.tuple(after.at, after.seq)),
          )
          .orderBy('at')
          .orderBy('seq')
          .limit(pageSize)
          .execute(),
      (last) => ({ at: last.at, seq: last.seq }),
      pageSize,
    );
    for await (const rows of pages) yield rows.map(toChange);
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
    ...(r.until !== null ? { until: r.until } : {}),
    ...(r.changed_by !== null ? { changedBy: r.changed_by } : {}),
    ...(r.changed_by_supervisor !== null ? { changedBySupervisor: r.changed_by_supervisor } : {}),
  };
}
