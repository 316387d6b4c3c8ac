import { type Static, Type } from '@sinclair/typebox';
import { supervisorRef } from '../../../interactions/events.js';
import { FLAG_NOTE_MAX, FlagReasonSchema } from '../../../supervision/caller-flags.js';
import { BLOCK_HOURS_MAX } from '../../../supervision/blocked-numbers.js';
import { BlockedNumberBody } from '../blocked-numbers/schemas.js';

const Instant = Type.String({ format: 'date-time' });

/** An agent's flag on a caller, as the API, the live stream and the wallboard show it. */
export const CallerFlagBody = Type.Object({
  id: Type.String(),
  number: Type.String({ description: "The caller's number (the numbering plan's form)" }),
  interactionId: Type.String({ description: 'The call it came from' }),
  agentId: Type.String({ description: 'The agent who flagged the caller' }),
  reason: FlagReasonSchema,
  note: Type.Union([Type.String(), Type.Null()], { description: "The agent's words" }),
  flaggedAt: Instant,
  decision: Type.Optional(
    Type.Object(
      {
        outcome: Type.Union([Type.Literal('blocked'), Type.Literal('dismissed')]),
        at: Instant,
        by: Type.Optional(supervisorRef('Who decided (absent: on the supervisor token)')),
        blockId: Type.Optional(Type.String({ description: 'The block that settled it (blocked)' })),
      },
      { description: "A supervisor's decision; absent while it waits for one" },
    ),
  ),
});
export type CallerFlagDto = Static<typeof CallerFlagBody>;

export const FlagCallerBody = Type.Object(
  {
    reason: FlagReasonSchema,
    note: Type.Optional(
      Type.String({ maxLength: FLAG_NOTE_MAX, description: 'What happened, for the supervisor who decides' }),
    ),
  },
  { additionalProperties: false },
);

export const BlockFromFlagBody = Type.Object(
  {
    hours: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: BLOCK_HOURS_MAX,
        description: 'How long the block stands; absent: until lifted',
      }),
    ),
  },
  { additionalProperties: false },
);

export const FlagParams = Type.Object({ id: Type.String({ minLength: 1 }) });

export const CallerFlagList = Type.Object({
  items: Type.Array(CallerFlagBody, { description: 'The flags waiting for a supervisor, the oldest first' }),
});

export const FlagsDecidedBody = Type.Object({
  flags: Type.Array(CallerFlagBody, {
    description: 'The flags the decision settled: a block settles every flag standing on its number',
  }),
  block: Type.Optional(BlockedNumberBody),
});
