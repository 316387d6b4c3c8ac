import type { Kysely, Selectable } from 'kysely';
import type { AdminAction, AdminChange, NewAdminChange } from '../supervision/admin-changes.js';
import type { AdminChangesTable, Database } from './schema.js';

/** Supervisors' changes, append-only, read newest first (GET /api/changes). */
export class AdminChangeLog {
  constructor(private readonly db: Kysely<Database>) {}

  /** Keeps the change; resolves with its sequence number once it is written. */
  async append(change: NewAdminChange): Promise<number> {
    const row = await this.db
      .insertInto('admin_changes')
      .values({
        at: change.at,
        supervisor_id: change.supervisorId ?? null,
        action: change.action,
        subject: change.subject,
        before: change.before === undefined ? null : JSON.stringify(change.before),
        after: change.after === undefined ? null : JSON.stringify(change.after),
      })
      .returning('seq')
      .executeTakeFirstOrThrow();
    return row.seq;
  }

  /**
   * Newest first, `limit` of them, older than `beforeSeq` when given (the next page), of one subject or of
   * subjects under it (`sales` also finds `sales/anna`) when given, of some actions when given.
   */
  async list(query: {
    limit: number;
    beforeSeq?: number;
    subject?: string;
    actions?: readonly AdminAction[];
  }): Promise<AdminChange[]> {
    let q = this.db.selectFrom('admin_changes').selectAll();
    if (query.beforeSeq !== undefined) q = q.where('seq', '<', query.beforeSeq);
    if (query.subject !== undefined) {
      const subject = query.subject;
      // `sales/…` as a range ('0' follows '/'), which the subject index serves and no LIKE wildcard spoils.
      q = q.where((eb) =>
        eb.or([
          eb('subject', '=', subject),
          eb.and([eb('subject', '>=', `${subject}/`), eb('subject', '<', `${subject}0`)]),
        ]),
      );
    }
    if (query.actions?.length) q = q.where('action', 'in', [...query.actions]);
    const rows = await q.orderBy('seq', 'desc').limit(query.limit).execute();
    return rows.map(toChange);
  }
}

function toChange(r: Selectable<AdminChangesTable>): AdminChange {
  return {
    seq: r.seq,
    at: r.at,
    ...(r.supervisor_id !== null ? { supervisorId: r.supervisor_id } : {}),
    action: r.action,
    subject: r.subject,
    ...(r.before !== null ? { before: JSON.parse(r.before) } : {}),
    ...(r.after !== null ? { after: JSON.parse(r.after) } : {}),
  };
}
