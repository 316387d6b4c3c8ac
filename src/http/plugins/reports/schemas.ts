import { type Static, Type } from '@sinclair/typebox';
import { InstantOrDate } from '../../dates.js';

export const ReportQuery = Type.Object(
  {
    from: InstantOrDate(
      "Start: an instant (rounded down to its interval), or a date YYYY-MM-DD: from the start of that day in the contact center's time zone",
    ),
    to: InstantOrDate(
      'End: an instant (exclusive), or a date YYYY-MM-DD: to the end of that day (inclusive)',
    ),
    interval: Type.Union(
      [Type.Literal('15min'), Type.Literal('30min'), Type.Literal('hour'), Type.Literal('day')],
      {
        default: 'day',
        description:
          "Rows per quarter hour, half hour, hour or day of the contact center's time zone (config timeZone)",
      },
    ),
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
  offered: Type.Integer({ description: 'Calls that entered the queue in this interval' }),
  answered: Type.Integer(),
  answeredWithinServiceLevel: Type.Integer(),
  abandoned: Type.Integer(),
  flowedOut: Type.Integer({ description: 'Left unanswered for another destination (overflow, exit key)' }),
  serviceLevelPercent: Seconds,
  serviceLevelTargetPercent: Type.Union([Type.Number(), Type.Null()], {
    description: "The queue's aim for the service level (its serviceLevelTargetPercent), null without one",
  }),
  belowServiceLevelTarget: Type.Union([Type.Boolean(), Type.Null()], {
    description: 'The interval fell short of the aim; null without an aim or a finished call',
  }),
  asaSeconds: Seconds,
  ahtSeconds: Seconds,
  abandonRatePercent: Seconds,
  talkSeconds: Type.Number(),
  callbacksRequested: Type.Integer({
    description: "Callback requests made in this interval: a waiting caller's, or one booked for later",
  }),
  callbacksCompleted: Type.Integer({
    description: 'Callbacks that reached the customer in this interval',
  }),
  callbacksFailed: Type.Integer({
    description:
      'Callbacks given up in this interval: the retry policy used up, or not restorable after a restart',
  }),
  callbacksCancelled: Type.Integer({ description: 'Callbacks cancelled in this interval' }),
});

export const AgentReportRowBody = Type.Object({
  agentId: Type.String(),
  ...Bucket,
  handled: Type.Integer({ description: 'Calls the agent answered in this interval and handled' }),
  talkSeconds: Type.Number(),
  holdSeconds: Type.Number(),
  ahtSeconds: Seconds,
  missed: Type.Integer({ description: "Offers that rang out on the agent's phone" }),
  secondsInState: Type.Record(Type.String(), Type.Number()),
  notReadyByReason: Type.Record(Type.String(), Type.Number()),
  overstays: Type.Integer({
    description: "Not readies past their reason's limit that came due in this interval (breaks overstayed)",
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

export const StaffingQuery = Type.Object(
  {
    queueId: Type.String({ minLength: 1, description: 'The queue to staff' }),
    date: Type.String({
      format: 'date',
      description:
        "The day to staff, YYYY-MM-DD in the contact center's time zone (a day gone by shows its calls beside the forecast)",
    }),
    interval: Type.Union([Type.Literal('15min'), Type.Literal('30min'), Type.Literal('hour')], {
      default: '30min',
      description: 'A row per quarter hour, half hour or hour of that day',
    }),
    weeks: Type.Integer({
      minimum: 1,
      maximum: 13,
      default: 4,
      description:
        "How many of the same weekday before it to forecast from: the latest that have begun (today's intervals that have ended count)",
    }),
    shrinkagePercent: Type.Number({
      minimum: 0,
      maximum: 90,
      default: 0,
      description:
        'The share of scheduled time agents are away from calls (breaks, meetings, absence): scheduled = agents ÷ (1 − shrinkage)',
    }),
    maxOccupancyPercent: Type.Optional(
      Type.Number({
        minimum: 50,
        maximum: 100,
        description:
          'Keep agents on calls at most this share of the time (85 is common): more agents where it binds',
      }),
    ),
    targetPercent: Type.Optional(
      Type.Number({
        minimum: 1,
        maximum: 99.9,
        description:
          "The share of calls to answer within the service level (default: the queue's serviceLevelTargetPercent, or 80)",
      }),
    ),
    serviceLevelSeconds: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 3600,
        description: "Within how many seconds (default: the queue's serviceLevelSeconds)",
      }),
    ),
    handleSeconds: Type.Optional(
      Type.Number({
        minimum: 1,
        maximum: 7200,
        description:
          "One handle time (talk and wrap-up, seconds) for every interval instead of the history's: what if calls grew longer",
      }),
    ),
    shiftHours: Type.Optional(
      Type.Number({
        minimum: 2,
        maximum: 12,
        default: 8,
        description:
          'The length of the shifts suggested to cover what the roster lacks (suggestedShifts), hours: whole intervals of it',
      }),
    ),
    format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }),
    token: Type.Optional(
      Type.String({
        description:
          'Refused (401 TOKEN_IN_URL): a token in a URL ends up in logs. Send the Authorization header',
      }),
    ),
  },
  { additionalProperties: false },
);
export type StaffingQueryDto = Static<typeof StaffingQuery>;

