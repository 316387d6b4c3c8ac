/**
 * Supervisors' sessions: a named supervisor (config `supervisors`) signs in to the supervisor page with their
 * id and password, so what they do (an agent's seat set, a call monitored) is on the record under their name;
 * the configured supervisor token signs in as nobody in particular. Either way the page keeps only the
 * session token it gets back, which runs out (http.supervisorSessionHours) and can be ended for one
 * supervisor or for every supervisor at once (a lost laptop). Passwords and the supervisor token never
 * reach the browser's storage.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { type ApiAuth, SUPERVISOR_SESSIONS, supervisorOf, supervisorSessions } from '../../auth.js';
import { supervisorRef } from '../../../interactions/events.js';
import type { RecordChange } from '../../admin-audit.js';
import { ApiError, ErrorBody } from '../../errors.js';

export const SupervisorRefBody = supervisorRef();

export const SupervisorSignInBody = Type.Union(
  [
    Type.Object(
      {
        supervisorId: Type.String({ minLength: 1, description: 'A named supervisor (config `supervisors`)' }),
        password: Type.String({ minLength: 1, description: "The supervisor's password" }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      { supervisorToken: Type.String({ minLength: 1, description: 'The configured supervisor token' }) },
      { additionalProperties: false },
    ),
  ],
  { description: "A named supervisor's id and password, or the configured supervisor token" },
);

export const SupervisorSessionReply = Type.Object({
  token: Type.String({ description: "The session's bearer token, for every other call" }),
  expiresAt: Type.String({
    format: 'date-time',
    description: 'When the session runs out (http.supervisorSessionHours after sign-in): sign in again',
  }),
  supervisor: Type.Optional(SupervisorRefBody),
});

export const SupervisorWhoReply = Type.Object({
  supervisor: Type.Optional(SupervisorRefBody),
  expiresAt: Type.Optional(
    Type.String({ format: 'date-time', description: 'When this session runs out (none for the token)' }),
  ),
});

export const supervisorsPlugin: FastifyPluginAsyncTypebox<{
  auth: ApiAuth;
  recordChange: RecordChange;
}> = async (app, { auth, recordChange }) => {
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

  app.post(
    '/api/supervisor/session',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          "Sign in with a supervisor's id and password (or the supervisor token); returns a session token that runs out, for a page to keep instead",
        body: SupervisorSignInBody,
        response: { 200: SupervisorSessionReply, ...errors, 429: ErrorBody },
      },
    },
    async (request) => {
      const { token, expiresAt, supervisor } = auth.supervisorSignIn(request.body, request.ip);
      return { token, expiresAt: new Date(expiresAt).toISOString(), ...(supervisor ? { supervisor } : {}) };
    },
  );

  app.get(
    '/api/supervisor/session',
    {
      schema: {
        tags: ['supervisors'],
        summary: 'Who this supervisor session is (no `supervisor` for the supervisor token) and when it ends',
        response: { 200: SupervisorWhoReply, ...errors },
      },
    },
    async (request) => {
      const { principal, expiresAt } = auth.supervisorAsking(request);
      const supervisor = supervisorOf(principal);
      return {
        ...(supervisor ? { supervisor } : {}),
        ...(expiresAt !== undefined ? { expiresAt: new Date(expiresAt).toISOString() } : {}),
      };
    },
  );

  app.delete(
    '/api/supervisor/session',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          "Ends every supervisor's session at once (their pages sign in again); the supervisor token itself stays good",
        response: { 204: Type.Null(), ...errors, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const principal = auth.require(request);
      await auth.signOut(SUPERVISOR_SESSIONS);
      await recordChange(principal, { action: 'supervisor.sessions.ended', subject: 'supervisors' });
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/supervisors/:id/session',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          "Signs a named supervisor out: ends every session they were given (their own sign-out, or another supervisor's for a lost laptop)",
        params: Type.Object({ id: Type.String({ minLength: 1 }) }),
        response: { 204: Type.Null(), ...errors, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const principal = auth.require(request);
      const supervisor = auth.supervisor(request.params.id);
      if (!supervisor) {
        throw new ApiError(404, 'SUPERVISOR_NOT_FOUND', `no supervisor ${request.params.id} is configured`);
      }
      await auth.signOut(supervisorSessions(supervisor.id));
      // Someone else's sign-out is on record (a lost laptop); one's own, every time a page signs out, is not.
      if (supervisorOf(principal)?.id !== supervisor.id) {
        await recordChange(principal, { action: 'supervisor.signed-out', subject: supervisor.id });
      }
      return reply.code(204).send(null);
    },
  );
};
