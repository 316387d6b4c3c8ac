import { type Static, Type } from '@sinclair/typebox';
import { InstantOrDate } from '../../dates.js';
import { OFFSET_MAX } from '../../list-bodies.js';
import { InteractionEventSchema } from '../../../interactions/events.js';
import {
  InteractionDirection,
  InteractionFields,
  Nullable,
} from '../../../interactions/interaction-schema.js';
import { LIST_COUNT_CAP } from '../../../store/interaction-log.js';

export const InteractionBody = Type.Object(
  {
    ...InteractionFields,
    channelId: Nullable(Type.String()),
    lineLost: Type.Boolean({
      description:
        "Asterisk hung up the caller's line: it sent no audio for the trunk's media timeout (`hangupCause` says so in words)",
    }),
    ivrPath: Type.Array(Type.String()),
    recording: Nullable(
      Type.String({ description: 'The recording’s file (GET /api/interactions/:id/recording plays it)' }),
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
    direction: Type.Optional(InteractionDirection),
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
    offset: Type.Integer({ minimum: 0, maximum: OFFSET_MAX, default: 0 }),
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
