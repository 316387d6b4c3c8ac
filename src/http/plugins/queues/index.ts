import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { InteractionRecord } from '../../../acd/index.js';
import { lineView } from '../../../acd/line-view.js';
import { BUSY_WITH_A_CALL } from '../../../acd/router-matching.js';
import { definitionVersion } from '../../../acd/definition-version.js';
import { type QueueDefinition, QueueDefinitionSchema } from '../../../acd/schema.js';
import { QueueMembershipSchema, type SkillMap, SkillMapSchema } from '../../../agents/schema.js';
import type { AcdRuntime } from '../../../calls/acd/acd-runtime.js';
import type { RouterInput, SupervisorRef } from '../../../acd/router-types.js';
import { alertDto, type QueueAlertWatch } from '../../../calls/acd/queue-alert-watch.js';
import { QueueAlertBody, QueueAlertListQuery, QueueAlertRecordBody } from './alert-schemas.js';
import { queueFigures, QueueStatsBody } from './figures.js';
import type { QueueAlertLog } from '../../../store/queue-alert-log.js';
import { recordedSupervisor } from '../../../supervision/recorded-supervisor.js';
import { supervisorRef, WideningFields } from '../../../interactions/events.js';
import { rangeOrToday } from '../../dates.js';
import {
  ChangedMeanwhile,
  type MadeOrBasedOn,
  NotFound,
  type QueueAdmin,
  QueueDefinitionRejected,
  QueueInUse,
} from '../../../calls/acd/queue-admin.js';
import type { RecordChange } from '../../admin-audit.js';
import { type ApiAuth, type Principal, supervisorOf } from '../../auth.js';
import { ApiError, ErrorBody, takingOnRefused } from '../../errors.js';
import { csvColumns, sendCsv } from '../../report-bodies.js';
import { CallbackStepBody, callbackStepDto } from '../callbacks/schemas.js';

export interface QueuesPluginOptions {
  acd: AcdRuntime;
  admin: QueueAdmin;
  auth: ApiAuth;
  /** Interaction figures for a queue since an instant, from the interaction log. */
  records: (queueId: string, since: number) => Promise<InteractionRecord[]>;
  /** The names on record of interactions (a callback request's customer), from the interaction log. */
  callerNames: (interactionIds: readonly string[]) => Promise<Map<string, string>>;
  /** Puts each change on record as the supervisor's (GET /api/changes). */
  recordChange: RecordChange;
  /** Queue alerts standing now, and supervisors taking them on; absent: none are watched. */
  alerts?: Pick<QueueAlertWatch, 'active' | 'acknowledge'>;
  /** Queue alerts on record (GET /api/alerts); absent: none are kept. */
  alertLog?: Pick<QueueAlertLog, 'list'>;
}

const QueueParams = Type.Object({ id: Type.String({ minLength: 1 }) });
const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      description:
        'The version the change is based on (the ETag its GET gave), or `*`: refused (412) if it is no longer the one in force',
    }),
  ),
});

/** A change that may make what it changes: If-None-Match `*` makes it only if it is not there yet. */
const MakeHeaders = Type.Object({
  ...IfMatchHeaders.properties,
  'if-none-match': Type.Optional(
    Type.Literal('*', {
      description:
        'Make it only if it does not exist yet: refused (412) if someone made it meanwhile (ignored with If-Match)',
    }),
  ),
});

/** How a change of a member or of skills may be refused: bad, unsigned, not a supervisor's, unknown, changed since. */
const changeRefusals = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 412: ErrorBody };

/** A queue's definition or an agent's skills: its version as an HTTP entity tag. */
const etagOf = (value: QueueDefinition | SkillMap): string => `"${definitionVersion(value)}"`;

