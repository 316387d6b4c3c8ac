/**
 * What supervisors changed in how the contact center runs, newest first, with who: queues and their
 * members, IVR flows reloaded, sessions ended (the agent-state log and call timelines keep the rest).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AdminChangeLog } from '../../../store/admin-change-log.js';
import { AdminActionSchema } from '../../../supervision/admin-changes.js';
import type { ApiAuth } from '../../auth.js';
import { ErrorBody } from '../../errors.js';
import { SupervisorRefBody } from '../supervisors/index.js';

export const ChangesQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'How many, newest first' }),
    before: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: Number.MAX_SAFE_INTEGER,
        description: "Only changes older than this `seq` (the reply's `next`)",
      }),
    ),
    subject: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'One queue, agent or supervisor id; a queue id also finds the changes of its members',
      }),
    ),
    action: Type.Optional(Type.Array(AdminActionSchema, { description: 'Only these actions' })),
  },
  { additionalProperties: false },
);

export const ChangeBody = Type.Object({
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  by: Type.Object(
    {
      supervisor: Type.Optional(SupervisorRefBody),
      supervisorId: Type.Optional(
        Type.String({ description: 'A supervisor no longer configured: their id only' }),
      ),
    },
    {
      description: 'Who: a named supervisor; empty when made on the supervisor token (nobody in particular)',
    },
  ),
  action: AdminActionSchema,
  subject: Type.String(),
  before: Type.Optional(Type.Unknown({ description: 'What it was (a queue definition, a membership)' })),
  after: Type.Optional(Type.Unknown({ description: 'What it is now' })),
});

export const ChangesReply = Type.Object({
  changes: Type.Array(ChangeBody),
  next: Type.Optional(Type.Integer({ description: 'Pass as `before` for the older ones' })),
});

export const changesPlugin: FastifyPluginAsyncTypebox<{ auth: ApiAuth; changes: AdminChangeLog }> = async (
  app,
  { auth, changes },
) => {
  app.get(
    '/api/changes',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          'What supervisors changed (queues, members, flows reloaded, sessions ended), newest first, with who (supervisors)',
        querystring: ChangesQuery,
        response: { 200: ChangesReply, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      auth.require(request);
      const { limit, before, subject, action } = request.query;
      const rows = await changes.list({
        limit: limit + 1,
        ...(before !== undefined ? { beforeSeq: before } : {}),
        ...(subject !== undefined ? { subject } : {}),
        ...(action ? { actions: action } : {}),
      });
      const page = rows.slice(0, limit);
      return {
        changes: page.map((c) => {
          const supervisor = c.supervisorId ? auth.supervisor(c.supervisorId) : undefined;
          return {
            seq: c.seq,
            at: new Date(c.at).toISOString(),
            by: supervisor ? { supervisor } : c.supervisorId ? { supervisorId: c.supervisorId } : {},
            action: c.action,
            subject: c.subject,
            ...(c.before !== undefined ? { before: c.before } : {}),
            ...(c.after !== undefined ? { after: c.after } : {}),
          };
        }),
        ...(rows.length > limit ? { next: page.at(-1)!.seq } : {}),
      };
    },
  );
};
