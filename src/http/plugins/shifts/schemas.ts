import { type Static, type TUnsafe, Type } from '@sinclair/typebox';
import { ROSTER_FILE_BYTES } from '../../../agents/roster-file.js';
import { supervisorRef } from '../../../interactions/events.js';
import {
  BREAK_LABEL_MAX,
  BREAKS_PER_SHIFT,
  COPY_DAYS_MAX,
  MAX_SHIFT_HOURS,
  SHIFTS_PER_REQUEST,
} from '../../../agents/shifts.js';
import { AGENT_STATE_TYPES, type AgentStateType } from '../../../agents/seat.js';
import { InstantOrDate } from '../../dates.js';

const Instant = Type.String({ format: 'date-time' });

/** A seat state: a union of its literals (as validated, and compiled by the event hub), typed as the ACD's. */
const SeatStateType = (description: string) =>
  Type.Union(
    AGENT_STATE_TYPES.map((t) => Type.Literal(t)),
    { description },
  ) as unknown as TUnsafe<AgentStateType>;

const ShiftBreakBody = Type.Object({
  start: Instant,
  end: Instant,
  label: Type.Union([Type.String(), Type.Null()], { description: 'What it is ("Lunch"), or none' }),
});

export const ShiftBody = Type.Object({
  id: Type.String(),
  agentId: Type.String(),
  agentName: Type.String(),
  start: Instant,
  end: Instant,
  note: Type.Union([Type.String(), Type.Null()]),
  breaks: Type.Array(ShiftBreakBody, { description: 'The breaks planned inside it, by start' }),
  createdAt: Instant,
  by: Type.Optional(supervisorRef('Who put it on the roster (absent: the supervisor token)')),
  adherence: Type.Optional(
    Type.Object(
      {
        elapsedSeconds: Type.Number({
          description: 'Of the shift, gone by so far (all of it once it ended)',
        }),
        staffedSeconds: Type.Number({
          description:
            'Of those out of its breaks, the agent was signed in free, offered, on a call, on hold or wrapping up',
        }),
        breakSeconds: Type.Number({ description: 'Of elapsedSeconds, those of its breaks' }),
        staffedOnBreakSeconds: Type.Number({
          description: 'Of breakSeconds, the agent was staffed all the same',
        }),
        percent: Type.Union([Type.Number(), Type.Null()], {
          description:
            'Adherence: the share of elapsedSeconds spent as planned (staffed out of the breaks, away on them), %, one decimal; without breaks, staffedSeconds of elapsedSeconds',
        }),
      },
      { description: 'How the shift went so far (a shift begun)' },
    ),
  ),
  now: Type.Optional(
    Type.Object(
      {
        activity: Type.Union([Type.Literal('working'), Type.Literal('break')], {
          description: 'What the shift plans at the time read',
        }),
        label: Type.Union([Type.String(), Type.Null()], { description: "The break's label" }),
        until: Type.String({ format: 'date-time', description: 'When that ends (a break, or the shift)' }),
        agentState: SeatStateType("The agent's seat at the time read"),
        inAdherence: Type.Boolean({
          description:
            'The seat keeps to the plan: staffed while to work, away (not ready, signed out) on a break',
        }),
      },
      { description: 'A shift under way at the time read' },
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

/** Breaks as asked for: each inside its shift, none on another. */
const NewBreaks = Type.Array(
  Type.Object(
    {
      start: Type.String({ format: 'date-time' }),
      end: Type.String({ format: 'date-time', description: 'After start, inside the shift' }),
      label: Type.Optional(Type.String({ maxLength: BREAK_LABEL_MAX, description: '"Lunch", "Break"…' })),
    },
    { additionalProperties: false },
  ),
  {
    maxItems: BREAKS_PER_SHIFT,
    description: 'Breaks planned inside it (lunch, a coffee break): none on another',
  },
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
            breaks: Type.Optional(NewBreaks),
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
        description: `A roster file (or items; at most ${SHIFTS_PER_REQUEST} lines): its first line names the columns, agent (required: the agent's id or name), date (2026-12-07), from and to (the contact center's clock, 09:00; a to at or before from ends the next day), breaks ("12:00-12:30 Lunch; 15:00-15:15", by the same clock, inside the shift) and note; comma, semicolon or tab between fields. Any other column, an unknown agent, a date or time not written so refuses the file, by line`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type NewShifts = Static<typeof NewShiftsBody>;

export const ShiftParams = Type.Object({ id: Type.String({ minLength: 1 }) });

export const ShiftChangeBody = Type.Object(
  {
    agentId: Type.Optional(
      Type.String({ minLength: 1, description: 'Another agent takes the shift (cover for one off sick)' }),
    ),
    start: Type.Optional(Type.String({ format: 'date-time', description: 'With its offset' })),
    end: Type.Optional(Type.String({ format: 'date-time' })),
    note: Type.Optional(Type.String({ maxLength: 200, description: 'Blank takes the note off' })),
    breaks: Type.Optional(NewBreaks),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description:
      "What changes: the fields given replace the shift's; breaks are all its breaks from then on ([]: none)",
  },
);
export type ShiftChange = Static<typeof ShiftChangeBody>;

export const RosterFileQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date', description: 'The first day (default: today)' })),
    to: Type.Optional(
      Type.String({ format: 'date', description: 'The last day (default: 6 days after from)' }),
    ),
    agentId: Type.Optional(
      Type.String({ minLength: 1, description: "One agent's (an agent reads their own)" }),
    ),
  },
  { additionalProperties: false },
);

export const RosterFileRow = Type.Object({
  agent: Type.String({ description: "The agent's id" }),
  date: Type.String({ description: 'The day the shift starts' }),
  from: Type.String({ description: "On the contact center's clock, 09:00" }),
  to: Type.String({ description: 'At or before from: the next day' }),
  breaks: Type.String({ description: '"12:00-12:30 Lunch; 15:00-15:15"' }),
  note: Type.String(),
});

/** A read over the last days (default the last 7): which ones, whose, and JSON or a CSV of `line`s. */
const pastDaysQuery = (read: { from: string; to: string; line: string }) =>
  Type.Object(
    {
      from: Type.Optional(
        InstantOrDate(`${read.from} at or after: an instant, or a date from its start (default: 6 days ago)`),
      ),
      to: Type.Optional(
        InstantOrDate(`${read.to} before: an instant, or a date to its end (default: the end of today)`),
      ),
      agentId: Type.Optional(
        Type.String({ minLength: 1, description: "One agent's (an agent reads their own)" }),
      ),
      format: Type.Optional(
        Type.Union([Type.Literal('json'), Type.Literal('csv')], {
          description: `csv: a line per ${read.line} (default json)`,
        }),
      ),
    },
    { additionalProperties: false },
  );

export const AdherenceQuery = pastDaysQuery({
  from: 'Shifts starting',
  to: 'Shifts starting',
  line: 'shift',
});

const adherenceFigures = {
  shifts: Type.Integer({ description: 'Shifts begun' }),
  elapsedSeconds: Type.Number({ description: 'Of the shifts, gone by (whole shifts once ended)' }),
  workSeconds: Type.Number({ description: 'Of those, to work (not on a break)' }),
  breakSeconds: Type.Number({ description: 'Of those, on the breaks planned' }),
  staffedSeconds: Type.Number({
    description: 'While to work, the agent was staffed (free, offered, on a call, on hold, wrapping up)',
  }),
  staffedOnBreakSeconds: Type.Number({ description: 'While on a break, the agent was staffed all the same' }),
  percent: Type.Union([Type.Number(), Type.Null()], {
    description:
      'Adherence: the time spent as planned (staffed to work, away on breaks) of the time gone by, %',
  }),
  conformancePercent: Type.Union([Type.Number(), Type.Null()], {
    description:
      'The time staffed (breaks included) of the time to work, % (over 100: worked through breaks)',
  }),
};

export const ShiftAdherenceRow = Type.Object({
  shiftId: Type.String(),
  agentId: Type.String(),
  agentName: Type.String(),
  date: Type.String({ description: "The contact center's day it starts on" }),
  start: Instant,
  end: Instant,
  ...adherenceFigures,
});

export const AdherenceReport = Type.Object({
  from: Instant,
  to: Instant,
  agents: Type.Array(Type.Object({ agentId: Type.String(), agentName: Type.String(), ...adherenceFigures }), {
    description: "Each agent's shifts begun in the range, summed; by name",
  }),
  shifts: Type.Array(ShiftAdherenceRow, { description: 'Each shift begun in the range, by start' }),
});

const Day = (description: string) =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: `${description} (2026-12-07)` });

export const ShiftCopyBody = Type.Object(
  {
    from: Day('The first day copied'),
    to: Day('The day its shifts go on'),
    days: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: COPY_DAYS_MAX,
        description: 'How many days from `from` are copied (default 7: a week)',
      }),
    ),
    agentId: Type.Optional(Type.String({ minLength: 1, description: "One agent's shifts only" })),
  },
  { additionalProperties: false },
);