const Figure = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });

export const StaffingRowBody = Type.Object({
  ...Bucket,
  historyDays: Type.Integer({
    description:
      'The earlier days the forecast of this interval comes from (0: none had reached it, no forecast)',
  }),
  calls: Figure('Calls expected: the mean of those days (null without history)'),
  handleSeconds: Figure(
    "The handle time the forecast takes (talk and wrap-up): this interval's over those days, or the whole history's when none was answered in it, or the one asked for",
  ),
  trafficErlangs: Figure('Calls × handle time ÷ interval: the agents busy on calls on average'),
  agents: Figure(
    'Agents on calls or free for them to meet the aim (null: no forecast, or no handle time to go by)',
  ),
  scheduled: Figure('Agents to schedule so that many are there after shrinkage'),
  serviceLevelPercent: Figure('The share answered within the aim with that many agents (Erlang C)'),
  asaSeconds: Figure('The average wait with that many agents'),
  occupancyPercent: Figure("The agents' time on calls with that many"),
  actualCalls: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Calls that did enter the queue in this interval (null: it has not ended yet)',
  }),
  actualAgents: Type.Union([Type.Number(), Type.Null()], {
    description:
      "Agents that did staff the queue in this interval on average: its members' time free, on calls or in wrap-up, over the interval (not ready is shrinkage; null: it has not ended yet)",
  }),
  onShift: Type.Union([Type.Number(), Type.Null()], {
    description:
      "The queue's members on the roster for this interval on average (an agent whose shift ends half-way counts a half; one in two queues counts in both); null: no roster kept",
  }),
  reforecastCalls: Figure(
    'A day under way, forecast again: the calls expected scaled by how the day has run so far (totals.runRatio), for an interval still to end (null otherwise, or without a telling run)',
  ),
  reforecastAgents: Figure('The agents that many calls need'),
  reforecastScheduled: Figure('And to schedule, after shrinkage'),
});

export const StaffingBody = Type.Object({
  queueId: Type.String(),
  date: Type.String({ format: 'date' }),
  interval: Type.String(),
  timeZone: Type.String(),
  historyDates: Type.Array(Type.String({ format: 'date' }), {
    description: 'The earlier days the forecast comes from, latest first',
  }),
  serviceLevelSeconds: Type.Integer(),
  targetPercent: Type.Number(),
  shrinkagePercent: Type.Number(),
  maxOccupancyPercent: Type.Union([Type.Number(), Type.Null()]),
  totals: Type.Object({
    calls: Type.Number({ description: 'Calls expected over the day' }),
    peakAgents: Type.Integer({ description: 'The most agents any interval needs' }),
    peakScheduled: Type.Integer(),
    scheduledHours: Type.Number({
      description: "Agent hours to schedule over the day (each interval's scheduled × its length)",
    }),
    withoutForecast: Type.Integer({
      description: 'Intervals with no forecast (no history, or no handle time to go by)',
    }),
    runRatio: Type.Union([Type.Number(), Type.Null()], {
      description:
        "The day's calls so far over the forecast's for the intervals that have ended (1.2: running 20 % above); null for a day to come, or with fewer than 5 calls expected so far",
    }),
  }),
  rows: Type.Array(StaffingRowBody),
  suggestedShifts: Type.Array(
    Type.Object({
      start: Type.String({ format: 'date-time' }),
      end: Type.String({ format: 'date-time' }),
      localStart: Type.String({ description: "On the contact center's clock, as rows' localStart" }),
      localEnd: Type.String(),
      agents: Type.Integer({ minimum: 1, description: 'How many such shifts' }),
    }),
    {
      description:
        "Shifts to add so the roster covers each interval's agents to schedule beyond those on shift (whole agents): shiftHours long, from the earliest interval short, by start; none when it covers the day (or no roster is kept and nothing is needed)",
    },
  ),
});
