import { type Static, Type } from '@sinclair/typebox';
import { InstantOrDate } from '../../dates.js';
import { InteractionEventSchema } from '../../../interactions/events.js';
import { LIST_COUNT_CAP } from '../../../store/interaction-log.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Direction = Type.Union([
  Type.Literal('inbound'),
  Type.Literal('outbound'),
  Type.Literal('callback'),
  Type.Literal('voicemail'),
]);

export const InteractionBody = Type.Object(
  {
    id: Type.String(),
    direction: Direction,
    state: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
    channelId: Nullable(Type.String()),
    trunk: Nullable(Type.String()),
    callerNumber: Nullable(Type.String()),
    callerName: Nullable(Type.String()),
    dialedNumber: Nullable(Type.String()),
    startedAt: Type.String({ format: 'date-time' }),
    answeredAt: Nullable(Type.String({ format: 'date-time' })),
    endedAt: Nullable(Type.String({ format: 'date-time' })),
    ivrPath: Type.Array(Type.String()),
    queueId: Nullable(Type.String()),
    agentId: Nullable(Type.String()),
    waitSeconds: Nullable(Type.Number()),
    talkSeconds: Nullable(Type.Number()),
    holdSeconds: Nullable(Type.Number()),
    wrapSeconds: Nullable(Type.Number()),
    disposition: Nullable(Type.String()),
    abandoned: Type.Boolean(),
    endedBy: Nullable(Type.String()),
    hangupCause: Nullable(Type.String()),
    recording: Nullable(Type.String()),
    csat: Nullable(Type.Integer({ minimum: 1, maximum: 5 })),
    callerData: Type.Record(Type.String(), Type.Unknown()),
    notes: Nullable(Type.String()),
    wrapUpCode: Nullable(Type.String({ description: "The agent's disposition code from wrap-up" })),
    parentId: Nullable(
      Type.String({
        description: 'The interaction this one continues, e.g. the call that asked for a callback',
      }),
    ),
  },
  { description: 'One contact: a call, callback or voicemail, with its figures' },
);
export type InteractionDto = Static<typeof InteractionBody>;

/**
 * An entry no schema above describes (written by another version of the service, or a field this one does
 * not document): still served as stored, so one odd entry never hides a call from a supervisor.
 */
const UndocumentedEntry = Type.Object(
  { type: Type.String(), payload: Type.Record(Type.String(), Type.Unknown()) },
  { description: 'An entry of a type or shape this version does not document, as stored' },
);

export const TimelineEntryBody = Type.Intersect([
  Type.Object({ seq: Type.Integer(), at: Type.String({ format: 'date-time' }) }),
  Type.Union([InteractionEventSchema, UndocumentedEntry]),
]);

export const InteractionDetailBody = Type.Intersect([
  InteractionBody,
  Type.Object({ timeline: Type.Array(TimelineEntryBody) }),
]);

export const InteractionListQuery = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
    direction: Type.Optional(Direction),
    callerNumber: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          "The customer's number in any form the numbering plan reads (+447700900123, 07700 900123, 0044…)",
      }),
    ),
    queueId: Type.Optional(Type.String({ minLength: 1 })),
    agentId: Type.Optional(Type.String({ minLength: 1 })),
    disposition: Type.Optional(Type.String({ minLength: 1 })),
    from: Type.Optional(
      InstantOrDate(
        "Started at or after: an instant (ISO 8601), or a date YYYY-MM-DD: from the start of that day in the contact center's time zone",
      ),
    ),
    to: Type.Optional(
      InstantOrDate(
        'Started before: an instant (ISO 8601), or a date YYYY-MM-DD: to the end of that day (inclusive)',
      ),
    ),
    order: Type.Union([Type.Literal('newest'), Type.Literal('oldest')], {
      default: 'newest',
      description: 'By start time: newest first (a history), or oldest first (a work queue, e.g. voicemails)',
    }),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
    token: Type.Optional(
      Type.String({
        description:
          'Refused (401 TOKEN_IN_URL): a token in a URL ends up in logs. Send the Authorization header',
      }),
    ),
  },
  { additionalProperties: false },
);

export const InteractionListBody = Type.Object({
  items: Type.Array(InteractionBody),
  total: Type.Integer({
    description: `How many match, counted up to ${LIST_COUNT_CAP.toLocaleString('en')}; see totalIsExact`,
  }),
  totalIsExact: Type.Boolean({
    description: `false: more than ${LIST_COUNT_CAP.toLocaleString('en')} match, and total says that many`,
  }),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
