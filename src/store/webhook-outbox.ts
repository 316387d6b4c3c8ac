import type { Kysely, Selectable } from 'kysely';
import type { GroupCommit } from './group-commit.js';
import type { Database, WebhookDeliveriesTable } from './schema.js';

export type WebhookDeliveryStatus = WebhookDeliveriesTable['status'];
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;

/** A webhook's deliveries at a glance (GET /api/webhooks). */
export interface WebhookTally {
  pending: number;
  failed: number;
  delivered: number;
  lastDeliveredAt: number | null;
  /** The latest attempt that failed, if any: when, and what went wrong. */
  lastFailure: { at: number; status: number | null; error: string } | null;
}

/**
 * The webhooks' outbox (migrations 2026-12-05T1200, T1400, T1500). Triggers on the timeline, the queue alerts
 * and the agent-state log fill it in the same transaction as each event a webhook subscribes to; this class
 * says which types each webhook wants, reads what is due, and records each attempt's outcome. Outcomes go
 * through the group commit like every write.
 */
export class WebhookOutbox {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly commit: GroupCommit,
  ) {}

  /**
   * Replaces every subscription and queue filter with these (the config's webhooks, at start): from the
   * next event on, the triggers write deliveries for them and for no others. Deliveries on record are kept.
   */
  async subscribe(
    webhooks: readonly { id: string; events: readonly string[]; queues?: readonly string[] }[],
  ): Promise<void> {
    await this.commit.run(async (trx) => {
      await trx.deleteFrom('webhook_subscriptions').execute();
      await trx.deleteFrom('webhook_queue_filters').execute();
      const rows = webhooks.flatMap((w) => w.events.map((type) => ({ type, webhook_id: w.id })));
      if (rows.length > 0) await trx.insertInto('webhook_subscriptions').values(rows).execute();
      const filters = webhooks.flatMap((w) =>
        (w.queues ?? []).map((queue_id) => ({ webhook_id: w.id, queue_id })),
      );
      if (filters.length > 0) await trx.insertInto('webhook_queue_filters').values(filters).execute();
    });
  }

  /** Pending deliveries of a webhook due by `now`, oldest event first. */
  async due(webhookId: string, now: number, limit: number): Promise<WebhookDeliveryRow[]> {
    return this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('webhook_id', '=', webhookId)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /**
   * When the webhook's next pending delivery is due (epoch ms), leaving out `inFlight` (pending on record
   * while they are being sent); undefined when none is.
   */
  async nextDueAt(webhookId: string, inFlight: readonly number[] = []): Promise<number | undefined> {
    let q = this.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.min<number | null>('next_attempt_at').as('at'))
      .where('webhook_id', '=', webhookId)
      .where('status', '=', 'pending');
    if (inFlight.length > 0) q = q.where('id', 'not in', inFlight);
    const row = await q.executeTakeFirst();
    return row?.at ?? undefined;
  }

  /** The receiver took it (2xx). */
  delivered(id: number, at: number, status: number): Promise<unknown> {
    return this.attempted(id, at, {
      status: 'delivered',
      next_attempt_at: null,
      last_status: status,
      last_error: null,
      delivered_at: at,
    });
  }

  /** An attempt failed; tried again at `nextAt`. */
  retry(id: number, at: number, nextAt: number, status: number | null, error: string): Promise<unknown> {
    return this.attempted(id, at, {
      status: 'pending',
      next_attempt_at: nextAt,
      last_status: status,
      last_error: error,
    });
  }

  /** The last attempt failed: given up (a supervisor can redeliver it). */
  failed(id: number, at: number, status: number | null, error: string): Promise<unknown> {
    return this.attempted(id, at, {
      status: 'failed',
      next_attempt_at: null,
      last_status: status,
      last_error: error,
    });
  }

  private attempted(
    id: number,
    at: number,
    outcome: Pick<WebhookDeliveryRow, 'status' | 'next_attempt_at' | 'last_status' | 'last_error'> & {
      delivered_at?: number;
    },
  ): Promise<unknown> {
    return this.commit.runPlan({
      statements: [
        {
          sql:
            'update "webhook_deliveries" set "status" = ?, "next_attempt_at" = ?, "last_status" = ?, "last_error" = ?, ' +
            '"delivered_at" = coalesce(?, "delivered_at"), "attempts" = "attempts" + 1, "last_attempt_at" = ? where "id" = ?',
          params: [
            outcome.status,
            outcome.next_attempt_at,
            outcome.last_status,
            outcome.last_error,
            outcome.delivered_at ?? null,
            at,
            id,
          ],
        },
      ],
    });
  }

  /**
   * Puts a delivery back in line, due at `now` (a receiver fixed after it failed, or one that lost what it
   * took). Its attempt count starts again (its last outcome stays until the next attempt). Undefined when the webhook
   * has no such delivery; the row as it now stands otherwise.
   */
  async redeliver(webhookId: string, id: number, now: number): Promise<WebhookDeliveryRow | undefined> {
    const changed = await this.commit.run((trx) =>
      trx
        .updateTable('webhook_deliveries')
        .set({ status: 'pending', next_attempt_at: now, attempts: 0 })
        .where('id', '=', id)
        .where('webhook_id', '=', webhookId)
        .executeTakeFirst(),
    );
    if (Number(changed.numUpdatedRows) === 0) return undefined;
    return this.get(id);
  }

  async get(id: number): Promise<WebhookDeliveryRow | undefined> {
    return this.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** A webhook's deliveries, newest first; `beforeId` pages on. */
  async list(query: {
    webhookId: string;
    status?: WebhookDeliveryStatus;
    beforeId?: number;
    limit: number;
  }): Promise<WebhookDeliveryRow[]> {
    let q = this.db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', query.webhookId);
    if (query.status !== undefined) q = q.where('status', '=', query.status);
    if (query.beforeId !== undefined) q = q.where('id', '<', query.beforeId);
    return q.orderBy('id', 'desc').limit(query.limit).execute();
  }

  async tally(webhookId: string): Promise<WebhookTally> {
    const counts = await this.db
      .selectFrom('webhook_deliveries')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('webhook_id', '=', webhookId)
      .groupBy('status')
      .execute();
    const count = (status: WebhookDeliveryStatus) => Number(counts.find((c) => c.status === status)?.n ?? 0);
    const lastDelivered = await this.db
      .selectFrom('webhook_deliveries')
      .select('delivered_at')
      .where('webhook_id', '=', webhookId)
      .where('status', '=', 'delivered')
      // The newest event delivered (the index's order): close enough to the last delivery made.
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const lastFailure = await this.db
      .selectFrom('webhook_deliveries')
      .select(['last_attempt_at', 'last_status', 'last_error'])
      .where('webhook_id', '=', webhookId)
      // A delivery keeps its last error until it is delivered: only these two hold one.
      .where('status', 'in', ['pending', 'failed'])
      .where('last_error', 'is not', null)
      .orderBy('last_attempt_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return {
      pending: count('pending'),
      failed: count('failed'),
      delivered: count('delivered'),
      lastDeliveredAt: lastDelivered?.delivered_at ?? null,
      lastFailure:
        lastFailure?.last_attempt_at != null && lastFailure.last_error != null
          ? {
              at: lastFailure.last_attempt_at,
              status: lastFailure.last_status,
              error: lastFailure.last_error,
            }
          : null,
    };
  }

  /** Every webhook's pending and failed deliveries, and its oldest pending event (for /metrics). */
  async backlog(): Promise<Map<string, { pending: number; failed: number; oldestPendingAt?: number }>> {
    const rows = await this.db
      .selectFrom('webhook_deliveries')
      .select([
        'webhook_id',
        'status',
        (eb) => eb.fn.countAll<number>().as('n'),
        (eb) => eb.fn.min<number>('at').as('oldest'),
      ])
      .where('status', 'in', ['pending', 'failed'])
      .groupBy(['webhook_id', 'status'])
      .execute();
    const backlog = new Map<string, { pending: number; failed: number; oldestPendingAt?: number }>();
    for (const row of rows) {
      const entry = backlog.get(row.webhook_id) ?? { pending: 0, failed: 0 };
      if (row.status === 'pending') {
        entry.pending = Number(row.n);
        entry.oldestPendingAt = row.oldest;
      } else entry.failed = Number(row.n);
      backlog.set(row.webhook_id, entry);
    }
    return backlog;
  }

  /** Forgets deliveries made before `before` (daily, after the retention period). Returns how many. */
  async pruneDelivered(before: number): Promise<number> {
    const result = await this.commit.run((trx) =>
      trx
        .deleteFrom('webhook_deliveries')
        .where('status', '=', 'delivered')
        .where('delivered_at', '<', before)
        .executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }
}
