/**
 * Agents flagging a caller for a supervisor to block (abusive, a robocall, a prank) from a call they took
 * part in, and supervisors deciding: block the number (every flag on it settled, the block in the change log
 * as theirs) or dismiss the flag. Followed live by supervisors (`number.flagged`, `number.flags-decided`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { blockDto } from '../blocked-numbers/index.js';
import { type CallerFlagDesk, flagDto } from '../../../calls/supervise/caller-flag-desk.js';
import type { EventHub } from '../../../events/event-hub.js';
import type { InteractionLog } from '../../../store/interaction-log.js';
import type { BlockRefusal } from '../../../supervision/blocked-numbers.js';
import type { FlagRefusal } from '../../../supervision/caller-flags.js';
import type { RecordChange } from '../../admin-audit.js';
import { type ApiAuth, supervisorOf } from '../../auth.js';
import { ApiError, ErrorBody } from '../../errors.js';
import { interactionFor } from '../../interaction-access.js';
import {
  BlockFromFlagBody,
  CallerFlagBody,
  CallerFlagList,
  FlagCallerBody,
  FlagParams,
  FlagsDecidedBody,
} from './schemas.js';

const STATUS: Record<FlagRefusal['code'] | BlockRefusal['code'], number> = {
  FLAG_NO_NUMBER: 400,
  FLAG_ALREADY_RAISED: 409,
  FLAG_NOT_FOUND: 404,
  NUMBER_ALREADY_BLOCKED: 409,
  NUMBER_NOT_BLOCKABLE: 400,
  BLOCK_REASON_EMPTY: 400,
  BLOCK_NOT_FOUND: 404,
};

export const callerFlagsPlugin: FastifyPluginAsyncTypebox<{
  auth: ApiAuth;
  hub: EventHub;
  log: Pick<InteractionLog, 'afterQueuedWrites' | 'get' | 'agentTookPart'>;
  flags: Pick<CallerFlagDesk, 'raise' | 'list' | 'block' | 'dismiss'>;
  /** The interaction of the call on the agent's seat now (ringing, talking, on hold, wrapping up). */
  seatInteraction: (agentId: string) => string | undefined;
  recordChange: RecordChange;
}> = async (app, { auth, hub, log, flags, seatInteraction, recordChange }) => {
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
  const refused = (refusal: FlagRefusal | BlockRefusal): never => {
    throw new ApiError(STATUS[refusal.code], refusal.code, refusal.reason);
  };

  app.post(
    '/api/interactions/:id/flag',
    {
      schema: {
        tags: ['agents'],
        summary:
          "Flag the caller of a call you took part in for a supervisor to block (agents): abusive, spam, a prank. Every wallboard shows it and the call's timeline keeps it. Refused for a withheld number, a number blocked already, or a call flagged already",
        params: FlagParams,
        body: FlagCallerBody,
        response: { 201: CallerFlagBody, ...errors },
      },
    },
    async (request, reply) => {
      const principal = auth.signedIn(request);
      if (principal.role !== 'agent')
        throw new ApiError(
          403,
          'FORBIDDEN',
          'agents flag callers; a supervisor blocks the number directly (POST /api/blocked-numbers)',
        );
      const { id } = request.params;
      const row = await interactionFor(log, principal, id, seatInteraction(principal.agentId) === id);
      const outcome = await flags.raise(
        { id: row.id, callerNumber: row.caller_number },
        principal.agentId,
        request.body.reason,
        request.body.note ?? null,
      );
      if ('refused' in outcome) return refused(outcome.refused);
      return reply.code(201).send(flagDto(outcome.flag));
    },
  );

  app.get(
    '/api/caller-flags',
    {
      schema: {
        tags: ['supervisors'],
        summary: "Agents' flags on callers waiting for a decision, the oldest first (supervisors)",
        response: { 200: CallerFlagList, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      auth.require(request);
      return { items: flags.list().map(flagDto) };
    },
  );

  app.post(
    '/api/caller-flags/:id/block',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          "Block a flagged caller's number (supervisors), for `hours` or until lifted, with the flag's reason: every flag on the number is settled. When the number was blocked meanwhile, that block settles them",
        params: FlagParams,
        body: BlockFromFlagBody,
        response: { 200: FlagsDecidedBody, ...errors },
      },
    },
    async (request) => {
      const principal = auth.require(request);
      const outcome = await flags.block(request.params.id, request.body.hours, supervisorOf(principal));
      if ('refused' in outcome) return refused(outcome.refused);
      const block = blockDto(outcome.block);
      if (outcome.created) {
        await recordChange(principal, { action: 'number.blocked', subject: block.number, after: block });
        request.log.info({ blockId: block.id, flagId: request.params.id }, 'number blocked from a flag');
        hub.publish('number.blocked', { block });
      }
      return { flags: outcome.flags.map(flagDto), block };
    },
  );

  app.post(
    '/api/caller-flags/:id/dismiss',
    {
      schema: {
        tags: ['supervisors'],
        summary: 'Dismiss a flag: the number is not blocked (supervisors)',
        params: FlagParams,
        response: { 200: FlagsDecidedBody, ...errors },
      },
    },
    async (request) => {
      const principal = auth.require(request);
      const outcome = await flags.dismiss(request.params.id, supervisorOf(principal));
      if ('refused' in outcome) return refused(outcome.refused);
      return { flags: outcome.flags.map(flagDto) };
    },
  );
};
