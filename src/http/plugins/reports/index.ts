import { setImmediate } from 'node:timers/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AgentDefinition } from '../../../agents/schema.js';
import {
  type AgentReportRow,
  localLabel,
  MAX_REPORT_BUCKETS,
  QueueReportFold,
  type QueueReportRow,
  type ReportBucket,
  reportBuckets,
} from '../../../acd/reports.js';
import { checkRange, rangeEnd, rangeStart } from '../../dates.js';
import type { AcdRuntime } from '../../../calls/acd/acd-runtime.js';
import type { QueueAdmin } from '../../../calls/acd/queue-admin.js';
import type { AgentEventLog } from '../../../store/agent-event-log.js';
import type { InteractionLog } from '../../../store/interaction-log.js';
import type { ApiAuth } from '../../auth.js';
import { ApiError, ErrorBody } from '../../errors.js';
import { csvColumns, sendCsv, sendJson } from '../../report-bodies.js';
import type { BreakOverstayLog } from '../../../store/break-overstay-log.js';
import { foldAgentChanges } from './agent-changes.js';
import { staffingRoutes } from './staffing.js';
import {
  AgentReportBody,
  AgentReportQuery,
  AgentReportRowBody,
  QueueReportBody,
  QueueReportQuery,
  QueueReportRowBody,
  type ReportQueryDto,
} from './schemas.js';
import type { ShiftLog } from '../../../store/shift-log.js';

const QUEUE_CSV_COLUMNS = csvColumns(QueueReportRowBody);
const AGENT_CSV_COLUMNS = csvColumns(AgentReportRowBody);
/** An agent's overstays over a report's range, at most (a year of three a day is ~1,100). */
const MAX_OVERSTAYS = 20_000;

export interface ReportsPluginOptions {
  acd: AcdRuntime;
  auth: ApiAuth;
  log: InteractionLog;
  agentLog: AgentEventLog;
  /** Breaks overstayed on record (absent: none are kept; the figures are 0). */
  overstays?: Pick<BreakOverstayLog, 'list'>;
  queueAdmin: QueueAdmin;
  agents: () => AgentDefinition[];
  /** The agents' roster (absent: staffing shows no agents on shift). */
  shifts?: Pick<ShiftLog, 'overlapping'>;
}

/**
 * Historical reports per queue and per agent, per quarter hour, half hour, hour or day of the site's time zone, as JSON or CSV
 * (src/acd/reports.ts works them out from the interaction and agent-state logs).
 */
