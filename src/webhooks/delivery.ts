import { createHmac } from 'node:crypto';
import { overSeconds } from '../supervision/break-overstays.js';
import { type Static, Type } from '@sinclair/typebox';
import { InteractionFields, Nullable } from '../interactions/interaction-schema.js';
import type { WebhookDeliveryRow } from '../store/webhook-outbox.js';

/**
 * Pure parts of webhook delivery: the body a receiver gets (one schema: it types the code, is checked in
 * the tests and documents the API), its signature, and when a failed attempt is tried again.
 */

/** An instant (ISO 8601) or null, described: the bodies' and the webhook API's optional times. */
export const Time = (description: string) =>
  Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description });

/** The interaction as it stood when the event was written: the API's fields (GET /api/interactions/:id). */
export const WebhookInteractionSchema = Type.Object(
  {
    ...InteractionFields,
    recorded: Type.Boolean({ description: 'A recording is kept: GET /api/interactions/:id/recording' }),
  },
  { additionalProperties: false },
);
export type WebhookInteraction = Static<typeof WebhookInteractionSchema>;

/** Queue alert events a webhook may ask for besides the timeline's (config `webhooks[].events`). */
export const QUEUE_ALERT_EVENTS = [
  'queue.alert.raised',
  'queue.alert.cleared',
  'queue.alert.acknowledged',
] as const;

/** Every agent state change (a workforce-management tool's adherence feed). */
export const AGENT_STATE_EVENTS = ['agent.state.changed'] as const;

/** Agents' requests for a supervisor's help (a floor supervisor's pager or chat channel). */
export const HELP_EVENTS = [
  'agent.help.asked',
  'agent.help.taken',
  'agent.help.ended',
  'agent.help.unanswered',
] as const;

/** A not ready past its reason's limit, begun and ended (a floor supervisor's pager, an adherence feed). */
export const OVERSTAY_EVENTS = [
  'agent.overstay.started',
  'agent.overstay.ended',
  'agent.overstay.acknowledged',
] as const;

const envelope = {
  deliveryId: Type.Integer({
    description: 'The same on every attempt: a receiver drops a repeat it has taken',
  }),
  webhook: Type.String(),
  attempt: Type.Integer({ minimum: 1 }),
  at: Type.String({ format: 'date-time', description: 'When the event happened' }),
};

/** A timeline event and its interaction. */
export const InteractionDeliveryBodySchema = Type.Object(
  {
    ...envelope,
    type: Type.String({ description: 'The timeline event type, e.g. interaction.closed' }),
    seq: Type.Integer({
      description: "The event's place in the record (increasing across all interactions)",
    }),
    interactionId: Type.String(),
    event: Type.Record(Type.String(), Type.Unknown(), {
      description: "The event's payload, as on the interaction's timeline (GET /api/interactions/:id)",
    }),
    interaction: WebhookInteractionSchema,
  },
  { additionalProperties: false, description: 'A timeline event and the interaction as it stood' },
);

