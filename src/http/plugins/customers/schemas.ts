import { type Static, Type } from '@sinclair/typebox';

export const ERASURE_REASON_MAX = 500;

export const ErasureRequestBody = Type.Object(
  {
    number: Type.String({
      minLength: 1,
      maxLength: 40,
      description:
        "The customer's phone number, in any form (+447700900123, 07700 900123…): every form of it is erased",
    }),
    reason: Type.String({
      minLength: 1,
      maxLength: ERASURE_REASON_MAX,
      description:
        "Why, for the record (e.g. the request's reference): on each erased call's timeline and in the change log. Not the customer's name",
    }),
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
