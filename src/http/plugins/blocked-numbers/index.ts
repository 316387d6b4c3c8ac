/**
 * Numbers supervisors block (an abusive caller, a robocaller flooding a queue): calls from them are turned
 * away unanswered and on record (`call.blocked`). Supervisors only; each block and lifting is in the change
 * log as theirs and on the live stream.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { BlockedCallers } from '../../../calls/blocked-callers.js';
import type { EventHub } from '../../../events/event-hub.js';
import type { BlockRefusal, NumberBlock } from '../../../supervision/blocked-numbers.js';
import type { RecordChange } from '../../admin-audit.js';
import { type ApiAuth, supervisorOf } from '../../auth.js';
import { ApiError, ErrorBody } from '../../errors.js';
import {
  type BlockedNumberDto,
  BlockedNumberBody,
  BlockedNumberList,
  BlockNumberBody,
  BlockParams,
} from './schemas.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function blockDto(block: NumberBlock): BlockedNumberDto {
  return {
    id: block.id,
    number: block.number,
    reason: block.reason,
    blockedAt: iso(block.blockedAt),
    until: block.until === null ? null : iso(block.until),
    by: block.by ?? null,
    turnedAway: block.turnedAway,
    lastTurnedAwayAt: block.lastTurnedAwayAt === null ? null : iso(block.lastTurnedAwayAt),
    ...(block.liftedAt === undefined ? {} : { liftedAt: iso(block.liftedAt) }),
    ...(block.liftedBy ? { liftedBy: block.liftedBy } : {}),
  };
}

const STATUS: Record<BlockRefusal['code'], number> = {
  NUMBER_ALREADY_BLOCKED: 409,
  NUMBER_NOT_BLOCKABLE: 400,
  BLOCK_REASON_EMPTY: 400,
  BLOCK_NOT_FOUND: 404,
};

export const blockedNumbersPlugin: FastifyPluginAsyncTypebox<{
  auth: ApiAuth;
  hub: EventHub;
  blocked: Pick<BlockedCallers, 'standing' | 'block' | 'lift'>;
  recordChange: RecordChange;
}> = async (app, { auth, hub, blocked, recordChange }) => {
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
  const outcomeOf = (outcome: { block: NumberBlock } | { refused: BlockRefusal }) => {
    if ('refused' in outcome)
      throw new ApiError(STATUS[outcome.refused.code], outcome.refused.code, outcome.refused.reason);
    return outcome.block;
  };

  app.get(
    '/api/blocked-numbers',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          'The numbers blocked now, with who blocked each, why, until when and how many calls it turned away',
        response: { 200: BlockedNumberList, ...errors },
      },
    },
    async (request) => {
      auth.require(request);
      return { items: blocked.standing().map(blockDto) };
    },
  );

  app.post(
    '/api/blocked-numbers',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          'Block a number (supervisors): its calls are turned away before they are answered (SIP 403) and kept on record, for `hours` or until lifted',
        body: BlockNumberBody,
        response: { 201: BlockedNumberBody, ...errors },
      },
    },
    async (request, reply) => {
      const principal = auth.require(request);
      const block = outcomeOf(await blocked.block(request.body, supervisorOf(principal)));
      const dto = blockDto(block);
      await recordChange(principal, { action: 'number.blocked', subject: block.number, after: dto });
      request.log.info({ blockId: block.id, supervisorId: block.by?.id ?? null }, 'number blocked');
      hub.publish('number.blocked', { block: dto });
      return reply.code(201).send(dto);
    },
  );

  app.delete(
    '/api/blocked-numbers/:id',
    {
      schema: {
        tags: ['supervisors'],
        summary: "Lift a block: the number's next call is taken as any other (supervisors)",
        params: BlockParams,
        response: { 200: BlockedNumberBody, ...errors },
      },
    },
    async (request) => {
      const principal = auth.require(request);
      const block = outcomeOf(await blocked.lift(request.params.id, supervisorOf(principal)));
      const dto = blockDto(block);
      await recordChange(principal, {
        action: 'number.unblocked',
        subject: block.number,
        before: { ...dto, liftedAt: undefined, liftedBy: undefined },
      });
      request.log.info({ blockId: block.id }, 'number unblocked');
      hub.publish('number.unblocked', { block: dto });
      return dto;
    },
  );
};
