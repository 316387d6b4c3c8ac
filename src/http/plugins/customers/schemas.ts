import { type Static, Type } from '@sinclair/typebox';
import { InteractionDetailBody } from '../interactions/schemas.js';

export const ERASURE_REASON_MAX = 500;

const CustomerNumber = Type.String({
  minLength: 1,
  maxLength: 40,
  description:
    "The customer's phone number, in any form (+447700900123, 07700 900123…): every form of it counts",
});
const RequestReason = Type.String({
  minLength: 1,
  maxLength: ERASURE_REASON_MAX,
  description:
    "Why, for the record (e.g. the request's reference): in the change log (and on each erased call's timeline). Not the customer's name or number",
});

export const AccessRequestBody = Type.Object(
  { number: CustomerNumber, reason: RequestReason },
  { additionalProperties: false },
);

const Nullable = (t: ReturnType<typeof Type.String>) => Type.Union([t, Type.Null()]);

export const AccessReply = Type.Object({
  number: Type.String({ description: 'The number as the numbering plan reads it' }),
  exportedAt: Type.String({ format: 'date-time' }),
  interactions: Type.Array(InteractionDetailBody, {
    description:
      'Their calls, callbacks, voicemails and campaign calls, oldest first, each with its whole timeline (recordings: GET /api/interactions/:id/recording)',
  }),
  directory: Type.Array(
    Type.Object({ name: Type.String(), notes: Nullable(Type.String()), updatedAt: Type.String() }),
    { description: 'Their entries in the caller directory (the screen pop)' },
  ),
  campaignContacts: Type.Array(
    Type.Object({
      campaignId: Type.String(),
      name: Nullable(Type.String()),
      note: Nullable(Type.String()),
      state: Type.String(),
      reason: Nullable(Type.String()),
      closedAt: Nullable(Type.String()),
    }),
    { description: "Their rows on campaigns' contact lists" },
  ),
  listed: Type.Object(
    {
      doNotCall: Type.Boolean({ description: 'On the do-not-call list' }),
      blocked: Type.Boolean({ description: 'Blocked (their calls turned away)' }),
    },
    { description: 'Lists the number is on now' },
  ),
});
export type AccessReplyDto = Static<typeof AccessReply>;

export const ErasureRequestBody = Type.Object(
  {
    number: CustomerNumber,
    reason: RequestReason,
    dryRun: Type.Boolean({
      default: false,
      description: 'true: only say what would be erased (nothing is)',
    }),
  },
  { additionalProperties: false },
);
export type ErasureRequestDto = Static<typeof ErasureRequestBody>;

const Count = (description: string) => Type.Integer({ minimum: 0, description });

export const ErasureReply = Type.Object({
  number: Type.String({ description: 'The number as the numbering plan reads it' }),
  dryRun: Type.Boolean(),
  interactions: Count('Their calls, callbacks, voicemails and campaign calls (erased, or that would be)'),
  recordings: Count('Recordings of those calls deleted (or that would be)'),
  timelineEntries: Type.Optional(Count('Timeline entries that held their data, now saying [erased]')),
  webhookDeliveries: Type.Optional(
    Count('Deliveries to webhooks kept on record (sent or waiting) that held their data, cleaned likewise'),
  ),
  contacts: Count('Their entries in the caller directory (the screen pop), deleted'),
  campaignContacts: Count("Their rows on campaigns' contact lists, their number and name erased"),
  campaignContactsCancelled: Count('Of those, the ones still to be called: cancelled'),
  kept: Type.Object(
    {
      doNotCall: Type.Boolean({
        description: 'The number is on the do-not-call list, which keeps it so as to honour it',
      }),
      blocked: Type.Boolean({ description: 'The number is blocked, which keeps it' }),
    },
    { description: 'What stays on record about the number, and why' },
  ),
});
export type ErasureReplyDto = Static<typeof ErasureReply>;
