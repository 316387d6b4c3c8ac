/**
 * Switches supervisors turn on and off (config `switches`), which IVR flows route on with whenSwitch: an
 * emergency closure, a message of the day. Agents may read them; only supervisors turn them, each change on record as theirs
 * (GET /api/changes) and on the live stream (`switch.changed`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { SwitchState, Switches } from '../../../calls/ivr/switches.js';
import type { RecordChange } from '../../admin-audit.js';
import { type ApiAuth, supervisorOf } from '../../auth.js';
import { ApiError, ErrorBody } from '../../errors.js';
import { SupervisorRefBody } from '../supervisors/index.js';

export const SwitchBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.Optional(Type.String()),
  on: Type.Boolean(),
  changedAt: Type.Optional(
    Type.String({ format: 'date-time', description: 'When it was last set (absent: never set, off)' }),
  ),
  changedBy: Type.Optional(SupervisorRefBody),
});

const SwitchParams = Type.Object({ id: Type.String({ minLength: 1 }) });
const SetSwitchBody = Type.Object({ on: Type.Boolean() }, { additionalProperties: false });

const toDto = (s: SwitchState) => ({
  id: s.id,
  name: s.name,
  ...(s.description !== undefined ? { description: s.description } : {}),
  on: s.on,
  ...(s.changedAt !== undefined ? { changedAt: new Date(s.changedAt).toISOString() } : {}),
  ...(s.changedBy ? { changedBy: s.changedBy } : {}),
});

export const switchesPlugin: FastifyPluginAsyncTypebox<{
  auth: ApiAuth;
  switches: Switches;
  recordChange: RecordChange;
}> = async (app, { auth, switches, recordChange }) => {
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

  app.get(
    '/api/switches',
    {
      schema: {
        tags: ['switches'],
        summary:
          'The switches IVR flows route on, each on or off, with when and by whom it was last set (any signed-in user: the softphone shows the ones on)',
        response: { 200: Type.Array(SwitchBody), ...errors },
      },
    },
    async (request) => {
      auth.signedIn(request); // agents too: an agent should know why the line went quiet
      return switches.list().map(toDto);
    },
  );

  app.put(
    '/api/switches/:id',
    {
      schema: {
        tags: ['switches'],
        summary:
          'Turn a switch on or off (supervisors): every new caller reaching a whenSwitch step of it goes the new way at once; kept through restarts',
        params: SwitchParams,
        body: SetSwitchBody,
        response: { 200: SwitchBody, ...errors, 404: ErrorBody },
      },
    },
    async (request) => {
      const principal = auth.require(request);
      const { id } = request.params;
      if (!switches.get(id)) {
        throw new ApiError(404, 'SWITCH_NOT_FOUND', `no switch ${id} is configured (config switches)`);
      }
      const { before, after } = await switches.set(id, request.body.on, supervisorOf(principal));
      await recordChange(principal, {
        action: 'switch.set',
        subject: id,
        before: { on: before.on },
        after: { on: after.on },
      });
      return toDto(after);
    },
  );
};