export const reportsPlugin: FastifyPluginAsyncTypebox<ReportsPluginOptions> = async (app, opts) => {
  const { acd, auth, log, agentLog } = opts;
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  /** The report's hours or days, refusing a range that is empty, backwards or too long, with the reason. */
  const bucketsOf = (q: ReportQueryDto): { from: number; to: number; buckets: ReportBucket[] } => {
    // A date is a whole day of the site: `from` its start, `to` its end.
    const from = rangeStart(q.from, acd.timeZone);
    const to = rangeEnd(q.to, acd.timeZone);
    checkRange(from, to, q, 'REPORT_RANGE_INVALID');
    const buckets = reportBuckets(from, to, q.interval, acd.timeZone);
    if (buckets.length > MAX_REPORT_BUCKETS) {
      throw new ApiError(
        400,
        'REPORT_RANGE_TOO_LONG',
        `at most ${MAX_REPORT_BUCKETS} rows per ${q.interval} per queue or agent: ask for a shorter range or interval=day`,
      );
    }
    return { from, to, buckets };
  };
  /** Each bucket's times as the rows show them: worked out once per bucket, not per row (the wall-clock
   * label goes through Intl, and a month of hours for 40 agents is 30,000 rows). */
  const bucketFieldsOf = (buckets: readonly ReportBucket[]) => {
    const fields = new Map(
      buckets.map((b) => [
        b.start,
        {
          start: new Date(b.start).toISOString(),
          end: new Date(b.end).toISOString(),
          localStart: localLabel(b.start, acd.timeZone),
        },
      ]),
    );
    return (row: { start: number }) => fields.get(row.start) as NonNullable<ReturnType<typeof fields.get>>;
  };
  const envelope = (q: ReportQueryDto) => ({
    from: q.from,
    to: q.to,
    interval: q.interval,
    timeZone: acd.timeZone,
  });

  await app.register(staffingRoutes, opts);

  app.get(
    '/api/reports/queues',
    {
      schema: {
        tags: ['reports'],
        summary:
          'Per queue and interval (quarter hour to day): offered, answered (within the service level), abandoned, flowed out, SL %, ASA, AHT, abandon rate',
        querystring: QueueReportQuery,
        response: { 200: QueueReportBody, ...errors },
      },
    },
    async (request, reply) => {
      auth.require(request); // supervisors
      const q = request.query;
      const queues = opts.queueAdmin.list().filter((queue) => !q.queueId || queue.id === q.queueId);
      if (q.queueId && queues.length === 0) {
        throw new ApiError(404, 'QUEUE_NOT_FOUND', `no queue with id ${q.queueId}`);
      }
      const { from, to, buckets } = bucketsOf(q);
      await log.afterQueuedWrites();
      // The whole of the first and last interval, not only the part asked for.
      const start = buckets[0]?.start ?? from;
      const end = buckets.at(-1)?.end ?? to;
      // Each queue's stays a page at a time, folded into its rows as they come (see QueueReportFold).
      const now = acd.now();
      const rows: QueueReportRow[] = [];
      for (const queue of queues) {
        const callbacks = await log.callbackMilestones(queue.id, start, end);
        const fold = new QueueReportFold(queue, buckets, now, callbacks);
        for await (const page of log.queueRecordPages(queue.id, start, end)) fold.add(page);
        rows.push(...fold.finish());
      }
      const bucketFields = bucketFieldsOf(buckets);
      const present = ({ start: s, end: _end, queueId, ...figures }: QueueReportRow) => ({
        queueId,
        ...bucketFields({ start: s }),
        ...figures,
      });
      if (q.format === 'csv')
        return sendCsv(reply, `queues-${q.from}-${q.to}.csv`, QUEUE_CSV_COLUMNS, rows, present);
      return sendJson(reply, envelope(q), rows, present);
    },
  );

  app.get(
    '/api/reports/agents',
    {
      schema: {
        tags: ['reports'],
        summary:
          'Per agent and interval (quarter hour to day): calls handled, talk, hold, AHT, missed offers, time in each state and not-ready reason',
        querystring: AgentReportQuery,
        response: { 200: AgentReportBody, ...errors },
      },
    },
    async (request, reply) => {
      const q = request.query;
      // A supervisor reads everyone; an agent their own figures.
      auth.require(request, q.agentId);
      const agents = opts.agents().filter((agent) => !q.agentId || agent.id === q.agentId);
      if (q.agentId && agents.length === 0) {
        throw new ApiError(404, 'AGENT_NOT_FOUND', `no agent with id ${q.agentId}`);
      }
      const { to, buckets } = bucketsOf(q);
      await log.afterQueuedWrites();
      const start = buckets[0]?.start ?? to;
      const end = buckets.at(-1)?.end ?? to;
      // One agent at a time, the changes a page at a time, the event loop let go in between: calls' events
      // never wait long behind a report, and only one page of changes is held.
      const reports: AgentReportRow[] = [];
      const now = Math.min(acd.now(), end);
      for (const agent of agents) {
        const fold = await foldAgentChanges(agentLog, agent.id, buckets, now);
        const overstays = opts.overstays
          ? await opts.overstays.list({ from: start, to: end, agentId: agent.id, limit: MAX_OVERSTAYS })
          : [];
        reports.push(...fold.finish(await log.handledCalls(agent.id, start, end), overstays));
        await setImmediate();
      }
      const bucketFields = bucketFieldsOf(buckets);
      const present = ({ start: s, end: _end, agentId, ...figures }: AgentReportRow) => ({
        agentId,
        ...bucketFields({ start: s }),
        ...figures,
      });
      if (q.format === 'csv')
        return sendCsv(reply, `agents-${q.from}-${q.to}.csv`, AGENT_CSV_COLUMNS, reports, present);
      return sendJson(reply, envelope(q), reports, present);
    },
  );
};
