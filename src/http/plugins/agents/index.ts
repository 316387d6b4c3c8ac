import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AgentCommand, SeatChanger } from '../../../acd/index.js';
import { notReadyCode, type PhoneCodes, phoneCodeList } from '../../../agents/phone-codes.js';
import type { AgentDefinition, ReasonCode } from '../../../agents/schema.js';
import { seatStateView } from '../../../agents/seat.js';
import type { AcdRuntime } from '../../../calls/acd/acd-runtime.js';
import type { ApiAuth } from '../../auth.js';
import { ApiError, ErrorBody } from '../../errors.js';
import {
  type AgentDto,
  AgentBody,
  AgentParams,
  ExtendWrapUpBody,
  NotReadyBody,
  PhoneCodesReply,
  ReasonCodesReply,
  SignInBody,
  SignInReply,
} from './schemas.js';

export interface AgentsPluginOptions {
  acd: AcdRuntime;
  auth: ApiAuth;
  agents: () => AgentDefinition[];
  reasonCodes: ReasonCode[];
  /** Codes agents dial on a desk phone; absent: none. */
  phoneCodes?: PhoneCodes;
}

/** Agent seats over REST: sign in, log in/out, ready / not ready with a reason, wrap-up. */
export const agentsPlugin: FastifyPluginAsyncTypebox<AgentsPluginOptions> = async (app, opts) => {
  const { acd, auth } = opts;
  const definition = (id: string): AgentDefinition => {
    const agent = opts.agents().find((a) => a.id === id);
    if (!agent) throw new ApiError(404, 'AGENT_NOT_FOUND', `no agent with id ${id}`);
    return agent;
  };
  const toDto = (agent: AgentDefinition): AgentDto => {
    const seat = acd.router.seat(agent.id);
    const state = seat?.state ?? { type: 'logged_out' };
    return {
      id: agent.id,
      name: agent.name,
      endpoint: agent.endpoint,
      skills: agent.skills ?? {},
      queues: (agent.queues ?? []).map((q) => q.queueId),
      state: seatStateView(state),
      stateSince: new Date(seat?.stateSince ?? 0).toISOString(),
      callsHandledToday: seat?.callsHandledToday ?? 0,
    };
  };
  /** Sends one command to the seat; a refusal comes back as 409 with the router's code and reason. */
  const command = (agentId: string, input: AgentCommand, changer?: SeatChanger): AgentDto => {
    const agent = definition(agentId);
    const refusals = acd.seatCommand(agentId, input, changer);
    if (refusals.length > 0) throw new ApiError(409, refusals[0]!.code, refusals[0]!.reason);
    return toDto(agent);
  };
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

  app.post(
    '/api/agents/:id/session',
    {
      schema: {
        tags: ['agents'],
        summary: "Sign in with the agent's SIP password; returns the bearer token for the other calls",
        params: AgentParams,
        body: SignInBody,
        response: { 200: SignInReply, ...errors, 429: ErrorBody },
      },
    },
    async (request) => {
      // An unknown id is refused (and counted towards a lock) as a wrong password is: sign-in does not tell
      // which agent ids exist.
      const { token, expiresAt } = auth.signIn(request.params.id, request.body.password, request.ip);
      return { token, agentId: request.params.id, expiresAt: new Date(expiresAt).toISOString() };
    },
  );

  app.delete(
    '/api/agents/:id/session',
    {
      schema: {
        tags: ['agents'],
        summary:
          "Sign out: ends every token the agent was given (each of their pages signs in again). The agent's state in the queues is not changed: log out first for that",
        params: AgentParams,
        response: { 204: Type.Null(), ...errors, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      auth.require(request, request.params.id);
      definition(request.params.id);
      await auth.signOut(request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/agents',
    {
      schema: {
        tags: ['agents'],
        summary: 'Every agent with its live state',
        response: { 200: Type.Array(AgentBody), ...errors },
      },
    },
    async (request) => {
      auth.require(request);
      return opts.agents().map(toDto);
    },
  );

  app.get(
    '/api/agents/:id',
    {
      schema: {
        tags: ['agents'],
        summary: 'One agent with its live state',
        params: AgentParams,
        response: { 200: AgentBody, ...errors },
      },
    },
    async (request) => {
      auth.require(request, request.params.id);
      return toDto(definition(request.params.id));
    },
  );

  app.get(
    '/api/reason-codes',
    { schema: { tags: ['agents'], summary: 'Not-ready reason codes', response: { 200: ReasonCodesReply } } },
    async () =>
      opts.reasonCodes.map((r) => ({
        code: r.code,
        label: r.label,
        selectable: r.selectable !== false,
        ...(r.maxMinutes === undefined ? {} : { maxMinutes: r.maxMinutes }),
        phoneCode: opts.phoneCodes && notReadyCode(opts.phoneCodes, r),
      })),
  );

  app.get(
    '/api/phone-codes',
    {
      schema: {
        tags: ['agents'],
        summary: 'The codes an agent dials on a desk phone to work their seat (a card beside the phone)',
        response: { 200: PhoneCodesReply },
      },
    },
    async () => ({ items: opts.phoneCodes ? phoneCodeList(opts.phoneCodes, opts.reasonCodes) : [] }),
  );

  const seatRoute = (
    path: string,
    summary: string,
    toInput: (body: unknown, agent: AgentDefinition) => AgentCommand,
    body?: typeof NotReadyBody | typeof ExtendWrapUpBody,
  ) =>
    app.post(
      `/api/agents/:id/${path}`,
      {
        schema: {
          tags: ['agents'],
          summary,
          params: AgentParams,
          ...(body ? { body } : {}),
          response: { 200: AgentBody, ...errors },
        },
      },
      async (request) => {
        const principal = auth.require(request, request.params.id);
        // A supervisor's change for an agent is on the record (and the agent's page) as theirs, by name
        // when they signed in as themselves.
        const changer: SeatChanger | undefined =
          principal.role === 'supervisor'
            ? {
                by: 'supervisor',
                ...(principal.supervisor ? { supervisor: { ...principal.supervisor } } : {}),
              }
            : undefined;
        return command(request.params.id, toInput(request.body, definition(request.params.id)), changer);
      },
    );

  seatRoute('login', 'Log the seat in (on its endpoint); it is available at once', (_b, agent) => ({
    type: 'login',
    endpoint: agent.endpoint,
  }));
  seatRoute('logout', 'Log the seat out', () => ({ type: 'logout' }));
  seatRoute(
    'ready',
    'Ready for ACD calls. In wrap-up it ends the wrap-up and makes the seat available, even if not ready was chosen during the call; during a call it drops a not ready chosen for after it.',
    () => ({ type: 'ready' }),
  );
  seatRoute(
    'not-ready',
    'Not ready, with a reason code',
    (body) => {
      const reason = (body as { reason: string }).reason;
      const known = opts.reasonCodes.find((r) => r.code === reason);
      if (!known || known.selectable === false) {
        throw new ApiError(
          400,
          'REASON_UNKNOWN',
          `"${reason}" is not a reason agents can choose; see GET /api/reason-codes`,
        );
      }
      return { type: 'notReady', reason };
    },
    NotReadyBody,
  );
  seatRoute(
    'wrap-up/done',
    'Finish wrap-up now: available, or not ready if that was chosen during the call',
    () => ({ type: 'wrapUpDone' }),
  );
  seatRoute(
    'wrap-up/extend',
    'Extend wrap-up',
    (body) => ({ type: 'extendWrapUp', seconds: (body as { seconds: number }).seconds }),
    ExtendWrapUpBody,
  );
};
