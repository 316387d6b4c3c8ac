/**
 * Webhooks (config `webhooks`): what each is sent and how its deliveries stand, every delivery with the
 * body it POSTs, and a failed (or lost) one put back in line. Supervisors only: bodies hold callers'
 * numbers and what they told the IVR.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { WebhookConfig } from '../../../config/schema.js';
import type { WebhookOutbox } from '../../../store/webhook-outbox.js';
import type { RecordChange } from '../../admin-audit.js';
import type { ApiAuth } from '../../auth.js';
import { ApiError, ErrorBody } from '../../errors.js';
import {
  DeliveryListQuery,
  DeliveryParams,
  deliveryDto,
  WebhookBody,
  WebhookDeliveryDto,
  WebhookParams,
  WebhookTestReply,
  webhookDto,
} from './schemas.js';

export interface WebhooksPluginOptions {
  auth: ApiAuth;
  webhooks: readonly WebhookConfig[];
  outbox: Pick<WebhookOutbox, 'tally' | 'list' | 'redeliver'>;
  /** Told a delivery was put back in line (the dispatcher ends the receiver's rest and sends what is due). */
  redelivered: (webhookId: string) => void;
  /** How a webhook's receiver is doing (failures in a row, resting until). */
  receiver: (webhookId: string) => { failingInARow: number; restingUntil: number | null };
  /** Sends a webhook.test body now and says how the receiver answered. */
  sendTest: (webhookId: string) => Promise<{ status: number | null; error: string | null; ms: number }>;
  recordChange: RecordChange;
  now: () => number;
}

export const webhooksPlugin: FastifyPluginAsyncTypebox<WebhooksPluginOptions> = async (app, opts) => {
  const { auth, outbox } = opts;
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
  const webhookOf = (id: string): WebhookConfig => {
    const found = opts.webhooks.find((w) => w.id === id);
    if (!found) {
      const known = opts.webhooks.map((w) => w.id);
      throw new ApiError(
        404,
        'NOT_FOUND',
        `no webhook ${id}${known.length ? `; configured: ${known.join(', ')}` : ' (none is configured)'}`,
      );
    }
    return found;
  };

  app.get(
    '/api/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary:
          'The configured webhooks: the events each is sent, and how its deliveries stand (supervisors)',
        response: { 200: Type.Object({ items: Type.Array(WebhookBody) }), ...errors },
      },
    },
    async (request) => {
      auth.require(request);
      const items = [];
      for (const hook of opts.webhooks)
        items.push(webhookDto(hook, await outbox.tally(hook.id), opts.receiver(hook.id)));
      return { items };
    },
  );

  app.get(
    '/api/webhooks/:id/deliveries',
    {
      schema: {
        tags: ['webhooks'],
        summary: "A webhook's deliveries, newest first, each with the body it POSTs (supervisors)",
        params: WebhookParams,
        querystring: DeliveryListQuery,
        response: { 200: Type.Object({ items: Type.Array(WebhookDeliveryDto) }), ...errors },
      },
    },
    async (request) => {
      auth.require(request);
      const hook = webhookOf(request.params.id);
      const q = request.query;
      const rows = await outbox.list({
        webhookId: hook.id,
        status: q.status,
        beforeId: q.beforeId,
        limit: q.limit,
      });
      return { items: rows.map(deliveryDto) };
    },
  );

  app.post(
    '/api/webhooks/:id/test',
    {
      schema: {
        tags: ['webhooks'],
        summary:
          'Sends the webhook a `webhook.test` body now, signed like a delivery, and says how its receiver answered (a URL or a secret checked before calls depend on it; not kept, not retried). A 2xx ends a rest the receiver was in: what waited for it goes at once (supervisors)',
        params: WebhookParams,
        response: { 200: WebhookTestReply, ...errors },
      },
    },
    async (request) => {
      auth.require(request);
      const hook = webhookOf(request.params.id);
      const result = await opts.sendTest(hook.id);
      return { ...result, reached: result.status !== null && result.status >= 200 && result.status < 300 };
    },
  );

  app.post(
    '/api/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      schema: {
        tags: ['webhooks'],
        summary:
          'Puts a delivery back in line, due at once: one that failed every attempt (the receiver is fixed), or one delivered that the receiver lost. Its attempts count again from 0, and a rest the receiver was in ends (it is tried one delivery at a time until one is taken) (supervisors; on record in GET /api/changes)',
        params: DeliveryParams,
        response: { 200: WebhookDeliveryDto, ...errors },
      },
    },
    async (request) => {
      const principal = auth.require(request);
      const hook = webhookOf(request.params.id);
      const { deliveryId } = request.params;
      const row = await outbox.redeliver(hook.id, deliveryId, opts.now());
      if (!row) throw new ApiError(404, 'NOT_FOUND', `webhook ${hook.id} has no delivery ${deliveryId}`);
      opts.redelivered(hook.id);
      await opts.recordChange(principal, {
        action: 'webhook.redelivered',
        subject: `${hook.id}/${deliveryId}`,
        after: { interactionId: row.interaction_id, type: row.type },
      });
      return deliveryDto(row);
    },
  );
};