/** A queue alert raised, cleared or taken on by a supervisor (a queue's `alerts` rules; GET /api/alerts). */
export const QueueAlertDeliveryBodySchema = Type.Object(
  {
    ...envelope,
    type: Type.Union([
      Type.Literal(QUEUE_ALERT_EVENTS[0]),
      Type.Literal(QUEUE_ALERT_EVENTS[1]),
      Type.Literal(QUEUE_ALERT_EVENTS[2]),
    ]),
    queueAlert: Type.Object(
      {
        id: Type.Integer(),
        queueId: Type.String(),
        kind: Type.String({ description: 'long_wait, many_waiting, unstaffed or below_service_level' }),
        raisedAt: Type.String({ format: 'date-time' }),
        clearedAt: Time('When it cleared; null while it stands'),
        value: Type.Number({ description: 'What was measured' }),
        threshold: Type.Number({ description: 'The rule it was measured against' }),
        message: Type.String({ description: 'In words, as the wallboard says it' }),
        acknowledgedAt: Time('When a supervisor took it on; null: nobody had when the event was written'),
        acknowledgedBy: Nullable(
          Type.String({ description: "The supervisor's id (null on the supervisor token, or nobody)" }),
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, description: 'A queue alert raised, cleared or acknowledged' },
);

/** An agent's state changed (a row of the agent-state log, which GET /api/reports/agents reads). */
export const AgentStateDeliveryBodySchema = Type.Object(
  {
    ...envelope,
    type: Type.Literal(AGENT_STATE_EVENTS[0]),
    agentState: Type.Object(
      {
        seq: Type.Integer({ description: "The change's place in the agent-state log (increasing)" }),
        agentId: Type.String(),
        from: Type.String({
          description: 'logged_out, available, not_ready, offered, talking, on_hold or wrap_up',
        }),
        to: Type.String({ description: 'As from' }),
        reason: Nullable(
          Type.String({ description: "Not ready's reason code (e.g. lunch, missed, phone_unreachable)" }),
        ),
        interactionId: Nullable(Type.String({ description: 'The call the change is part of' })),
        wrapUpUntil: Time('Into wrap-up: when it is due to end'),
        changedBy: Nullable(
          Type.String({
            description:
              'supervisor: a supervisor made the change for the agent; null: the agent or the service',
          }),
        ),
        changedBySupervisor: Nullable(
          Type.String({ description: 'Which supervisor, when they signed in as themselves' }),
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, description: "An agent's state changed" },
);

/** An agent asked a supervisor for help, a supervisor took it on, or it ended (GET /api/help/history). */
export const HelpDeliveryBodySchema = Type.Object(
  {
    ...envelope,
    type: Type.Union([
      Type.Literal(HELP_EVENTS[0]),
      Type.Literal(HELP_EVENTS[1]),
      Type.Literal(HELP_EVENTS[2]),
      Type.Literal(HELP_EVENTS[3]),
    ]),
    help: Type.Object(
      {
        id: Type.String(),
        agentId: Type.String(),
        interactionId: Nullable(
          Type.String({ description: 'The call the agent asked on; null: between calls' }),
        ),
        note: Nullable(Type.String({ description: 'What the agent said they need' })),
        askedAt: Type.String({ format: 'date-time' }),
        takenAt: Time('When a supervisor took it on; null: nobody had when the event was written'),
        takenBy: Nullable(
          Type.String({ description: "The supervisor's id (null on the supervisor token, or nobody)" }),
        ),
        endedAt: Time('When it ended; null while it stands'),
        endReason: Nullable(
          Type.String({
            description: 'withdrawn, resolved, logged_out or service_restarted; null while it stands',
          }),
        ),
        endedBy: Nullable(Type.String({ description: 'The supervisor who resolved it' })),
        unansweredAt: Time(
          'When it was said unanswered (nobody had taken it on within helpUnansweredSeconds); null otherwise',
        ),
      },
      { additionalProperties: false },
    ),
  },
  {
    additionalProperties: false,
    description: "An agent's request for help asked, taken on, ended, or still not taken on in time",
  },
);

/** An agent's not ready ran past its reason's limit, or the agent came back from one (GET /api/overstays/history). */
export const OverstayDeliveryBodySchema = Type.Object(
  {
    ...envelope,
    type: Type.Union([
      Type.Literal(OVERSTAY_EVENTS[0]),
      Type.Literal(OVERSTAY_EVENTS[1]),
      Type.Literal(OVERSTAY_EVENTS[2]),
    ]),
    overstay: Type.Object(
      {
        id: Type.String(),
        agentId: Type.String(),
        reason: Type.String({ description: 'The not-ready reason code, e.g. break' }),
        limitMinutes: Type.Integer({ description: "The reason's limit when the not ready began" }),
        since: Type.String({ format: 'date-time', description: 'When the not ready began' }),
        dueAt: Type.String({ format: 'date-time', description: 'When the agent was due back' }),
        endedAt: Time('When the agent moved on; null while it stands'),
        endedTo: Nullable(
          Type.String({
            description:
              'The state the agent went to (available, not_ready for another reason, logged_out, …) or service_restarted; null while it stands',
          }),
        ),
        overSeconds: Type.Integer({
          minimum: 0,
          description: 'How far over the limit: at the event (0 when it begins)',
        }),
        acknowledgedAt: Time('When a supervisor took it on ("I\'m on it"); null while nobody has'),
        acknowledgedBy: Nullable(
          Type.String({
            description: 'The supervisor who took it on; null on the supervisor token or nobody',
          }),
        ),
      },
      { additionalProperties: false },
    ),
  },
  {
    additionalProperties: false,
    description: "An agent's not ready past its limit: begun, taken on by a supervisor, or ended",
  },
);

/** What POST /api/webhooks/:id/test sends: nothing happened, the receiver is checked. */
export const TestDeliveryBodySchema = Type.Object(
  {
    ...envelope,
    deliveryId: Type.Literal(0, { description: 'A test is no delivery: 0' }),
    type: Type.Literal('webhook.test'),
    message: Type.String(),
  },
  { additionalProperties: false, description: 'A test sent by a supervisor (POST /api/webhooks/:id/test)' },
);

/** What each delivery POSTs (application/json). */
export const WebhookDeliveryBodySchema = Type.Union(
  [
    InteractionDeliveryBodySchema,
    QueueAlertDeliveryBodySchema,
    AgentStateDeliveryBodySchema,
    HelpDeliveryBodySchema,
    OverstayDeliveryBodySchema,
    TestDeliveryBodySchema,
  ],
  {
    description:
      'One webhook delivery: a timeline event and its interaction, a queue alert, an agent state change, a request for help, a not ready past its limit, or a test',
  },
);

export function testBody(webhookId: string, now: number): Static<typeof TestDeliveryBodySchema> {
  return {
    deliveryId: 0,
    webhook: webhookId,
    attempt: 1,
    at: new Date(now).toISOString(),
    type: 'webhook.test',
    message: 'A test from the contact center: this receiver is reached, and the signature can be checked.',
  };
}
export type WebhookDeliveryBody = Static<typeof WebhookDeliveryBodySchema>;

/** A delivery as stored: the columns the body is built from. */
export type StoredDelivery = Pick<
  WebhookDeliveryRow,
  | 'id'
  | 'webhook_id'
  | 'event_seq'
  | 'interaction_id'
  | 'queue_alert_id'
  | 'agent_event_seq'
  | 'help_request_id'
  | 'overstay_id'
  | 'type'
  | 'at'
  | 'payload'
  | 'interaction'
  | 'attempts'
>;

const TIMES = ['startedAt', 'answeredAt', 'enqueuedAt', 'connectedAt', 'endedAt'] as const;
const FLAGS = ['abandoned', 'recorded'] as const;

/** The interaction snapshot the trigger wrote (epoch ms, 0/1 flags) in the body's form. */
export function interactionOf(snapshot: string): WebhookInteraction {
  const row = JSON.parse(snapshot) as Record<string, unknown>;
  for (const key of TIMES) row[key] = typeof row[key] === 'number' ? new Date(row[key]).toISOString() : null;
  for (const key of FLAGS) row[key] = row[key] === 1 || row[key] === true;
  if (row.callerData === null || typeof row.callerData !== 'object') row.callerData = {};
  return row as WebhookInteraction;
}

/** The JSON a delivery POSTs on its `attempt`th try. */
export function deliveryBody(stored: StoredDelivery, attempt: number): string {
  return JSON.stringify(deliveryBodyOf(stored, attempt));
}

/** A stored payload's optional text, and optional instant (epoch ms) as ISO 8601: null when absent. */
const textOrNull = (value: unknown) => (typeof value === 'string' ? value : null);
const timeOrNull = (value: unknown) => (typeof value === 'number' ? new Date(value).toISOString() : null);

/** What a delivery POSTs on its `attempt`th try. */
export function deliveryBodyOf(stored: StoredDelivery, attempt: number): WebhookDeliveryBody {
  const common = {
    deliveryId: stored.id,
    webhook: stored.webhook_id,
    attempt,
    at: new Date(stored.at).toISOString(),
  };
  if (stored.queue_alert_id !== null) {
    const alert = JSON.parse(stored.payload) as Record<string, unknown>;
    return {
      ...common,
      type: stored.type as (typeof QUEUE_ALERT_EVENTS)[number],
      queueAlert: {
        id: Number(alert.id),
        queueId: String(alert.queueId),
        kind: String(alert.kind),
        raisedAt: new Date(Number(alert.raisedAt)).toISOString(),
        clearedAt: timeOrNull(alert.clearedAt),
        value: Number(alert.value),
        threshold: Number(alert.threshold),
        message: String(alert.message),
        acknowledgedAt: timeOrNull(alert.acknowledgedAt),
        acknowledgedBy: textOrNull(alert.acknowledgedBy),
      },
    };
  }
  if (stored.agent_event_seq !== null) {
    const change = JSON.parse(stored.payload) as Record<string, unknown>;
    return {
      ...common,
      type: AGENT_STATE_EVENTS[0],
      agentState: {
        seq: stored.agent_event_seq,
        agentId: String(change.agentId),
        from: String(change.from),
        to: String(change.to),
        reason: textOrNull(change.reason),
        interactionId: textOrNull(change.interactionId),
        wrapUpUntil: timeOrNull(change.until),
        changedBy: textOrNull(change.changedBy),
        changedBySupervisor: textOrNull(change.changedBySupervisor),
      },
    };
  }
  if (stored.help_request_id !== null) {
    const help = JSON.parse(stored.payload) as Record<string, unknown>;
    return {
      ...common,
      type: stored.type as (typeof HELP_EVENTS)[number],
      help: {
        id: String(help.id),
        agentId: String(help.agentId),
        interactionId: textOrNull(help.interactionId),
        note: textOrNull(help.note),
        askedAt: new Date(Number(help.askedAt)).toISOString(),
        takenAt: timeOrNull(help.takenAt),
        takenBy: textOrNull(help.takenBy),
        endedAt: timeOrNull(help.endedAt),
        endReason: textOrNull(help.endReason),
        endedBy: textOrNull(help.endedBy),
        unansweredAt: timeOrNull(help.unansweredAt),
      },
    };
  }
  if (stored.overstay_id !== null) {
    const overstay = JSON.parse(stored.payload) as Record<string, unknown>;
    const dueAt = Number(overstay.dueAt);
    const endedAt = typeof overstay.endedAt === 'number' ? overstay.endedAt : null;
    // Told when it began (0) or ended (in all): as the API counts it.
    return {
      ...common,
      type: stored.type as (typeof OVERSTAY_EVENTS)[number],
      overstay: {
        id: String(overstay.id),
        agentId: String(overstay.agentId),
        reason: String(overstay.reason),
        limitMinutes: Number(overstay.limitMinutes),
        since: new Date(Number(overstay.since)).toISOString(),
        dueAt: new Date(dueAt).toISOString(),
        endedAt: timeOrNull(endedAt),
        endedTo: textOrNull(overstay.endedTo),
        overSeconds: endedAt === null ? 0 : overSeconds({ dueAt }, endedAt),
        acknowledgedAt: timeOrNull(overstay.acknowledgedAt),
        acknowledgedBy: textOrNull(overstay.acknowledgedBy),
      },
    };
  }
  return {
    ...common,
    type: stored.type,
    seq: stored.event_seq ?? 0,
    interactionId: stored.interaction_id ?? '',
    event: JSON.parse(stored.payload) as Record<string, unknown>,
    interaction: interactionOf(stored.interaction ?? '{}'),
  };
}

/**
 * The X-CC-Signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. The time inside the
 * signed text lets a receiver refuse a replayed delivery; "v1" names the scheme so it can change.
 */
export function signature(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

const MAX_RETRY_WAIT_MS = 3_600_000;

/**
 * The wait before the next attempt after `attemptsMade` failed ones: `baseSeconds`, then four times longer
 * each time, up to an hour. A receiver's Retry-After (seconds) stands instead, within the hour.
 */
export function retryWaitMs(attemptsMade: number, baseSeconds: number, retryAfterSeconds?: number): number {
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) {
    return Math.min(MAX_RETRY_WAIT_MS, Math.max(1000, retryAfterSeconds * 1000));
  }
  return Math.min(MAX_RETRY_WAIT_MS, baseSeconds * 1000 * 4 ** Math.max(0, attemptsMade - 1));
}

/** A Retry-After header in seconds (delta-seconds or an HTTP date), undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000);
}

/** What one attempt's result means for the delivery. */
export type AttemptOutcome = { kind: 'delivered' } | { kind: 'retry'; at: number } | { kind: 'failed' };

export function attemptOutcome(input: {
  /** The HTTP status, or null when no answer came (refused, timed out, reset). */
  status: number | null;
  attempt: number;
  maxAttempts: number;
  retryBaseSeconds: number;
  retryAfterSeconds?: number;
  now: number;
}): AttemptOutcome {
  if (input.status !== null && input.status >= 200 && input.status < 300) return { kind: 'delivered' };
  if (input.attempt >= input.maxAttempts) return { kind: 'failed' };
  return {
    kind: 'retry',
    at: input.now + retryWaitMs(input.attempt, input.retryBaseSeconds, input.retryAfterSeconds),
  };
}
