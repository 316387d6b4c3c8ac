import { type Static, Type } from '@sinclair/typebox';
import { supervisorRef } from '../../../interactions/events.js';
import { BLOCK_HOURS_MAX, BLOCK_REASON_MAX } from '../../../supervision/blocked-numbers.js';

const Instant = Type.String({ format: 'date-time' });

/** A blocked number, as the API, the live stream and the wallboard show it. */
export const BlockedNumberBody = Type.Object({
  id: Type.String(),
  number: Type.String({ description: "In the numbering plan's form, as callers' numbers are matched" }),
  reason: Type.String(),
  blockedAt: Instant,
  until: Type.Union([Instant, Type.Null()], { description: 'When it runs out; null: until lifted' }),
  by: Type.Union([supervisorRef('Who blocked it'), Type.Null()], {
    description: 'The supervisor who blocked it; null on the supervisor token',
  }),
  turnedAway: Type.Integer({ minimum: 0, description: 'Calls turned away by it' }),
  lastTurnedAwayAt: Type.Union([Instant, Type.Null()]),
  liftedAt: Type.Optional(Instant),
  liftedBy: Type.Optional(supervisorRef('Who lifted it')),
});
export type BlockedNumberDto = Static<typeof BlockedNumberBody>;

export const BlockNumberBody = Type.Object(
  {
    number: Type.String({
      minLength: 1,
      maxLength: 64,
      description:
        'The caller\'s number, in any form the numbering plan reads (or "anonymous"); or a prefix in the international form ending in * (e.g. "+1900*", at least 4 digits): every number starting with it',
    }),
    reason: Type.String({
      minLength: 1,
      maxLength: BLOCK_REASON_MAX,
      description: 'Why, for the record and the other supervisors, e.g. "abusive to agents"',
    }),
    hours: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: BLOCK_HOURS_MAX,
        description: 'How long it stands; absent: until lifted',
      }),
    ),
  },
  { additionalProperties: false },
);

export const BlockParams = Type.Object({ id: Type.String({ minLength: 1 }) });
export const BlockedNumberList = Type.Object({
  items: Type.Array(BlockedNumberBody, { description: 'The blocks standing now, the newest first' }),
});
