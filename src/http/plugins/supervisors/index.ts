/**
 * Supervisors' sessions: the supervisor page signs in with the configured supervisor token and keeps only
 * the session token it gets back, which runs out (http.supervisorSessionHours) and can be ended for every
 * supervisor at once (a lost laptop). The supervisor token itself never reaches the browser's storage.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { type ApiAuth, SUPERVISOR_SESSIONS } from '../../auth.js';
import { ErrorBody } from '../../errors.js';

export const SupervisorSignInBody = Type.Object(
  { supervisorToken: Type.String({ minLength: 1, description: 'The configured supervisor token' }) },
  { additionalProperties: false },
);

export const SupervisorSessionReply = Type.Object({
  token: Type.String({ description: "The session's bearer token, for every other call" }),
  expiresAt: Type.String({
    format: 'date-time',
    description: 'When the session runs out (http.supervisorSessionHours after sign-in): sign in again',
  }),
});

export const supervisorsPlugin: FastifyPluginAsyncTypebox<{ auth: ApiAuth }> = async (app, { auth }) => {
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

  app.post(
    '/api/supervisor/session',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          'Sign in with the supervisor token; returns a session token that runs out, for a page to keep instead',
        body: SupervisorSignInBody,
        response: { 200: SupervisorSessionReply, ...errors },
      },
    },
    async (request) => {
      const { token, expiresAt } = auth.supervisorSignIn(request.body.supervisorToken);
      return { token, expiresAt: new Date(expiresAt).toISOString() };
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
      auth.require(request);
      await auth.signOut(SUPERVISOR_SESSIONS);
      return reply.code(204).send(null);
    },
  );
};
