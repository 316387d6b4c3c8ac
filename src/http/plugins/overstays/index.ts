import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AcdRuntime } from '../../../calls/acd/acd-runtime.js';
import { type BreakWatch, overstayDto } from '../../../calls/supervise/break-watch.js';
import type { BreakOverstayLog } from '../../../store/break-overstay-log.js';
import { type ApiAuth, supervisorOf } from '../../auth.js';
import { rangeOrToday } from '../../dates.js';
import { ErrorBody, takingOnRefused } from '../../errors.js';
import {
  OverstayAgentParams,
  OverstayBody,
  OverstayHistoryBody,
  OverstayHistoryQuery,
  OverstayListBody,
} from './schemas.js';

export interface OverstaysPluginOptions {
  acd: Pick<AcdRuntime, 'now' | 'today' | 'timeZone'>;
  auth: ApiAuth;
  watch: Pick<BreakWatch, 'list' | 'acknowledge'>;
  log: Pick<BreakOverstayLog, 'list' | 'totals'>;
}

/** Agents' not readies past their reason's limit: standing now, and on record over a range (supervisors). */
export const overstaysPlugin: FastifyPluginAsyncTypebox<OverstaysPluginOptions> = async (app, opts) => {
  const { auth } = opts;

  app.get(
    '/api/overstays',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          "Agents past their not-ready reason's limit now (a 15-minute break at minute 20), the longest over first (supervisors)",
        response: { 200: OverstayListBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      auth.require(request);
      const now = opts.acd.now();
      return { items: opts.watch.list().map((o) => overstayDto(o, now)) };
    },
  );

  app.post(
    '/api/overstays/:agentId/acknowledge',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          'Take an agent\'s overstay on ("I\'m on it"): every wallboard shows who, and it is on record in the history (supervisors). Refused when the agent is back, or someone took it on already',
        params: OverstayAgentParams,
        response: { 200: OverstayBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => {
      const principal = auth.require(request);
      const outcome = await opts.watch.acknowledge(request.params.agentId, supervisorOf(principal));
      if ('refused' in outcome) throw takingOnRefused(outcome.refused, 'OVERSTAY_NOT_STANDING');
      return overstayDto(outcome.overstay, opts.acd.now());
    },
  );

  app.get(
    '/api/overstays/history',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          "Not readies that ran past their reason's limit in a range (default today), oldest first, with each agent's count and time over: adherence to breaks (supervisors)",
        querystring: OverstayHistoryQuery,
        response: { 200: OverstayHistoryBody, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      auth.require(request);
      const q = request.query;
      const now = opts.acd.now();
      const { from, to } = rangeOrToday(q, opts.acd);
      const range = { from, to, ...(q.agentId === undefined ? {} : { agentId: q.agentId }) };
      const [records, totals] = await Promise.all([
        opts.log.list({ ...range, limit: q.limit }),
        opts.log.totals({ ...range, now }),
      ]);
      return { items: records.map((r) => overstayDto(r, now)), totals };
    },
  );
};
