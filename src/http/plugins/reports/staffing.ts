import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { setImmediate } from 'node:timers/promises';
import {
  type AgentReportRow,
  INTERVAL_MINUTES,
  localLabel,
  QueueReportFold,
  type ReportBucket,
  reportBuckets,
} from '../../../acd/reports.js';
import { localWeekTime } from '../../../acd/hours.js';
import { dateAfter, dateOf, startOfDate, startOfNextDay } from '../../../acd/site-day.js';
import {
  agentsStaffed,
  aimOf,
  type ForecastInterval,
  forecastDay,
  type HistoryInterval,
  reforecast,
  type StaffingTerms,
} from '../../../acd/staffing.js';
import { ApiError, ErrorBody } from '../../errors.js';
import { foldAgentChanges } from './agent-changes.js';
import { csvColumns, sendCsv, sendJson } from '../../report-bodies.js';
import type { ReportsPluginOptions } from './index.js';
import { StaffingBody, StaffingQuery, type StaffingQueryDto, StaffingRowBody } from './schemas.js';
import { agentsOnShift, shiftsToCover } from '../../../agents/shifts.js';

const STAFFING_CSV_COLUMNS = csvColumns(StaffingRowBody);
/** How far ahead a day may be staffed: a year (the same weekday's history is then a year old). */
const MAX_DAYS_AHEAD = 366;
const DAY_MS = 86_400_000;
type StaffingInterval = StaffingQueryDto['interval'];

/** `YYYY-MM-DD` moved by whole calendar days (the date alone: no zone, no DST). */

/**
 * GET /api/reports/staffing: the agents a queue needs in each interval of a day to meet its service level
 * (Erlang C, src/acd/staffing.ts), from the calls of the same weekday in the weeks before.
 */
