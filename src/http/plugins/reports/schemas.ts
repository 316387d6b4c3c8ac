import { type Static, Type } from '@sinclair/typebox';
import { InstantOrDate } from '../../dates.js';

export const ReportQuery = Type.Object(
  {
    from: InstantOrDate(
      "Start: an instant (rounded down to its hour or day), or a date YYYY-MM-DD: from the start of that day in the contact center's time zone",
    ),
    to: InstantOrDate(
      'End: an instant (exclusive), or a date YYYY-MM-DD: to the end of that day (inclusive)',
    ),
    interval: Type.Union([Type.Literal('hour'), Type.Literal('day')], {
      default: 'day',
      description: "Rows per hour or per day of the contact center's time zone (config timeZone)",
    }),
    format: Type.Union([Type.Literal('json'), Type.Literal('csv')], {
      default: 'json',
      description: 'csv: the same rows as a spreadsheet file, one line per row',
    }),
    token: Type.Optional(
      Type.String({
        description:
          'Refused (401 TOKEN_IN_URL): a token in a URL ends up in logs. Send the Authorization header',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ReportQueryDto = Static<typeof ReportQuery>;

export const QueueReportQuery = Type.Composite(
  [ReportQuery, Type.Object({ queueId: Type.Optional(Type.String({ minLength: 1 })) })],
  { additionalProperties: false },
);
export const AgentReportQuery = Type.Composite(
  [ReportQuery, Type.Object({ agentId: Type.Optional(Type.String({ minLength: 1 })) })],
  { additionalProperties: false },
);

const Bucket = {
  start: Type.String({ format: 'date-time' }),
  end: Type.String({ format: 'date-time' }),
  localStart: Type.String({
    description:
      "The row's start on the site's wall clock, YYYY-MM-DD HH:MM; in the hour that happens twice when the clocks go back, followed by its UTC offset (2026-10-25 02:00 +02:00, then 2026-10-25 02:00 +01:00)",
  }),
};
const Seconds = Type.Union([Type.Number(), Type.Null()]);

export const QueueReportRowBody = Type.Object({
  queueId: Type.String(),
  ...Bucket,
  offered: Type.Integer({ description: 'Calls that entered the queue in this hour or day' }),
  answered: Type.Integer(),
  answeredWithinServiceLevel: Type.Integer(),
  abandoned: Type.Integer(),
  flowedOut: Type.Integer({ description: 'Left unanswered for another destination (overflow, exit key)' }),
  serviceLevelPercent: Seconds,
  serviceLevelTargetPercent: Type.Union([Type.Number(), Type.Null()], {
    description: "The queue's aim for the service level (its serviceLevelTargetPercent), null without one",
  }),
  belowServiceLevelTarget: Type.Union([Type.Boolean(), Type.Null()], {
    description: 'The hour or day fell short of the aim; null without an aim or a finished call',
  }),
  asaSeconds: Seconds,
  ahtSeconds: Seconds,
  abandonRatePercent: Seconds,
  talkSeconds: Type.Number(),
  callbacksRequested: Type.Integer({
    description: "Callback requests made in this hour or day: a waiting caller's, or one booked for later",
  }),
  callbacksCompleted: Type.Integer({
    description: 'Callbacks that reached the customer in this hour or day',
  }),
  callbacksFailed: Type.Integer({
    description:
      'Callbacks given up in this hour or day: the retry policy used up, or not restorable after a restart',
  }),
  callbacksCancelled: Type.Integer({ description: 'Callbacks cancelled in this hour or day' }),
});

export const AgentReportRowBody = Type.Object({
  agentId: Type.String(),
  ...Bucket,
  handled: Type.Integer({ description: 'Calls the agent answered in this hour or day and handled' }),
  talkSeconds: Type.Number(),
  holdSeconds: Type.Number(),
  ahtSeconds: Seconds,
  missed: Type.Integer({ description: "Offers that rang out on the agent's phone" }),
  secondsInState: Type.Record(Type.String(), Type.Number()),
  notReadyByReason: Type.Record(Type.String(), Type.Number()),
  overstays: Type.Integer({
    description:
      "Not readies past their reason's limit that came due in this hour or day (breaks overstayed)",
  }),
  overstaySeconds: Type.Number({
    description:
      'Their time over the limit, counted in the hour or day each came due (so far, for one standing)',
  }),
});

const Report = <T extends typeof QueueReportRowBody | typeof AgentReportRowBody>(row: T) =>
  Type.Object({
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
    interval: Type.String(),
    timeZone: Type.String(),
    rows: Type.Array(row),
  });
export const QueueReportBody = Report(QueueReportRowBody);
export const AgentReportBody = Report(AgentReportRowBody);
