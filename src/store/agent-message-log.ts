import type { Kysely, Selectable } from 'kysely';
import type { SupervisorRef } from '../acd/router-types.js';
import type {
  AgentMessage,
  MessageRead,
  MessageReply,
  MessageTarget,
} from '../supervision/agent-messages.js';
import { recordedSupervisor } from '../supervision/recorded-supervisor.js';
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

  /** The messages showing at `now`, oldest first, each with who has read it and what agents replied. */
  async live(now: number): Promise<AgentMessage[]> {
    const rows = await this.db
      .selectFrom('agent_messages')
      .selectAll()
      .where('withdrawn_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('sent_at')
      .orderBy('id')
      .execute();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const replies = byMessage(
      await this.db
        .selectFrom('agent_message_replies')
        .selectAll()
        .where('message_id', 'in', ids)
        .orderBy('replied_at')
        .orderBy('id')
        .execute(),
      (r): MessageReply => ({ agentId: r.agent_id, text: r.text, at: r.replied_at }),
    );
    const reads = byMessage(
      await this.db
        .selectFrom('agent_message_reads')
        .selectAll()
        .where('message_id', 'in', ids)
        .orderBy('read_at')
        .orderBy('agent_id')
        .execute(),
      (r): MessageRead => ({ agentId: r.agent_id, at: r.read_at }),
    );
    return rows.map((row) => ({
      ...this.messageOf(row),
      readBy: reads.get(row.id) ?? [],
      replies: replies.get(row.id) ?? [],
    }));
  }

  /**
   * The agent took the message in at `at`: kept the first time; the time on record either way, and whether
   * this was the first.
   */
  async read(messageId: string, agentId: string, at: number): Promise<{ at: number; first: boolean }> {
    const result = await this.db
      .insertInto('agent_message_reads')
      .values({ message_id: messageId, agent_id: agentId, read_at: at })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) > 0) return { at, first: true };
    const row = await this.db
      .selectFrom('agent_message_reads')
      .select('read_at')
      .where('message_id', '=', messageId)
      .where('agent_id', '=', agentId)
      .executeTakeFirstOrThrow();
    return { at: row.read_at, first: false };
  }

  /**
   * The agent's reply, kept; a reply takes the message in as "Got it" does, if the agent had not yet
   * (`read`: that reading's time, and whether it was the first).
   */
  async reply(messageId: string, reply: MessageReply): Promise<{ read: { at: number; first: boolean } }> {
    return this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('agent_message_replies')
        .values({ message_id: messageId, agent_id: reply.agentId, text: reply.text, replied_at: reply.at })
        .execute();
      return {
        read: await new AgentMessageLog(trx, this.supervisor).read(messageId, reply.agentId, reply.at),
      };
    });
  }

  private messageOf(row: Selectable<AgentMessagesTable>): AgentMessage {
    const to: MessageTarget =
      row.target_type === 'all'
        ? { type: 'all' }
        : row.target_type === 'queue'
          ? { type: 'queue', queueId: row.target_id ?? '' }
          : { type: 'agent', agentId: row.target_id ?? '' };
    const from = recordedSupervisor(this.supervisor, row.sent_by);
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

/** Rows of several messages, each message's in their order. */
function byMessage<R extends { message_id: string }, T>(
  rows: readonly R[],
  item: (row: R) => T,
): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    const list = grouped.get(row.message_id) ?? [];
    list.push(item(row));
    grouped.set(row.message_id, list);
  }
  return grouped;
}