/** If-Match's entity tags without their quotes (a weak mark dropped); undefined without the header. */
const basedOn = (header: string | undefined): string[] | undefined =>
  header?.split(',').flatMap((tag) => {
    const bare = tag
      .trim()
      .replace(/^W\//, '')
      .replace(/^"(.*)"$/, '$1');
    return bare === '' ? [] : [bare];
  });

/** What a change that may make something is based on: If-Match's versions, or absent with If-None-Match `*`. */
const madeOrBasedOn = (headers: { 'if-match'?: string; 'if-none-match'?: '*' }): MadeOrBasedOn =>
  headers['if-match'] === undefined && headers['if-none-match'] === '*'
    ? 'absent'
    : basedOn(headers['if-match']);

/** A change refused because what it changes changed since the request's version: 412, saying so. */
const changedMeanwhile = (error: unknown): never => {
  if (error instanceof ChangedMeanwhile) throw new ApiError(412, error.code, error.message);
  throw error;
};
/** The alerts file names who took each on by name and id, one column each. */
const ALERT_CSV_COLUMNS = csvColumns(QueueAlertRecordBody, {
  acknowledgedBy: ['acknowledgedBy', 'acknowledgedById'],
});
const AlertParams = Type.Object({ id: Type.String({ minLength: 1 }), kind: QueueAlertBody.properties.kind });
const LinePlaceBody = Type.Object({
  position: Type.Integer({ minimum: 1, description: 'In the order the router serves the line' }),
  interactionId: Type.String(),
  kind: Type.Union([Type.Literal('caller'), Type.Literal('callback')]),
  callerNumber: Type.String({ description: 'Empty when withheld' }),
  callerName: Type.String({
    description:
      "The name the caller's carrier sent, or for a callback request the customer's name on it (empty when none)",
  }),
  vip: Type.Boolean(),
  priority: Type.Number({ description: 'Effective priority: base + VIP bonus + ageing' }),
  front: Type.Boolean({ description: 'Back at the front of the line after an offer failed' }),
  putFirst: Type.Optional(
    Type.Object(
      {
        at: Type.String({ format: 'date-time' }),
        by: Type.Optional(supervisorRef('Who put it first; absent on the supervisor token')),
      },
      { description: 'A supervisor put the caller first (POST /api/queues/:id/line/:interactionId/first)' },
    ),
  ),
  waitSeconds: Type.Number({ description: 'Since first arrival in any queue' }),
  inQueueSeconds: Type.Number({ description: 'Since it entered this queue' }),
  state: Type.Union([Type.Literal('waiting'), Type.Literal('ringing'), Type.Literal('dialing')], {
    description: 'waiting; ringing agents (agentIds); a callback being dialled by its agent',
  }),
  agentIds: Type.Array(Type.String()),
  requiredSkills: Type.Record(Type.String(), Type.Number()),
  missedOffers: Type.Integer({ description: 'Offers that rang out unanswered' }),
  callback: Type.Optional(CallbackStepBody),
  directLine: Type.Optional(
    Type.Object(
      { agentId: Type.String(), until: Type.String({ format: 'date-time' }) },
      {
        description:
          "The caller dialled this agent's direct line: offered to them alone until `until`, then to the queue's agents",
      },
    ),
  ),
  widening: Type.Optional(
    Type.Object(WideningFields, {
      description:
        "The queue's widening in force for a waiting caller (its `widening` steps up to the wait so far): who may take the call",
    }),
  ),
  widensInSeconds: Type.Optional(
    Type.Number({
      description: "Until the next step of the queue's widening comes into force for the caller",
    }),
  ),
  keptFor: Type.Optional(
    Type.Object(
      { agentId: Type.String(), seconds: Type.Number({ description: 'How much longer at most' }) },
      {
        description:
          "Kept for the agent it last talked with, busy on a call (the queue's lastAgent routing): why it waits while others may be free",
      },
    ),
  ),
});
const LineCallerParams = Type.Object({
  id: Type.String({ minLength: 1 }),
  interactionId: Type.String({ minLength: 1 }),
});
const MoveCallerBody = Type.Object(
  { toQueueId: Type.String({ minLength: 1, description: 'The queue the caller is to wait in' }) },
  { additionalProperties: false },
);
const LinePlaceChanged = Type.Object({
  interactionId: Type.String(),
  queueId: Type.String({ description: 'The queue the caller waits in now' }),
  position: Type.Integer({ minimum: 1, description: 'Their place in its line now' }),
});
const QueueLineBody = Type.Object({
  queueId: Type.String(),
  at: Type.String({ format: 'date-time', description: 'The instant the waits are measured at' }),
  places: Type.Array(LinePlaceBody),
});
const MemberParams = Type.Object({
  id: Type.String({ minLength: 1 }),
  agentId: Type.String({ minLength: 1 }),
});
/** An agent's place in a queue, as the config file gives it (its queue is the route's). */
const MemberBody = Type.Omit(QueueMembershipSchema, ['queueId']);
const MemberReply = Type.Object({
  agentId: Type.String(),
  penalty: Type.Integer(),
  order: Type.Integer(),
  version: Type.String({
    description:
      "The version of the agent's place in the queue (also the ETag of a change's answer): a change or removal sent with it as If-Match is refused (412 MEMBER_CHANGED) if someone changed it meanwhile",
  }),
});
const InvalidBody = Type.Object({
  code: Type.String(),
  message: Type.String(),
  issues: Type.Optional(
    Type.Array(Type.Object({ code: Type.String(), path: Type.String(), message: Type.String() }), {
      description: "The definition's problems, one per place (absent for a bad request header)",
    }),
  ),
});

/** Queues: definitions (validated, persisted, applied live) and live statistics from the interaction log. */
export const queuesPlugin: FastifyPluginAsyncTypebox<QueuesPluginOptions> = async (app, opts) => {
  const { acd, admin, auth, recordChange } = opts;
  /** The agent's membership of the queue as it stands (undefined: none, or no such queue). */
  const membership = (queueId: string, agentId: string) => {
    if (!admin.get(queueId)) return undefined;
    const m = admin.members(queueId).find((x) => x.agentId === agentId);
    return m ? { penalty: m.penalty, order: m.order } : undefined;
  };
  /** The agent's memberships, each queue with penalty and order. */
  const membershipsOf = (agentId: string) =>
    admin.list().flatMap((q) => {
      const m = membership(q.id, agentId);
      return m ? [{ queueId: q.id, ...m }] : [];
    });
  const stats = queueFigures(opts);

  app.get(
    '/api/queues',
    {
      schema: {
        tags: ['queues'],
        summary: "Queue definitions (supervisors: they hold VIP callers' numbers)",
        response: { 200: Type.Array(QueueDefinitionSchema), 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      auth.require(request);
      return admin.list();
    },
  );

  app.get(
    '/api/queues/:id',
    {
      schema: {
        tags: ['queues'],
        summary:
          'One queue definition (supervisors), with its version as the ETag: a save or delete sent with it as If-Match is refused (412 QUEUE_CHANGED) if someone changed the queue meanwhile',
        params: QueueParams,
        response: { 200: QueueDefinitionSchema, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      auth.require(request);
      const queue = admin.get(request.params.id);
      if (!queue) throw new ApiError(404, 'QUEUE_NOT_FOUND', `no queue with id ${request.params.id}`);
      reply.header('etag', etagOf(queue));
      return queue;
    },
  );

  /** A membership or skills refusal as its HTTP status (anything else as it is). */
  const memberError = (error: unknown): never => {
    if (error instanceof NotFound) throw new ApiError(404, error.code, error.message);
    if (error instanceof QueueDefinitionRejected) throw new ApiError(400, error.code, error.message);
    return changedMeanwhile(error);
  };
  /** A member change: refusals become their HTTP status; the queue's members go out on the live stream. */
  const memberChange = async <T>(queueId: string, change: () => Promise<T>): Promise<T> => {
    const done = await change().catch(memberError);
    acd.hub.publish('queue.members', { queueId, members: admin.members(queueId) });
    return done;
  };

  app.get(
    '/api/queues/:id/members',
    {
      schema: {
        tags: ['queues'],
        summary: "The queue's agents, with penalty and order (supervisors)",
        params: QueueParams,
        response: { 200: Type.Array(MemberReply), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      auth.require(request);
      try {
        return admin.members(request.params.id);
      } catch (error) {
        return memberError(error);
      }
    },
  );

  app.put(
    '/api/queues/:id/members/:agentId',
    {
      schema: {
        tags: ['queues'],
        summary:
          "Add an agent to the queue, or change their penalty and order there (supervisors). Kept over the config file, through restarts; callers waiting are offered to them at once. With If-Match (the member's version from GET /api/queues/:id/members, or `*`), refused (412 MEMBER_CHANGED) if their place changed or went since; with If-None-Match `*`, an add only, refused (412 MEMBER_EXISTS) if someone added them meanwhile",
        params: MemberParams,
        headers: MakeHeaders,
        body: MemberBody,
        response: { 200: MemberReply, ...changeRefusals },
      },
    },
    async (request, reply) => {
      const principal = auth.require(request);
      const { id, agentId } = request.params;
      const before = membership(id, agentId);
      const basedOnVersion = madeOrBasedOn(request.headers);
      const { version, ...after } = await memberChange(id, () =>
        admin.setMember(id, agentId, request.body, acd, basedOnVersion),
      );
      reply.header('etag', `"${version}"`);
      await recordChange(principal, {
        action: 'queue.member.saved',
        subject: `${id}/${agentId}`,
        ...(before ? { before } : {}),
        after: { penalty: after.penalty, order: after.order },
      });
      return { ...after, version };
    },
  );

  app.delete(
    '/api/queues/:id/members/:agentId',
    {
      schema: {
        tags: ['queues'],
        summary:
          'Take an agent out of the queue (supervisors): no new offers from it; a call ringing them or in progress goes on. With If-Match (their version), refused (412 MEMBER_CHANGED) if their place changed since',
        params: MemberParams,
        headers: IfMatchHeaders,
        response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 412: ErrorBody },
      },
    },
    async (request, reply) => {
      const principal = auth.require(request);
      const { id, agentId } = request.params;
      const before = membership(id, agentId);
      const basedOnVersion = basedOn(request.headers['if-match']);
      await memberChange(id, () => admin.removeMember(id, agentId, acd, basedOnVersion));
      if (before) {
        await recordChange(principal, {
          action: 'queue.member.removed',
          subject: `${id}/${agentId}`,
          before,
        });
      }
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/agents/:agentId/memberships',
    {
      schema: {
        tags: ['queues'],
        summary:
          "Drop the queue memberships set for the agent through the API (supervisors): their queues are the config file's again, from now on and after restarts",
        params: Type.Object({ agentId: Type.String({ minLength: 1 }) }),
        response: {
          200: Type.Object({
            agentId: Type.String(),
            queues: Type.Array(
              Type.Object({ queueId: Type.String(), penalty: Type.Integer(), order: Type.Integer() }),
            ),
          }),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request) => {
      const principal = auth.require(request);
      const { agentId } = request.params;
      const before = membershipsOf(agentId);
      const queues = await admin.membershipsFromFile(agentId, acd).catch(memberError);
      const touched = new Set([...before.map((m) => m.queueId), ...queues.map((m) => m.queueId)]);
      for (const queueId of touched)
        acd.hub.publish('queue.members', { queueId, members: admin.members(queueId) });
      const after = queues.map((m) => ({ queueId: m.queueId, penalty: m.penalty ?? 0, order: m.order ?? 0 }));
      await recordChange(principal, { action: 'agent.memberships.reset', subject: agentId, before, after });
      return { agentId, queues: after };
    },
  );

  const AgentSkillsParams = Type.Object({ agentId: Type.String({ minLength: 1 }) });
  const AgentSkillsReply = Type.Object({ agentId: Type.String(), skills: SkillMapSchema });
  const skillsOf = (agentId: string) => admin.skillsOf(agentId) ?? {};
  /**
   * A skills change based on the request's If-Match: refusals as their HTTP status; made, it answers with the
   * new ETag, is on record as the supervisor's and on the live stream.
   */
  const changeSkills = async (
    principal: Parameters<RecordChange>[0],
    request: { params: { agentId: string }; headers: { 'if-match'?: string } },
    reply: { header(name: string, value: string): unknown },
    action: 'agent.skills.saved' | 'agent.skills.reset',
    change: (agentId: string, basedOn: string[] | undefined) => Promise<SkillMap>,
  ) => {
    const { agentId } = request.params;
    const before = skillsOf(agentId);
    const after = await change(agentId, basedOn(request.headers['if-match'])).catch(memberError);
    reply.header('etag', etagOf(after));
    acd.hub.publish('agent.skills', { agentId, skills: { ...after } });
    await recordChange(principal, { action, subject: agentId, before, after });
    return { agentId, skills: after };
  };

  app.get(
    '/api/agents/:agentId/skills',
    {
      schema: {
        tags: ['queues'],
        summary:
          "An agent's skills (supervisors), with their version as the ETag: a change sent with it as If-Match is refused (412 SKILLS_CHANGED) if someone changed them meanwhile",
        params: AgentSkillsParams,
        response: { 200: AgentSkillsReply, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      auth.require(request);
      const { agentId } = request.params;
      if (!admin.hasAgent(agentId)) throw new ApiError(404, 'AGENT_NOT_FOUND', `no agent with id ${agentId}`);
      const skills = skillsOf(agentId);
      reply.header('etag', etagOf(skills));
      return { agentId, skills };
    },
  );

  app.put(
    '/api/agents/:agentId/skills',
    {
      schema: {
        tags: ['queues'],
        summary:
          "Set an agent's skills, the whole map (supervisors): skills-based routing uses them at once (a waiting caller who needs them is offered to the agent if free), kept over the config file's through restarts. With If-Match (the ETag of GET /api/agents/:agentId/skills, or `*`), refused (412 SKILLS_CHANGED) if they changed since; the answer carries the new ETag",
        params: AgentSkillsParams,
        headers: IfMatchHeaders,
        body: Type.Object({ skills: SkillMapSchema }, { additionalProperties: false }),
        response: { 200: AgentSkillsReply, ...changeRefusals },
      },
    },
    async (request, reply) =>
      changeSkills(auth.require(request), request, reply, 'agent.skills.saved', (agentId, based) =>
        admin.setSkills(agentId, request.body.skills, acd, based),
      ),
  );

  app.delete(
    '/api/agents/:agentId/skills',
    {
      schema: {
        tags: ['queues'],
        summary:
          "Drop the skills set for the agent through the API (supervisors): the config file's again, from now on and after restarts. With If-Match, refused (412 SKILLS_CHANGED) if they changed since",
        params: AgentSkillsParams,
        headers: IfMatchHeaders,
        response: { 200: AgentSkillsReply, ...changeRefusals },
      },
    },
    async (request, reply) =>
      changeSkills(auth.require(request), request, reply, 'agent.skills.reset', (agentId, based) =>
        admin.skillsFromFile(agentId, acd, based),
      ),
  );

  app.put(
    '/api/queues/:id',
    {
      schema: {
        tags: ['queues'],
        summary:
          'Create or replace a queue (supervisors). Validated with every other queue; a bad one changes nothing. With If-Match (the ETag of GET /api/queues/:id, or `*`), refused (412 QUEUE_CHANGED) if the queue changed or went since; with If-None-Match `*`, a create only, refused (412 QUEUE_EXISTS) if someone made it meanwhile; the answer carries the new ETag',
        params: QueueParams,
        headers: MakeHeaders,
        body: Type.Unknown(),
        response: {
          200: QueueDefinitionSchema,
          400: InvalidBody,
          401: ErrorBody,
          403: ErrorBody,
          412: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const principal = auth.require(request);
      const before = admin.get(request.params.id);
      try {
        const after = await admin
          .put(request.body, request.params.id, acd, madeOrBasedOn(request.headers))
          .catch(changedMeanwhile);
        reply.header('etag', etagOf(after));
        await recordChange(principal, {
          action: 'queue.saved',
          subject: request.params.id,
          ...(before ? { before } : {}),
          after,
        });
        acd.hub.publish('queue.defined', { queueId: after.id, name: after.name, deleted: false });
        return after;
      } catch (error) {
        if (error instanceof QueueDefinitionRejected) {
          return reply.status(400).send({ code: error.code, message: error.message, issues: error.issues });
        }
        throw error;
      }
    },
  );

  app.delete(
    '/api/queues/:id',
    {
      schema: {
        tags: ['queues'],
        summary:
          'Delete a queue (supervisors); refused (409 QUEUE_IN_USE) while callers wait in it or anything still routes to it: agents, other queues, dialed-number routes, IVR flows. With If-Match, refused (412 QUEUE_CHANGED) if the queue changed since',
        params: QueueParams,
        headers: IfMatchHeaders,
        response: {
          204: Type.Null(),
          400: InvalidBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
          412: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const principal = auth.require(request);
      const before = admin.get(request.params.id);
      if (!before) throw new ApiError(404, 'QUEUE_NOT_FOUND', `no queue with id ${request.params.id}`);
      try {
        await admin
          .remove(request.params.id, acd, basedOn(request.headers['if-match']))
          .catch(changedMeanwhile);
        await recordChange(principal, { action: 'queue.deleted', subject: request.params.id, before });
        acd.hub.publish('queue.defined', { queueId: request.params.id, deleted: true });
        return reply.status(204).send(null);
      } catch (error) {
        if (error instanceof QueueInUse) throw new ApiError(409, error.code, error.message);
        if (error instanceof QueueDefinitionRejected) {
          return reply.status(400).send({ code: error.code, message: error.message, issues: error.issues });
        }
        throw error;
      }
    },
  );

  app.get(
    '/api/queues/:id/line',
    {
      schema: {
        tags: ['queues'],
        summary:
          "The queue's line now (supervisors): callers and callback requests in the order they are served, how long each has waited, at what priority, and who is being rung for them",
        params: QueueParams,
        response: { 200: QueueLineBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      auth.require(request);
      // The router's own definition: the one the line is ordered by (VIP bonus, ageing).
      const queue = acd.router.queue(request.params.id);
      if (!queue) throw new ApiError(404, 'QUEUE_NOT_FOUND', `no queue with id ${request.params.id}`);
      const now = acd.now();
      const places = lineView(acd.router.waiting(now, queue.id), queue, now, (agentId) =>
        BUSY_WITH_A_CALL.has(acd.router.seat(agentId)?.state.type ?? 'logged_out'),
      );
      // The line keeps numbers: a caller's name is their call's, a callback request's the one on its record.
      const requestNames = await opts.callerNames(
        places.filter((p) => p.kind === 'callback').map((p) => p.interactionId),
      );
      return {
        queueId: queue.id,
        at: new Date(now).toISOString(),
        places: places.map(({ callback, putFirst, directLine, ...place }) => ({
          ...place,
          ...(directLine
            ? { directLine: { agentId: directLine.agentId, until: new Date(directLine.until).toISOString() } }
            : {}),
          callerName:
            acd.calls.get(place.interactionId)?.callerName ?? requestNames.get(place.interactionId) ?? '',
          ...(callback ? { callback: callbackStepDto(callback) } : {}),
          ...(putFirst
            ? {
                putFirst: {
                  at: new Date(putFirst.at).toISOString(),
                  ...(putFirst.by ? { by: putFirst.by } : {}),
                },
              }
            : {}),
        })),
      };
    },
  );

  /** The caller named waiting in the queue named, or a 404 saying which is not so. */
  /** What waits in the queue's line under that id: a caller, or (when `callbacksToo`) a callback request. */
  const waitingIn = (
    queueId: string,
    interactionId: string,
    callbacksToo: boolean,
  ): 'caller' | 'callback' => {
    if (!acd.router.queue(queueId)) throw new ApiError(404, 'QUEUE_NOT_FOUND', `no queue with id ${queueId}`);
    const entry = acd.router.waiting(acd.now(), queueId).find((e) => e.interactionId === interactionId);
    if (entry?.kind === 'caller' || (callbacksToo && entry?.kind === 'callback')) return entry.kind;
    throw new ApiError(
      404,
      'NOT_WAITING',
      callbacksToo
        ? `no caller or callback request ${interactionId} waits in queue ${queueId} (answered, gone or called back)`
        : `no caller ${interactionId} waits in queue ${queueId} (answered, gone, or a callback request)`,
    );
  };
  /** The caller's place once moved or put first. */
  const placeOf = (interactionId: string) => {
    const now = acd.now();
    for (const queueId of acd.router.queueIds()) {
      const position = acd.router.waiting(now, queueId).findIndex((e) => e.interactionId === interactionId);
      if (position >= 0) return { interactionId, queueId, position: position + 1 };
    }
    throw new ApiError(409, 'NOT_WAITING', `caller ${interactionId} left the line meanwhile`);
  };
  const LINE_REFUSAL_STATUS: Record<string, number> = { NOT_WAITING: 404, UNKNOWN_QUEUE: 404 };
  /** A supervisor's hand on a waiting caller: checked, carried out by the router, the caller's new place. */
  const handOnLine = (
    params: { id: string; interactionId: string },
    principal: Principal,
    log: FastifyBaseLogger,
    what: 'moved' | 'put first',
    input: (supervisor: SupervisorRef | undefined, kind: 'caller' | 'callback') => RouterInput,
  ) => {
    const kind = waitingIn(params.id, params.interactionId, what === 'moved');
    const refused = acd.input(input(supervisorOf(principal), kind), 'request')[0];
    if (refused) throw new ApiError(LINE_REFUSAL_STATUS[refused.code] ?? 409, refused.code, refused.reason);
    log.info({ interactionId: params.interactionId, queueId: params.id }, `${kind} ${what}`);
    return placeOf(params.interactionId);
  };

  app.post(
    '/api/queues/:id/line/:interactionId/move',
    {
      schema: {
        tags: ['queues'],
        summary:
          "Send a caller waiting in the queue to another queue (supervisors): they keep the time they have waited (their place by first arrival), the new queue's max wait runs from now, and the call's record says who moved it. Refused while an agent's phone rings for them, or when nobody is logged in to the other queue or it is full. A callback request in the line moves alike, keeping its place, its time and attempts (not while an agent has it, nor a campaign's call; kept for an agent not in the new queue, it becomes that queue's)",
        params: LineCallerParams,
        body: MoveCallerBody,
        response: { 200: LinePlaceChanged, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) =>
      handOnLine(request.params, auth.require(request), request.log, 'moved', (supervisor, kind) => ({
        type: kind === 'caller' ? 'moveCaller' : 'moveCallback',
        interactionId: request.params.interactionId,
        toQueueId: request.body.toQueueId,
        ...(supervisor ? { supervisor } : {}),
      })),
  );

  app.post(
    '/api/queues/:id/line/:interactionId/first',
    {
      schema: {
        tags: ['queues'],
        summary:
          "Put a caller waiting in the queue first in its line (supervisors): ahead of everyone, until another is put first after them; the call's record says who. Refused while an agent's phone rings for them, or when they are first already",
        params: LineCallerParams,
        response: { 200: LinePlaceChanged, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) =>
      handOnLine(request.params, auth.require(request), request.log, 'put first', (supervisor) => ({
        type: 'serveFirst',
        interactionId: request.params.interactionId,
        ...(supervisor ? { supervisor } : {}),
      })),
  );

  app.get(
    '/api/alerts',
    {
      schema: {
        tags: ['queues'],
        summary:
          'Queue alerts on record that stood in a range (default today), oldest first: when each was raised and cleared, what was measured against what (supervisors)',
        querystring: QueueAlertListQuery,
        response: {
          200: Type.Object({ items: Type.Array(QueueAlertRecordBody) }),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      auth.require(request);
      const q = request.query;
      const now = acd.now();
      const { from, to } = rangeOrToday(q, acd);
      const rows = (await opts.alertLog?.list({ from, to, queueId: q.queueId, limit: q.limit })) ?? [];
      const items = rows.map((r) => ({
        queueId: r.queueId,
        kind: r.kind,
        raisedAt: new Date(r.raisedAt).toISOString(),
        clearedAt: r.clearedAt === null ? null : new Date(r.clearedAt).toISOString(),
        durationSeconds: Math.max(0, ((r.clearedAt ?? now) - r.raisedAt) / 1000),
        value: r.value,
        threshold: r.threshold,
        message: r.message,
        acknowledgedAt: r.acknowledgedAt === null ? null : new Date(r.acknowledgedAt).toISOString(),
        acknowledgedBy: recordedSupervisor((id) => auth.supervisor(id), r.acknowledgedBy) ?? null,
      }));
      if (q.format === 'csv') {
        const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
        return sendCsv(
          reply,
          `alerts-${day(from)}-${day(to - 1)}.csv`,
          ALERT_CSV_COLUMNS,
          items,
          ({ acknowledgedBy, ...row }) => ({
            ...row,
            acknowledgedBy: acknowledgedBy?.name ?? null,
            acknowledgedById: acknowledgedBy?.id ?? null,
          }),
        );
      }
      return { items };
    },
  );

  app.post(
    '/api/queues/:id/alerts/:kind/acknowledge',
    {
      schema: {
        tags: ['queues'],
        summary:
          'Take a queue\'s standing alert on ("I\'m on it"): every wallboard shows who, on record in GET /api/alerts, and a webhook asking for queue.alert.acknowledged is told (supervisors). Refused when it has cleared, or someone took it on already',
        params: AlertParams,
        response: {
          200: QueueAlertBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
        },
      },
    },
    async (request) => {
      const principal = auth.require(request);
      const { id, kind } = request.params;
      if (!acd.router.queue(id)) throw new ApiError(404, 'QUEUE_NOT_FOUND', `no queue with id ${id}`);
      const outcome = await opts.alerts?.acknowledge(id, kind, supervisorOf(principal));
      if (!outcome) throw new ApiError(404, 'ALERT_NOT_STANDING', `queue ${id} has no alerts watched`);
      if ('refused' in outcome) throw takingOnRefused(outcome.refused, 'ALERT_NOT_STANDING');
      return alertDto(outcome.alert);
    },
  );

  app.get(
    '/api/queues/:id/stats',
    {
      schema: {
        tags: ['queues'],
        summary:
          'Live figures since midnight in the configured timeZone, derived from the interaction log (they survive restarts)',
        params: QueueParams,
        response: { 200: QueueStatsBody, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      auth.signedIn(request);
      return stats(request.params.id);
    },
  );
};
