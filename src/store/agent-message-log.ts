import type { Kysely, Selectable } from 'kysely';
import type { SupervisorRef } from '../acd/router-types.js';
import type { AgentMessage, MessageTarget } from '../supervision/agent-messages.js';
import type { AgentMessagesTable, Database } from './schema.js';

/** Supervisors' messages to agents, on record: each sent, and withdrawn. */
export class AgentMessageLog {
  constructor(
    private readonly db: Kysely<Database>,
    /** A supervisor's name by id (the record keeps ids). */
    private readonly supervisor: (id: string) => SupervisorRef | undefined,
  ) {}

  async sent(message: AgentMessage): Promise<void> {
    const to = message.to;
    await this.db
      .insertInto('agent_messages')
      .values({
        id: message.id,
        text: message.text,
        target_type: to.type,
        target_id: to.type === 'queue' ? to.queueId : to.type === 'agent' ? to.agentId : null,
        sent_at: message.sentAt,
        sent_by: message.from?.id ?? null,
        expires_at: message.expiresAt,
      })
      .execute();
  }

  /** Withdraws a live message; returns it as it is now, or undefined when none is live with that id. */
  async withdraw(id: string, at: number, by?: SupervisorRef): Promise<AgentMessage | undefined> {
    const result = await this.db
      .updateTable('agent_messages')
      .set({ withdrawn_at: at, withdrawn_by: by?.id ?? null })
      .where('id', '=', id)
      .where('withdrawn_at', 'is', null)
      .where('expires_at', '>', at)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    const row = await this.db
      .selectFrom('agent_messages')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && this.messageOf(row);
  }

  /** The messages showing at `now`, oldest first. */
  async live(now: number): Promise<AgentMessage[]> {
    const rows = await this.db
      .selectFrom('agent_messages')
      .selectAll()
      .where('withdrawn_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('sent_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => this.messageOf(row));
  }

  private messageOf(row: Selectable<AgentMessagesTable>): AgentMessage {
    const to: MessageTarget =
      row.target_type === 'all'
        ? { type: 'all' }
        : row.target_type === 'queue'
          ? { type: 'queue', queueId: row.target_id ?? '' }
          : { type: 'agent', agentId: row.target_id ?? '' };
    const from =
      row.sent_by === null
        ? undefined
        : (this.supervisor(row.sent_by) ?? { id: row.sent_by, name: row.sent_by });
    return {
      id: row.id,
      text: row.text,
      to,
      sentAt: row.sent_at,
      expiresAt: row.expires_at,
      ...(from ? { from } : {}),
      ...(row.withdrawn_at === null ? {} : { withdrawnAt: row.withdrawn_at }),
    };
  }
}