export const staffingRoutes: FastifyPluginAsyncTypebox<ReportsPluginOptions> = async (app, opts) => {
  const { acd, auth, log } = opts;

  /** A day's quarter hours, half hours or hours on the site's clock (a DST day has 92 to 100 quarters). */
  const dayBuckets = (date: string, interval: StaffingInterval) => {
    const start = startOfDate(date, acd.timeZone);
    return reportBuckets(start, startOfNextDay(start, acd.timeZone), interval, acd.timeZone);
  };

  /** One day's intervals as the queue report counts them, by their slot in the day. */
  const dayOf = async (
    queue: { id: string; serviceLevelSeconds: number },
    date: string,
    interval: StaffingInterval,
  ) => {
    const buckets = dayBuckets(date, interval);
    const now = acd.now();
    const fold = new QueueReportFold(queue, buckets, now);
    const [start, end] = [buckets[0]?.start ?? 0, buckets.at(-1)?.end ?? 0];
    for await (const page of log.queueRecordPages(queue.id, start, end)) fold.add(page);
    return fold.finish().map(
      (row): HistoryInterval => ({
        slot: slotOf(row.start),
        ended: row.end <= now,
        offered: row.offered,
        answered: row.answered,
        handleSeconds: (row.ahtSeconds ?? 0) * row.answered,
      }),
    );
  };
  const slotOf = (at: number) => localWeekTime(at, acd.timeZone).minuteOfDay;

  /**
   * Per interval, the agents that staffed the queue on average (its members now: one in two queues counts in
   * both), from their state changes as the agent report folds them; the event loop let go between agents.
   */
  const staffedOf = async (queueId: string, buckets: readonly ReportBucket[]): Promise<number[]> => {
    const now = Math.min(acd.now(), buckets.at(-1)?.end ?? 0);
    const perAgent: AgentReportRow[][] = [];
    for (const { agentId } of opts.queueAdmin.members(queueId)) {
      perAgent.push((await foldAgentChanges(opts.agentLog, agentId, buckets, now)).finish([]));
      await setImmediate();
    }
    return buckets.map((b, i) =>
      agentsStaffed(
        perAgent.map((rows) => rows[i]?.secondsInState ?? {}),
        (b.end - b.start) / 1000,
      ),
    );
  };

  app.get(
    '/api/reports/staffing',
    {
      schema: {
        tags: ['reports'],
        summary:
          "Agents a queue needs per interval of a day to meet its service level (Erlang C), forecast from the same weekday's calls in the weeks before",
        querystring: StaffingQuery,
        response: {
          200: StaffingBody,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          422: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      auth.require(request); // supervisors
      const q = request.query;
      const queue = opts.queueAdmin.list().find((candidate) => candidate.id === q.queueId);
      if (!queue) throw new ApiError(404, 'QUEUE_NOT_FOUND', `no queue with id ${q.queueId}`);
      const minutes = INTERVAL_MINUTES[q.interval];
      const ahead = (Date.parse(q.date) - Date.parse(dateOf(acd.now(), acd.timeZone))) / DAY_MS;
      if (ahead > MAX_DAYS_AHEAD) {
        throw new ApiError(
          400,
          'STAFFING_DATE_TOO_FAR',
          `${q.date} is more than ${MAX_DAYS_AHEAD} days ahead: staff a day within a year`,
        );
      }
      // The same weekday in the weeks before, from the latest that has begun (today counts: its intervals
      // that have ended tell their slots).
      const firstWeek = Math.max(1, Math.ceil(ahead / 7));
      const historyDates = Array.from({ length: q.weeks }, (_, i) => dateAfter(q.date, -7 * (firstWeek + i)));
      await log.afterQueuedWrites();
      const history: HistoryInterval[][] = [];
      for (const date of historyDates) history.push(await dayOf(queue, date, q.interval));

      const buckets = dayBuckets(q.date, q.interval);
      const aim = aimOf(queue, { seconds: q.serviceLevelSeconds, targetPercent: q.targetPercent });
      const terms: StaffingTerms = {
        intervalSeconds: minutes * 60,
        aim,
        shrinkagePercent: q.shrinkagePercent,
        ...(q.maxOccupancyPercent === undefined ? {} : { maxOccupancyPercent: q.maxOccupancyPercent }),
      };
      const forecast = outOfRangeRefused(() =>
        forecastDay({
          ...terms,
          slots: buckets.map((b) => slotOf(b.start)),
          history,
          ...(q.handleSeconds === undefined ? {} : { handleSeconds: q.handleSeconds }),
        }),
      );
      // The day itself, as far as it has gone: its calls and its agents beside the forecast, and the rest
      // of it forecast again by how it has run so far.
      const begun = (buckets[0]?.start ?? 0) <= acd.now();
      const actual = begun ? await dayOf(queue, q.date, q.interval) : [];
      const staffed = begun ? await staffedOf(queue.id, buckets) : [];
      const actualCalls = buckets.map((_, i) => (actual[i]?.ended ? (actual[i]?.offered ?? 0) : null));
      const again = outOfRangeRefused(() => reforecast({ ...terms, forecast, actualCalls }));
      const dayShifts = opts.shifts
        ? await opts.shifts.overlapping(buckets[0]?.start ?? 0, buckets.at(-1)?.end ?? 0)
        : undefined;
      const onShift = dayShifts
        ? agentsOnShift(dayShifts, new Set(opts.queueAdmin.members(queue.id).map((m) => m.agentId)), buckets)
        : undefined;
      const rows = buckets.map((bucket, i) => {
        const f = forecast[i] as ForecastInterval;
        const rest = again.rest[i];
        return {
          start: new Date(bucket.start).toISOString(),
          end: new Date(bucket.end).toISOString(),
          localStart: localLabel(bucket.start, acd.timeZone),
          historyDays: f.historyDays,
          calls: f.calls,
          handleSeconds: f.handleSeconds,
          trafficErlangs: f.need?.trafficErlangs ?? null,
          agents: f.need?.agents ?? null,
          scheduled: f.need?.scheduled ?? null,
          serviceLevelPercent: f.need?.serviceLevelPercent ?? null,
          asaSeconds: f.need?.asaSeconds ?? null,
          occupancyPercent: f.need?.occupancyPercent ?? null,
          actualCalls: actualCalls[i] ?? null,
          actualAgents: actualCalls[i] === null ? null : (staffed[i] ?? 0),
          onShift: onShift?.[i] ?? null,
          reforecastCalls: rest?.calls ?? null,
          reforecastAgents: rest?.need?.agents ?? null,
          reforecastScheduled: rest?.need?.scheduled ?? null,
        };
      });
      if (q.format === 'csv') {
        return sendCsv(reply, `staffing-${queue.id}-${q.date}.csv`, STAFFING_CSV_COLUMNS, rows, (row) => row);
      }
      const sum = (pick: (f: ForecastInterval) => number) =>
        forecast.reduce((total, f) => total + pick(f), 0);
      // What the roster lacks, interval by interval (whole agents), covered by shifts of shiftHours.
      const suggestedShifts = shiftsToCover(
        buckets.map((b, i) => ({
          ...b,
          short: Math.max(0, Math.ceil((rows[i]?.scheduled ?? 0) - (rows[i]?.onShift ?? 0) - 1e-9)),
        })),
        Math.round(((q.shiftHours ?? 8) * 60) / minutes),
      ).map((s) => ({
        start: new Date(s.start).toISOString(),
        end: new Date(s.end).toISOString(),
        localStart: localLabel(s.start, acd.timeZone),
        localEnd: localLabel(s.end, acd.timeZone),
        agents: s.agents,
      }));
      return sendJson(
        reply,
        {
          queueId: queue.id,
          date: q.date,
          interval: q.interval,
          timeZone: acd.timeZone,
          historyDates,
          serviceLevelSeconds: aim.seconds,
          targetPercent: aim.targetPercent,
          shrinkagePercent: q.shrinkagePercent,
          maxOccupancyPercent: q.maxOccupancyPercent ?? null,
          totals: {
            calls: Math.round(sum((f) => f.calls ?? 0) * 10) / 10,
            peakAgents: Math.max(0, ...forecast.map((f) => f.need?.agents ?? 0)),
            peakScheduled: Math.max(0, ...forecast.map((f) => f.need?.scheduled ?? 0)),
            scheduledHours:
              Math.round(
                buckets.reduce(
                  (total, b, i) =>
                    total + (forecast[i]?.need?.scheduled ?? 0) * ((b.end - b.start) / 3_600_000),
                  0,
                ) * 100,
              ) / 100,
            withoutForecast: forecast.filter((f) => f.need === null).length,
            runRatio: again.ratio,
          },
          suggestedShifts,
        },
        rows,
        (row) => row,
      );
    },
  );
};

/**
 * A forecast past what Erlang C is asked to staff (more than MAX_AGENTS agents for an interval: a handle time
 * tried far beyond the history's, or a history of thousands of calls an interval) is refused in its words,
 * not a 500.
 */
function outOfRangeRefused<T>(forecast: () => T): T {
  try {
    return forecast();
  } catch (error) {
    if (error instanceof RangeError) throw new ApiError(422, 'STAFFING_OUT_OF_RANGE', error.message);
    throw error;
  }
}
