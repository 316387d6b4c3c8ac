import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AcdRuntime } from '../../../calls/acd/acd-runtime.js';
import { type HelpDesk, helpDto } from '../../../calls/supervise/help-desk.js';
import { type HelpRequestLog, requestOf } from '../../../store/help-request-log.js';
import type { HelpRefusal } from '../../../supervision/help-requests.js';
import { type ApiAuth, supervisorOf } from '../../auth.js';
import { rangeOrToday } from '../../dates.js';
import { ApiError, ErrorBody } from '../../errors.js';
import { AgentParams } from '../agents/schemas.js';
import { AskHelpBody, HelpHistoryQuery, HelpListBody, HelpRequestBody } from './schemas.js';

export interface HelpPluginOptions {
  acd: Pick<AcdRuntime, 'now' | 'today' | 'timeZone'>;
  auth: ApiAuth;
  help: Pick<HelpDesk, 'ask' | 'take' | 'end' | 'list'>;
  helpLog: Pick<HelpRequestLog, 'list'>;
  agentExists: (agentId: string) => boolean;
}

const STATUS: Record<HelpRefusal['code'], number> = {
  NOT_LOGGED_IN: 409,
  HELP_ALREADY_ASKED: 409,
  HELP_NOT_ASKED: 404,
  HELP_TAKEN: 409,
};

function refused(refusal: HelpRefusal): never {
  throw new ApiError(STATUS[refusal.code], refusal.code, refusal.reason);
}

/** Agents asking a supervisor for help; supervisors taking requests on and seeing to them. */
export const helpPlugin: FastifyPluginAsyncTypebox<HelpPluginOptions> = async (app, opts) => {
  const { auth, help } = opts;
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
  const agent = (id: string) => {
    if (!opts.agentExists(id)) throw new ApiError(404, 'AGENT_NOT_FOUND', `no agent with id ${id}`);
  };

  app.post(
    '/api/agents/:id/help',
    {
      schema: {
        tags: ['agents'],
        summary:
          "The agent asks a supervisor for help, on a call or between calls, with a note: every wallboard shows it, and the call's timeline keeps it (the agent themself). Refused while logged out or with a request open",
        params: AgentParams,
        body: AskHelpBody,
        response: { 201: HelpRequestBody, ...errors },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const principal = auth.require(request, id);
      if (principal.role !== 'agent') {
        throw new ApiError(403, 'FORBIDDEN', `only ${id} asks for help for themselves`);
      }
      const outcome = await help.ask(id, request.body.note ?? null);
      if ('refused' in outcome) refused(outcome.refused);
      return reply.code(201).send(helpDto(outcome.request));
    },
  );

  app.post(
    '/api/agents/:id/help/take',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          'Take an agent\'s request for help on ("I\'m coming"): the agent and every wallboard see who (supervisors). Refused when there is none, or another supervisor has it',
        params: AgentParams,
        response: { 200: HelpRequestBody, ...errors },
      },
    },
    async (request) => {
      const principal = auth.require(request);
      agent(request.params.id);
      const outcome = await help.take(request.params.id, supervisorOf(principal));
      if ('refused' in outcome) refused(outcome.refused);
      return helpDto(outcome.request);
    },
  );

  app.delete(
    '/api/agents/:id/help',
    {
      schema: {
        tags: ['agents'],
        summary:
          "End the agent's request for help: withdrawn by the agent, or resolved by a supervisor (the agent or a supervisor)",
        params: AgentParams,
        response: { 200: HelpRequestBody, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params;
      const principal = auth.require(request, id);
      agent(id);
      const outcome =
        principal.role === 'agent'
          ? await help.end(id, 'withdrawn')
          : await help.end(id, 'resolved', supervisorOf(principal));
      if ('refused' in outcome) refused(outcome.refused);
      return helpDto(outcome.request);
    },
  );

  app.get(
    '/api/help',
    {
      schema: {
        tags: ['supervisors'],
        summary: 'Requests for help standing now, the longest waiting first (supervisors)',
        response: { 200: HelpListBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      auth.require(request);
      return { items: help.list().map(helpDto) };
    },
  );

  app.get(
    '/api/help/history',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          'Requests for help asked in a range (default today), oldest first: who asked, on which call, what about, who took each on and how it ended (supervisors)',
        querystring: HelpHistoryQuery,
        response: { 200: HelpListBody, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      auth.require(request);
      const q = request.query;
      const { from, to } = rangeOrToday(q, opts.acd);
      const records = await opts.helpLog.list({ from, to, agentId: q.agentId, limit: q.limit });
      return { items: records.map((record) => helpDto(requestOf(record, (id) => auth.supervisor(id)))) };
    },
  );
};
