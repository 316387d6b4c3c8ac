import { type Static, Type } from '@sinclair/typebox';
import { supervisorRef } from '../../../interactions/events.js';
import { DO_NOT_CALL_NOTE_MAX } from '../../../supervision/do-not-call.js';

const Instant = Type.String({ format: 'date-time' });

/** A do-not-call entry, as the API, the live stream and the wallboard show it. */
export const DoNotCallBody = Type.Object({
  id: Type.String(),
  number: Type.String({
    description: "In the numbering plan's form, as dialled numbers and callbacks are matched",
  }),
  note: Type.Union([Type.String(), Type.Null()]),
  addedAt: Instant,
  by: Type.Union(
    [
      Type.Object({ type: Type.Literal('agent'), agentId: Type.String() }),
      Type.Object({ type: Type.Literal('supervisor'), supervisor: Type.Optional(supervisorRef()) }),
    ],
    { description: 'The agent who noted it on the call, or the supervisor who added it (none: the token)' },
  ),
  interactionId: Type.Union([Type.String(), Type.Null()], {
    description: 'The call on which the customer asked; null when a supervisor added the number',
  }),
  removedAt: Type.Optional(Instant),
  removedBy: Type.Optional(supervisorRef('Who removed it')),
});
export type DoNotCallDto = Static<typeof DoNotCallBody>;

export const DoNotCallList = Type.Object({ items: Type.Array(DoNotCallBody) });

const Note = Type.String({
  minLength: 1,
  maxLength: DO_NOT_CALL_NOTE_MAX,
  description: 'A few words, e.g. "asked twice, was upset"',
});

export const NoteDoNotCallBody = Type.Object({ note: Type.Optional(Note) }, { additionalProperties: false });

export const AddDoNotCallBody = Type.Object(
  {
    number: Type.String({
      minLength: 1,
      maxLength: 64,
      description: "The customer's number, in any form the numbering plan reads",
    }),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);

export const DoNotCallParams = Type.Object({ id: Type.String({ minLength: 1 }) });
export const InteractionParams = Type.Object({ id: Type.String({ minLength: 1 }) });
