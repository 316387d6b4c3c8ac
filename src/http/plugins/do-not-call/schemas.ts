import { type Static, Type } from '@sinclair/typebox';
import { supervisorRef } from '../../../interactions/events.js';
import { DO_NOT_CALL_FILE_ROWS, DO_NOT_CALL_NOTE_MAX } from '../../../supervision/do-not-call.js';

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
export const DoNotCallQuery = Type.Object({
  format: Type.Union([Type.Literal('json'), Type.Literal('csv')], {
    default: 'json',
    description:
      'csv: the list as a spreadsheet file (number, note, when, by whom, on which call), which POST /api/do-not-call/file reads back',
  }),
});
/** The CSV file's columns, in order: the number and note first, as a do-not-call file has them. */
export const DO_NOT_CALL_CSV_COLUMNS = [
  'number',
  'note',
  'addedAt',
  'addedBy',
  'interactionId',
  'id',
] as const;

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

/** The most a do-not-call file may weigh: its most numbers, each with a note at its longest, and then some. */
export const DO_NOT_CALL_FILE_BYTES = 8 * 1024 * 1024;
export const DoNotCallFileBody = Type.Object(
  {
    csv: Type.String({
      minLength: 1,
      maxLength: DO_NOT_CALL_FILE_BYTES,
      description: `The numbers as a CSV file (a CRM's opt-outs, a registry's extract; at most ${DO_NOT_CALL_FILE_ROWS}): its first line names the columns, number (required; or phone, telephone, mobile) and note (or notes, comment, reason); comma, semicolon or tab between fields. Any other column, a line with more fields than the first, an open quote, a line with no number or one no one could call refuses the file, by line`,
    }),
  },
  { additionalProperties: false },
);
export const DoNotCallFileReply = Type.Object({
  added: Type.Integer({ description: 'Numbers put on the list' }),
  alreadyListed: Type.Integer({
    description: 'Numbers on the list already, or twice in the file: left as they were',
  }),
});
