import { Type } from '@sinclair/typebox';
import type { WebhookConfig } from '../../../config/schema.js';
import type { WebhookDeliveryRow, WebhookTally } from '../../../store/webhook-outbox.js';
import { deliveryBodyOf, Time, WebhookDeliveryBodySchema } from '../../../webhooks/delivery.js';
import { isoOrNull } from '../../dates.js';
import { webhookTarget } from '../../../webhooks/dispatcher.js';

export const WebhookStatus = Type.Union(
  [Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')],
  {
    description:
      'pending: not taken yet (due at nextAttemptAt); delivered: a 2xx came back; failed: every attempt failed',
  },
);

export const WebhookBody = Type.Object({
  id: Type.String(),
  url: Type.String({ description: 'Without any credentials it holds' }),
  events: Type.Array(Type.String()),
  queues: Type.Union([Type.Array(Type.String()), Type.Null()], {
    description: 'Only these queues’ events; null: every queue',
  }),
  signed: Type.Boolean({ description: 'Deliveries carry X-CC-Signature (the webhook has a secret)' }),
  maxAttempts: Type.Integer(),
  pending: Type.Integer(),
  failed: Type.Integer(),
  delivered: Type.Integer({ description: 'Delivered and still on record (deliveries are kept 30 days)' }),
  lastDeliveredAt: Time('When the newest event delivered was taken'),
  lastFailure: Type.Union(
    [
      Type.Object({
        at: Type.String({ format: 'date-time' }),
        status: Type.Union([Type.Integer(), Type.Null()]),
        error: Type.String(),
      }),
      Type.Null(),
    ],
    { description: 'The latest failed attempt of a delivery not delivered since' },
  ),
  failingInARow: Type.Integer({
    description: 'Attempts failed in a row since the service started (a 2xx resets it)',
  }),
  restingUntil: Time(
    'After 3 failures in a row nothing more is sent to the receiver until then (back-off, as one delivery’s retries), then one at a time until one is taken; null: not resting',
  ),
});

export const WebhookDeliveryDto = Type.Object({
  id: Type.Integer(),
  webhookId: Type.String(),
  interactionId: Type.Union([Type.String(), Type.Null()], {
    description: 'The interaction, for a timeline event',
  }),
  queueAlertId: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The queue alert (GET /api/alerts), for its events',
  }),
  agentId: Type.Union([Type.String(), Type.Null()], {
    description: 'The agent, for agent.state.changed and agent.help.*',
  }),
  type: Type.String(),
  at: Type.String({ format: 'date-time', description: 'When the event happened' }),
  status: WebhookStatus,
  attempts: Type.Integer({ description: 'Attempts made (counted again from 0 after a redelivery)' }),
  nextAttemptAt: Time('When a pending delivery is tried next'),
  lastAttemptAt: Time('When it was last tried'),
  lastStatus: Type.Union([Type.Integer(), Type.Null()], {
    description: 'HTTP status of the last attempt; null: no answer',
  }),
  lastError: Type.Union([Type.String(), Type.Null()]),
  deliveredAt: Time('When a 2xx came back'),
  body: WebhookDeliveryBodySchema,
});

export const WebhookTestReply = Type.Object({
  reached: Type.Boolean({ description: 'The receiver answered 2xx' }),
  status: Type.Union([Type.Integer(), Type.Null()], { description: 'Its HTTP status; null: no answer' }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'What went wrong, in words' }),
  ms: Type.Integer({ description: 'How long it took' }),
});

export const WebhookParams = Type.Object({ id: Type.String({ minLength: 1 }) });
export const DeliveryParams = Type.Object({
  id: Type.String({ minLength: 1 }),
  deliveryId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
});
export const DeliveryListQuery = Type.Object({
  status: Type.Optional(WebhookStatus),
  beforeId: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'The next page: deliveries older than this id',
    }),
  ),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
});

export function webhookDto(
  config: WebhookConfig,
  tally: WebhookTally,
  receiver: { failingInARow: number; restingUntil: number | null },
) {
  return {
    id: config.id,
    url: webhookTarget(config.url).url,
    events: [...config.events],
    queues: config.queues ? [...config.queues] : null,
    signed: config.secret !== undefined,
    maxAttempts: config.maxAttempts,
    pending: tally.pending,
    failed: tally.failed,
    delivered: tally.delivered,
    lastDeliveredAt: isoOrNull(tally.lastDeliveredAt),
    lastFailure: tally.lastFailure
      ? {
          at: new Date(tally.lastFailure.at).toISOString(),
          status: tally.lastFailure.status,
          error: tally.lastFailure.error,
        }
      : null,
    failingInARow: receiver.failingInARow,
    restingUntil: isoOrNull(receiver.restingUntil),
  };
}

export function deliveryDto(row: WebhookDeliveryRow) {
  // What the next attempt sends.
  const body = deliveryBodyOf(row, row.attempts + 1);
  return {
    id: row.id,
    webhookId: row.webhook_id,
    interactionId: row.interaction_id,
    queueAlertId: row.queue_alert_id,
    agentId: 'agentState' in body ? body.agentState.agentId : 'help' in body ? body.help.agentId : null,
    type: row.type,
    at: new Date(row.at).toISOString(),
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: isoOrNull(row.next_attempt_at),
    lastAttemptAt: isoOrNull(row.last_attempt_at),
    lastStatus: row.last_status,
    lastError: row.last_error,
    deliveredAt: isoOrNull(row.delivered_at),
    body,
  };
}
