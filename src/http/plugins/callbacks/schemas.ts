import { type Static, Type } from '@sinclair/typebox';
import { CALLBACK_FILE_BYTES, CALLBACKS_PER_REQUEST } from '../../../acd/callback-file.js';
import type { LinePlace } from '../../../acd/line-view.js';

const iso = (ms: number) => new Date(ms).toISOString();

export const ReservationBody = Type.Object(
  {
    agentId: Type.String(),
    until: Type.String({ format: 'date-time' }),
  },
  { description: 'A personal callback: only this agent is offered it until then; anyone in the queue after' },
);

export const CallbackStepBody = Type.Object({
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('attempting'),
    Type.Literal('retry_wait'),
    Type.Literal('closed'),
  ]),
  attempts: Type.Integer(),
  notBefore: Type.Optional(
    Type.String({
      format: 'date-time',
      description: 'Waiting until then: its next attempt, or, never attempted, the time it was scheduled for',
    }),
  ),
  reservedFor: Type.Optional(ReservationBody),
  callableFrom: Type.Optional(
    Type.String({
      format: 'date-time',
      description:
        "Due (or due at notBefore) outside its queue's callback hours: when they next open, the first moment it may be called",
    }),
  ),
  abandoned: Type.Optional(
    Type.Literal(true, {
      description:
        "The queue's own callback for a caller who gave up waiting (abandonedCallback): cancelled if they call again and reach an agent",
    }),
  ),
  campaign: Type.Optional(
    Type.Literal(true, {
      description: 'A call of an outbound campaign: it gives way to every caller and callback request',
    }),
  ),
});

/** A line place's callback step with its times as ISO strings (the router keeps epoch ms). */
export function callbackStepDto(step: NonNullable<LinePlace['callback']>) {
  return {
    status: step.status,
    attempts: step.attempts,
    ...(step.notBefore !== undefined ? { notBefore: iso(step.notBefore) } : {}),
    ...(step.reservedFor
      ? { reservedFor: { agentId: step.reservedFor.agentId, until: iso(step.reservedFor.until) } }
      : {}),
    ...(step.callableFrom !== undefined ? { callableFrom: iso(step.callableFrom) } : {}),
    ...(step.abandoned ? { abandoned: true as const } : {}),
    ...(step.campaign ? { campaign: true as const } : {}),
  };
}

export const CallbackParams = Type.Object({ id: Type.String({ minLength: 1 }) });

export const ScheduleCallbackBody = Type.Object(
  {
    at: Type.String({
      format: 'date-time',
      description:
        'When to call back (after now, at most 180 days ahead), with its offset, e.g. 2026-12-07T10:00:00+01:00',
    }),
    number: Type.Optional(
      Type.String({
        minLength: 3,
        maxLength: 32,
        description:
          "The number to call; default: the call's customer (its caller, or whom the agent dialled)",
      }),
    ),
    queueId: Type.Optional(
      Type.String({ minLength: 1, description: "The queue that carries it out; default: the call's queue" }),
    ),
    agentId: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'Keep it for this agent (a member of the queue): a personal callback. An agent may name only themselves',
      }),
    ),
    reserveMinutes: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1440,
        description:
          'With agentId: how long after it is due it is kept for that agent before anyone in the queue may take it (default 60)',
      }),
    ),
    note: Type.Optional(Type.String({ maxLength: 500, description: 'What it is about, for the record' })),
  },
  { additionalProperties: false },
);
export type ScheduleCallbackRequest = Static<typeof ScheduleCallbackBody>;

/** Callbacks asked for outside any call: a website's "call me back" form, a CRM, a list to work through. */
export const NewCallbackRequestsBody = Type.Object(
  {
    queueId: Type.String({ minLength: 1, description: 'The queue that carries them out' }),
    items: Type.Optional(
      Type.Array(
        Type.Object(
          {
            number: Type.String({
              minLength: 3,
              maxLength: 32,
              description: 'The number to call, as the customer gave it (read through the numbering plan)',
            }),
            name: Type.Optional(
              Type.String({
                maxLength: 100,
                description: "The customer's name: the agent's screen shows it",
              }),
            ),
            at: Type.Optional(
              Type.String({
                format: 'date-time',
                description:
                  'When to call (after now, at most 180 days ahead); absent: as soon as the callback hours allow',
              }),
            ),
            agentId: Type.Optional(
              Type.String({ minLength: 1, description: 'Keep it for this agent (a member of the queue)' }),
            ),
            reserveMinutes: Type.Optional(
              Type.Integer({
                minimum: 1,
                maximum: 1440,
                description: 'With agentId: how long after it is due it is kept for them (default 60)',
              }),
            ),
            note: Type.Optional(Type.String({ maxLength: 500, description: 'What it is about' })),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: CALLBACKS_PER_REQUEST, description: 'The callbacks (or itemsCsv)' },
      ),
    ),
    itemsCsv: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: CALLBACK_FILE_BYTES,
        description: `The callbacks as a CSV file (or items; at most ${CALLBACKS_PER_REQUEST}): its first line names the columns, number (required; or phone, telephone, mobile), name, at (or when, call at: 2026-12-07 10:00 is the contact center's time, or with its offset 2026-12-07T10:00:00+01:00; a date alone is that day), agent (kept for them: their id or name), reserve minutes and note (or notes, comment); comma, semicolon or tab between fields. Any other column, a line with more fields than the first, an open quote, a line with no number or a time not written so refuses the file, by line`,
      }),
    ),
    at: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'When to call those that name no time of their own (after now, at most 180 days ahead)',
      }),
    ),
  },
  { additionalProperties: false },
);

export type NewCallbackRequests = Static<typeof NewCallbackRequestsBody>;

export const CallbackRequestBody = Type.Object({
  interactionId: Type.String({
    description: 'The call the callback belongs to; its steps are on its timeline',
  }),
  queueId: Type.String(),
  number: Type.String(),
  state: Type.Union([Type.Literal('waiting'), Type.Literal('ringing'), Type.Literal('dialing')], {
    description: "waiting (see the step's notBefore); ringing its agent; the agent is dialling the customer",
  }),
  callback: CallbackStepBody,
});

export const CallbackListQuery = Type.Object(
  { queueId: Type.Optional(Type.String({ minLength: 1 })) },
  { additionalProperties: false },
);

export const CallbackListBody = Type.Object({ items: Type.Array(CallbackRequestBody) });

/** What POST /api/callbacks booked, and (rarely) what it could not. */
export const BookedCallbacksBody = Type.Object({
  items: Type.Array(CallbackRequestBody, { description: "The requests booked, in the list's order" }),
  notBooked: Type.Array(
    Type.Object({
      index: Type.Integer({ description: "The item's place in the list" }),
      line: Type.Optional(Type.Integer({ description: "From a file (itemsCsv): the item's line in it" })),
      interactionId: Type.String({ description: 'Its callback interaction, on record with why' }),
      code: Type.String(),
      reason: Type.String(),
    }),
    {
      description:
        'Items the queue refused after the list was checked, because its line changed while the list was written (the same number booked at that moment by someone else): empty unless that happened',
    },
  ),
});

export const CancelledCallbackBody = Type.Object({
  interactionId: Type.String(),
  cancelled: Type.Literal(true),
});
