import type { Kysely, Selectable } from 'kysely';
import type { SupervisorRef } from '../acd/router-types.js';
import type { EndedHelpRequest, HelpEndReason, HelpRequest } from '../supervision/help-requests.js';
import type { HELP_EVENTS } from '../webhooks/delivery.js';
import type { Database, HelpRequestsTable } from './schema.js';

/** A request for help as it stood: the supervisors are by id (null on the supervisor token). */
export interface HelpRequestRecord {
  id: string;
  agentId: string;
  interactionId: string | null;
  note: string | null;
  askedAt: number;
  takenAt: number | null;
  takenBy: string | null;
  endedAt: number | null;
  endReason: HelpEndReason | null;
  endedBy: string | null;
  unansweredAt: number | null;
}

/** Agents' requests for help on record: each asked, taken on and ended, written as it happens. */
export class HelpRequestLog {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Set by the service: told once a request's change is written (a trigger wrote the webhooks' deliveries of
   * it in the same statement; the dispatcher reads them).
   */
  written: ((type: (typeof HELP_EVENTS)[number]) => void) | undefined;

  async asked(request: HelpRequest): Promise<void> {
    await this.db
      .insertInto('help_requests')
      .values({
        id: request.id,
        agent_id: request.agentId,
        interaction_id: request.interactionId,
        note: request.note,
        asked_at: request.askedAt,
      })
      .execute();
    this.written?.('agent.help.asked');
  }

  async taken(request: HelpRequest): Promise<void> {
    if (!request.taken) return;
    await this.db
      .updateTable('help_requests')
      .set({ taken_at: request.taken.at, taken_by: request.taken.by?.id ?? null })
      .where('id', '=', request.id)
      .execute();
    this.written?.('agent.help.taken');
  }

  async unanswered(request: HelpRequest): Promise<void> {
    if (request.unansweredAt === undefined) return;
    const result = await this.db
      .updateTable('help_requests')
      .set({ unanswered_at: request.unansweredAt })
      .where('id', '=', request.id)
      .where('unanswered_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) this.written?.('agent.help.unanswered');
  }

  async ended(request: EndedHelpRequest): Promise<void> {
    const result = await this.db
      .updateTable('help_requests')
      .set({
        ended_at: request.ended.at,
        end_reason: request.ended.reason,
        ended_by: request.ended.by?.id ?? null,
      })
      .where('id', '=', request.id)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) this.written?.('agent.help.ended');
  }

  /** The requests a previous run left open, oldest first. */
  async open(): Promise<HelpRequestRecord[]> {
    const rows = await this.db
      .selectFrom('help_requests')
      .selectAll()
      .where('ended_at', 'is', null)
      .orderBy('asked_at')
      .execute();
    return rows.map(toRecord);
  }

  /** Requests asked in [from, to), oldest first. */
  async list(query: {
    from: number;
    to: number;
    agentId?: string;
    limit: number;
  }): Promise<HelpRequestRecord[]> {
    let q = this.db
      .selectFrom('help_requests')
      .selectAll()
      .where('asked_at', '>=', query.from)
      .where('asked_at', '<', query.to);
    if (query.agentId !== undefined) q = q.where('agent_id', '=', query.agentId);
    const rows = await q.orderBy('asked_at').orderBy('id').limit(query.limit).execute();
    return rows.map(toRecord);
  }
}

/**
 * A record as the board holds it, ended when it has (supervisors named through `supervisor`; one no longer
 * configured by their id).
 */
export function requestOf(
  record: HelpRequestRecord,
  supervisor: (id: string) => SupervisorRef | undefined,
): HelpRequest | EndedHelpRequest {
  const named = (id: string | null) => (id === null ? {} : { by: supervisor(id) ?? { id, name: id } });
  return {
    id: record.id,
    agentId: record.agentId,
    interactionId: record.interactionId,
    note: record.note,
    askedAt: record.askedAt,
    ...(record.takenAt === null ? {} : { taken: { at: record.takenAt, ...named(record.takenBy) } }),
    ...(record.unansweredAt === null ? {} : { unansweredAt: record.unansweredAt }),
    ...(record.endedAt === null || record.endReason === null
      ? {}
      : { ended: { at: record.endedAt, reason: record.endReason, ...named(record.endedBy) } }),
  };
}

function toRecord(r: Selectable<HelpRequestsTable>): HelpRequestRecord {
  return {
    id: r.id,
    agentId: r.agent_id,
    interactionId: r.interaction_id,
    note: r.note,
    askedAt: r.asked_at,
    takenAt: r.taken_at,
    takenBy: r.taken_by,
    endedAt: r.ended_at,
    endReason: r.end_reason,
    endedBy: r.ended_by,
    unansweredAt: r.unanswered_at,
  };
}
