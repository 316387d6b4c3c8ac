import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { AgentDefinition } from '../../../agents/schema.js';
import {
  agentReport,
  localLabel,
  MAX_REPORT_BUCKETS,
  queueReport,
  type ReportBucket,
  reportBuckets,
} from '../../../acd/reports.js';
import { startOfDate, startOfNextDay } from '../../../acd/site-day.js';
import type { AcdRuntime } from '../../../calls/acd/acd-runtime.js';
import type { QueueAdmin } from '../../../calls/acd/queue-admin.js';
import type { AgentEventLog } from '../../../store/agent-event-log.js';
import type { InteractionLog } from '../../../store/interaction-log.js';
import type { ApiAuth } from '../../auth.js';
import { ApiError, ErrorBody } from '../../errors.js';
import {
  AgentReportBody,
  AgentReportQuery,
  QueueReportBody,
  QueueReportQuery,
  type ReportQueryDto,
} from './schemas.js';

export interface ReportsPluginOptions {
  acd: AcdRuntime;
  auth: ApiAuth;
  log: InteractionLog;
  agentLog: AgentEventLog;
  queueAdmin: QueueAdmin;
  agents: () => AgentDefinition[];
}

/**
 * Historical reports per queue and per agent, per hour or day of the site's time zone, as JSON or CSV
 * (src/acd/reports.ts works them out from the interaction and agent-state logs).
 */
export const reportsPlugin: FastifyPluginAsyncTypebox<ReportsPluginOptions> = async (app, opts) => {
  const { acd, auth, log, agentLog } = opts;
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  /** The report's hours or days, refusing a range that is empty, backwards or too long, with the reason. */
  const bucketsOf = (q: ReportQueryDto): { from: number; to: number; buckets: ReportBucket[] } => {
    // A date is a whole day of the site: `from` its start, `to` its end.
    const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);
    const from = isDate(q.from) ? startOfDate(q.from, acd.timeZone) : Date.parse(q.from);
    const to = isDate(q.to)
      ? startOfNextDay(startOfDate(q.to, acd.timeZone), acd.timeZone)
      : Date.parse(q.to);
    if (!(to > from)) {
      throw new ApiError(400, 'REPORT_RANGE_INVALID', `to (${q.to}) must be after from (${q.from})`);
    }
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
  const bucketFields = (row: { start: number; end: number }) => ({
    start: new Date(row.start).toISOString(),
    end: new Date(row.end).toISOString(),
    localStart: localLabel(row.start, acd.timeZone),
  });
  const envelope = (q: ReportQueryDto) => ({
    from: q.from,
    to: q.to,
    interval: q.interval,
    timeZone: acd.timeZone,
  });

  app.get(
    '/api/reports/queues',
    {
      schema: {
        tags: ['reports'],
        summary:
          'Per queue and hour or day: offered, answered (within the service level), abandoned, flowed out, SL %, ASA, AHT, abandon rate',
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
      // The whole of the first and last hour or day, not only the part asked for.
      const start = buckets[0]?.start ?? from;
      const end = buckets.at(-1)?.end ?? to;
      const records = (
        await Promise.all(queues.map((queue) => log.queueRecords(queue.id, start, end)))
      ).flat();
      const rows = queueReport({
        queues: queues.map((queue) => ({ id: queue.id, serviceLevelSeconds: queue.serviceLevelSeconds })),
        records,
        buckets,
        now: acd.now(),
      }).map(({ start: s, end, queueId, ...figures }) => ({
        queueId,
        ...bucketFields({ start: s, end }),
        ...figures,
      }));
      if (q.format === 'csv') return sendCsv(reply, `queues-${q.from}-${q.to}.csv`, rows);
      return { ...envelope(q), rows };
    },
  );

  app.get(
    '/api/reports/agents',
    {
      schema: {
        tags: ['reports'],
        summary:
          'Per agent and hour or day: calls handled, talk, hold, AHT, missed offers, time in each state and not-ready reason',
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
      const rows = (
        await Promise.all(
          agents.map(async (agent) => {
            const [calls, before, changes] = await Promise.all([
              log.handledCalls(agent.id, start, end),
              agentLog.lastBefore(agent.id, start),
              agentLog.since(agent.id, start, end),
            ]);
            return agentReport({
              agentId: agent.id,
              calls,
              before,
              changes,
              buckets,
              now: Math.min(acd.now(), end),
            });
          }),
        )
      )
        .flat()
        .map(({ start: s, end: e, agentId, ...figures }) => ({
          agentId,
          ...bucketFields({ start: s, end: e }),
          ...figures,
        }));
      if (q.format === 'csv') return sendCsv(reply, `agents-${q.from}-${q.to}.csv`, rows);
      return { ...envelope(q), rows };
    },
  );
};

/** Rows as CSV (RFC 4180): nested figures (seconds per state, per reason) become one column each. */
function sendCsv(reply: FastifyReply, filename: string, rows: Record<string, unknown>[]): FastifyReply {
  const flat = rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) {
      if (value && typeof value === 'object') {
        for (const [inner, v] of Object.entries(value)) out[`${key}.${inner}`] = v;
      } else out[key] = value;
    }
    return out;
  });
  const columns = [...new Set(flat.flatMap((row) => Object.keys(row)))];
  const cell = (value: unknown): string => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [
    columns.join(','),
    ...flat.map((row) => columns.map((c) => cell(row[c] ?? (c.includes('.') ? 0 : ''))).join(',')),
  ];
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename.replaceAll(':', '')}"`)
    .send(`${lines.join('\r\n')}\r\n`);
}
