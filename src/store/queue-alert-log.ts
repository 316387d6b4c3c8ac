import type { Kysely, Selectable } from 'kysely';
import type { QueueAlert, QueueAlertKind } from '../acd/alerts.js';
import type { QUEUE_ALERT_EVENTS } from '../webhooks/delivery.js';
import type { Database, QueueAlertsTable } from './schema.js';

/** A queue alert as it stood: raised, and cleared (null while it stands). */
export interface QueueAlertRecord {
  id: number;
  queueId: string;
  kind: QueueAlertKind;
  raisedAt: number;
  clearedAt: number | null;
  value: number;
  threshold: number;
  message: string;
  /** When a supervisor took it on; null: nobody has. */
  acknowledgedAt: number | null;
  /** Who took it on: a supervisor's id; null on the supervisor token (or nobody). */
  acknowledgedBy: string | null;
}

/** Queue alerts on record (GET /api/alerts): each raised, then cleared, written as it happens. */
export class QueueAlertLog {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Set by the service: told once a raise or a clear is written (a trigger wrote the webhooks' deliveries of
   * it in the same statement; the dispatcher reads them).
   */
  written: ((type: (typeof QUEUE_ALERT_EVENTS)[number]) => void) | undefined;

  async raised(alert: QueueAlert): Promise<void> {
    await this.db
      .insertInto('queue_alerts')
      .values({
        queue_id: alert.queueId,
        kind: alert.kind,
        raised_at: alert.since,
        value: alert.value,
        threshold: alert.threshold,
        message: alert.message,
      })
      .execute();
    this.written?.('queue.alert.raised');
  }

  /** Closes the queue's standing alert of this kind. */
  async cleared(queueId: string, kind: QueueAlertKind, at: number): Promise<void> {
    const result = await this.db
      .updateTable('queue_alerts')
      .set({ cleared_at: at })
      .where('queue_id', '=', queueId)
      .where('kind', '=', kind)
      .where('cleared_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) this.written?.('queue.alert.cleared');
  }

  /** A supervisor took the queue's standing alert of this kind on (`by`: their id; null on the token). */
  async acknowledged(queueId: string, kind: QueueAlertKind, at: number, by: string | null): Promise<void> {
    const result = await this.db
      .updateTable('queue_alerts')
      .set({ acknowledged_at: at, acknowledged_by: by })
      .where('queue_id', '=', queueId)
      .where('kind', '=', kind)
      .where('cleared_at', 'is', null)
      .where('acknowledged_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) this.written?.('queue.alert.acknowledged');
  }

  /** The alerts standing (a previous run's, read back after a restart); oldest first. */
  async open(): Promise<QueueAlertRecord[]> {
    const rows = await this.db
      .selectFrom('queue_alerts')
      .selectAll()
      .where('cleared_at', 'is', null)
      .orderBy('raised_at')
      .orderBy('id')
      .execute();
    return rows.map(toRecord);
  }

  /** Alerts that stood at some time in [from, to): raised before `to`, not cleared before `from`; oldest first. */
  async list(query: {
    from: number;
    to: number;
    queueId?: string;
    limit: number;
  }): Promise<QueueAlertRecord[]> {
    let q = this.db
      .selectFrom('queue_alerts')
      .selectAll()
      .where('raised_at', '<', query.to)
      .where((eb) => eb.or([eb('cleared_at', 'is', null), eb('cleared_at', '>=', query.from)]));
    if (query.queueId !== undefined) q = q.where('queue_id', '=', query.queueId);
    const rows = await q.orderBy('raised_at').orderBy('id').limit(query.limit).execute();
    return rows.map(toRecord);
  }
}

function toRecord(r: Selectable<QueueAlertsTable>): QueueAlertRecord {
  return {
    id: r.id,
    queueId: r.queue_id,
    kind: r.kind,
    raisedAt: r.raised_at,
    clearedAt: r.cleared_at,
    value: r.value,
    threshold: r.threshold,
    message: r.message,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
  };
}
