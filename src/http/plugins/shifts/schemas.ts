import { type Static, Type } from '@sinclair/typebox';
import { ROSTER_FILE_BYTES } from '../../../agents/roster-file.js';
import { supervisorRef } from '../../../interactions/events.js';
import { MAX_SHIFT_HOURS, SHIFTS_PER_REQUEST } from '../../../agents/shifts.js';
import { InstantOrDate } from '../../dates.js';

const Instant = Type.String({ format: 'date-time' });

export const ShiftBody = Type.Object({
  id: Type.String(),
  agentId: Type.String(),
  agentName: Type.String(),
  start: Instant,
  end: Instant,
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: Instant,
  by: Type.Optional(supervisorRef('Who put it on the roster (absent: the supervisor token)')),
  adherence: Type.Optional(
    Type.Object(
      {
        elapsedSeconds: Type.Number({
          description: 'Of the shift, gone by so far (all of it once it ended)',
        }),
        staffedSeconds: Type.Number({
          description: 'Of those, the agent was signed in free, offered, on a call, on hold or wrapping up',
        }),
        percent: Type.Union([Type.Number(), Type.Null()], {
          description: 'staffedSeconds of elapsedSeconds, %, one decimal',
        }),
      },
      { description: 'How the shift went so far (a shift begun)' },
    ),
  ),
});

export const ShiftList = Type.Object({ items: Type.Array(ShiftBody) });

export const ShiftQuery = Type.Object(
  {
    from: Type.Optional(
      InstantOrDate('Shifts running at or after: an instant, or a date from its start (default: today)'),
    ),
    to: Type.Optional(
      InstantOrDate(
        'Shifts running before: an instant, or a date to its end (default: the end of `from`s day)',
      ),
    ),
    agentId: Type.Optional(
      Type.String({ minLength: 1, description: "One agent's (an agent sees their own)" }),
    ),
  },
  { additionalProperties: false },
);

export const NewShiftsBody = Type.Object(
  {
    items: Type.Optional(
      Type.Array(
        Type.Object(
          {
            agentId: Type.String({ minLength: 1 }),
            start: Type.String({
              format: 'date-time',
              description: 'With its offset: 2026-12-07T09:00:00+01:00',
            }),
            end: Type.String({
              format: 'date-time',
              description: `After start, at most ${MAX_SHIFT_HOURS} hours on`,
            }),
            note: Type.Optional(
              Type.String({ maxLength: 200, description: 'What it is: "late", "training"…' }),
            ),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: SHIFTS_PER_REQUEST, description: 'The shifts (or itemsCsv)' },
      ),
    ),
    itemsCsv: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: ROSTER_FILE_BYTES,
        description: `A roster file (or items; at most ${SHIFTS_PER_REQUEST} lines): its first line names the columns, agent (required: the agent's id or name), date (2026-12-07), from and to (the contact center's clock, 09:00; a to at or before from ends the next day) and note; comma, semicolon or tab between fields. Any other column, an unknown agent, a date or time not written so refuses the file, by line`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type NewShifts = Static<typeof NewShiftsBody>;

export const ShiftParams = Type.Object({ id: Type.String({ minLength: 1 }) });