export const AdherenceExceptionBody = Type.Object(
  {
    agentId: Type.String(),
    shiftId: Type.String(),
    activity: Type.Union([Type.Literal('working'), Type.Literal('break')], {
      description: 'What the roster plans: to work, or a break',
    }),
    label: Type.Union([Type.String(), Type.Null()], { description: "The break's label" }),
    agentState: SeatStateType('The seat as told: as it is when told (in or out)'),
    since: Type.String({ format: 'date-time', description: 'When the seat stopped keeping to the roster' }),
  },
  { description: "An agent's seat off their roster past the grace period (shifts.adherenceGraceSeconds)" },
);

export const ExceptionHistoryQuery = pastDaysQuery({ from: 'Standing', to: 'Begun', line: 'exception' });

export const ExceptionHistoryRow = Type.Object({
  id: Type.Integer(),
  agentId: Type.String(),
  agentName: Type.String(),
  shiftId: Type.String(),
  activity: Type.Union([Type.Literal('working'), Type.Literal('break')], {
    description: 'What the roster planned: to work, or a break',
  }),
  label: Type.Union([Type.String(), Type.Null()], { description: "The break's label" }),
  since: Type.String({ format: 'date-time', description: 'When the seat stopped keeping to the roster' }),
  toldAt: Type.String({
    format: 'date-time',
    description: 'When supervisors were told (past the grace period)',
  }),
  agentState: SeatStateType('The seat as last told while off the roster'),
  endedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When it kept to the roster again, or nothing was planned any more; null: still off it',
  }),
  endedState: Type.Union([SeatStateType('The seat then'), Type.Null()]),
  seconds: Type.Integer({ description: 'How long it was off the roster (so far, while standing)' }),
});

export const ExceptionHistory = Type.Object({
  from: Instant,
  to: Instant,
  agents: Type.Array(
    Type.Object({
      agentId: Type.String(),
      agentName: Type.String(),
      exceptions: Type.Integer(),
      seconds: Type.Integer({ description: 'Their exceptions, summed' }),
    }),
    { description: 'Each agent with an exception in the range, the most time off the roster first' },
  ),
  items: Type.Array(ExceptionHistoryRow, { description: 'Each exception standing in the range, by start' }),
});

export const AdherenceExceptionList = Type.Object({
  graceSeconds: Type.Integer({ description: 'How long a seat may be off its roster before it is listed' }),
  items: Type.Array(AdherenceExceptionBody, { description: 'The longest first' }),
});
