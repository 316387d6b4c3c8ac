/**
 * The do-not-call list: the agent on a call notes that the customer asked not to be called (or a supervisor
 * adds a number); from then on agents' calls out to it are refused and no callback to it is booked or
 * dialled. Supervisors list the entries and remove one when the customer asks to be called again, each in
 * the change log as theirs. Followed live by supervisors (`number.do-not-call`, `number.callable`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DoNotCallNumbers } from '../../../calls/do-not-call-numbers.js';
import type { EventHub } from '../../../events/event-hub.js';
import type { InteractionLog } from '../../../store/interaction-log.js';
import { listed } from '../../../acd/list-file.js';
import {
  type DoNotCallBy,
  type DoNotCallEntry,
  type DoNotCallRefusal,
  readDoNotCallFile,
} from '../../../supervision/do-not-call.js';
import type { RecordChange } from '../../admin-audit.js';
import { type ApiAuth, type Principal, supervisorOf } from '../../auth.js';
import { ApiError, ErrorBody } from '../../errors.js';
import { sendCsv } from '../../report-bodies.js';
import { interactionFor } from '../../interaction-access.js';
import {
  AddDoNotCallBody,
  type DoNotCallDto,
  DO_NOT_CALL_CSV_COLUMNS,
  DO_NOT_CALL_FILE_BYTES,
  DoNotCallBody,
  DoNotCallFileBody,
  DoNotCallFileReply,
  DoNotCallList,
  DoNotCallParams,
  DoNotCallQuery,
  InteractionParams,
  NoteDoNotCallBody,
} from './schemas.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function doNotCallDto(entry: DoNotCallEntry): DoNotCallDto {
  return {
    id: entry.id,
    number: entry.number,
    note: entry.note,
    addedAt: iso(entry.addedAt),
    by: entry.by,
    interactionId: entry.interactionId,
    ...(entry.removedAt === undefined ? {} : { removedAt: iso(entry.removedAt) }),
    ...(entry.removedBy ? { removedBy: entry.removedBy } : {}),
  };
}

const STATUS: Record<DoNotCallRefusal['code'], number> = {
  NUMBER_NOT_CALLABLE: 400,
  NUMBER_ALREADY_DO_NOT_CALL: 409,
  DO_NOT_CALL_NOT_FOUND: 404,
};

export const doNotCallPlugin: FastifyPluginAsyncTypebox<{
  auth: ApiAuth;
  hub: EventHub;
  log: Pick<InteractionLog, 'afterQueuedWrites' | 'get' | 'agentTookPart'>;
  numbers: Pick<DoNotCallNumbers, 'add' | 'addMany' | 'remove' | 'standing'>;
  /** The interaction of the call on the agent's seat now (ringing, talking, on hold, wrapping up). */
  seatInteraction: (agentId: string) => string | undefined;
  recordChange: RecordChange;
}> = async (app, { auth, hub, log, numbers, seatInteraction, recordChange }) => {
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
  const outcomeOf = (outcome: { entry: DoNotCallEntry } | { refused: DoNotCallRefusal }): DoNotCallEntry => {
    if ('refused' in outcome)
      throw new ApiError(STATUS[outcome.refused.code], outcome.refused.code, outcome.refused.reason);
    return outcome.entry;
  };

  /** Who puts numbers on the list: the agent, or the supervisor (none on the supervisor token). */
  const byOf = (principal: Principal): DoNotCallBy => {
    if (principal.role === 'agent') return { type: 'agent', agentId: principal.agentId };
    const supervisor = supervisorOf(principal);
    return { type: 'supervisor', ...(supervisor ? { supervisor } : {}) };
  };

  /** Puts the number on the list as `principal`'s (a supervisor's in the change log), told to supervisors. */
  const add = async (
    principal: Principal,
    input: { number: string; note?: string | undefined; interactionId: string | null },
  ): Promise<DoNotCallDto> => {
    const by = byOf(principal);
    const entry = outcomeOf(
      await numbers.add(
        { number: input.number, note: input.note?.trim() || null, interactionId: input.interactionId },
        by,
      ),
    );
    const dto = doNotCallDto(entry);
    if (principal.role === 'supervisor')
      await recordChange(principal, { action: 'number.do-not-call', subject: entry.number, after: dto });
    hub.publish('number.do-not-call', { entry: dto });
    return dto;
  };

  app.post(
    '/api/interactions/:id/do-not-call',
    {
      schema: {
        tags: ['agents'],
        summary:
          "The customer on this call asked not to be called (the agent on it, or a supervisor): their number goes on the do-not-call list, so agents' calls out to it are refused and no callback to it is booked or dialled. On the call's timeline",
        params: InteractionParams,
        body: NoteDoNotCallBody,
        response: { 201: DoNotCallBody, ...errors },
      },
    },
    async (request, reply) => {
      const principal = auth.signedIn(request);
      const { id } = request.params;
      const theirs = principal.role === 'agent' && seatInteraction(principal.agentId) === id;
      const row = await interactionFor(log, principal, id, theirs);
      if (row.caller_number === null || row.caller_number === '') {
        throw new ApiError(400, 'NUMBER_NOT_CALLABLE', `call ${id} has no customer number (withheld)`);
      }
      const dto = await add(principal, {
        number: row.caller_number,
        note: request.body.note,
        interactionId: id,
      });
      return reply.code(201).send(dto);
    },
  );

  app.get(
    '/api/do-not-call',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          'The numbers on the do-not-call list, the newest first, with who noted each and on which call; as JSON, or a CSV file (format=csv) that POST /api/do-not-call/file reads back',
        querystring: DoNotCallQuery,
        response: { 200: DoNotCallList, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      auth.require(request);
      const items = numbers.standing().map(doNotCallDto);
      if (request.query.format === 'csv') {
        return sendCsv(reply, 'do-not-call.csv', DO_NOT_CALL_CSV_COLUMNS, items, (e) => ({
          number: e.number,
          note: e.note,
          addedAt: e.addedAt,
          addedBy:
            e.by.type === 'agent'
              ? `agent ${e.by.agentId}`
              : (e.by.supervisor?.name ?? 'the supervisor token'),
          interactionId: e.interactionId,
          id: e.id,
        }));
      }
      return { items };
    },
  );

  app.post(
    '/api/do-not-call',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          'Put a number on the do-not-call list (supervisors): a customer who asked by letter, e-mail or a call not on record',
        body: AddDoNotCallBody,
        response: { 201: DoNotCallBody, ...errors },
      },
    },
    async (request, reply) => {
      const principal = auth.require(request);
      const dto = await add(principal, { ...request.body, interactionId: null });
      return reply.code(201).send(dto);
    },
  );

  // A file may come as it is (curl --data-binary @opt-outs.csv -H 'content-type: text/csv').
  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: DO_NOT_CALL_FILE_BYTES },
    (_r, body, done) => done(null, { csv: body }),
  );

  app.post(
    '/api/do-not-call/file',
    {
      // JSON escapes can double a file's size.
      bodyLimit: 2 * DO_NOT_CALL_FILE_BYTES,
      schema: {
        tags: ['supervisors'],
        summary:
          "Put a file of numbers on the do-not-call list (supervisors): a CRM's opt-outs, a registry's extract. All or none: a bad line refuses the file, by line; numbers on the list already are left as they were. As JSON { csv }, or the file as the body (content-type text/csv)",
        body: DoNotCallFileBody,
        response: { 201: DoNotCallFileReply, ...errors },
      },
    },
    async (request, reply) => {
      const principal = auth.require(request);
      const file = readDoNotCallFile(request.body.csv);
      if ('problems' in file)
        throw new ApiError(400, 'INVALID_DO_NOT_CALL_FILE', `nothing was added: ${file.problems.join('; ')}`);
      const outcome = await numbers.addMany(
        file.rows.map((r) => ({ number: r.number, note: r.note || null })),
        byOf(principal),
        (i) => `line ${file.lines[i]}`,
      );
      if ('problems' in outcome)
        throw new ApiError(
          400,
          'INVALID_DO_NOT_CALL_FILE',
          `nothing was added: ${listed(outcome.problems).join('; ')}`,
        );
      const result = { added: outcome.added.length, alreadyListed: outcome.alreadyListed };
      await recordChange(principal, {
        action: 'number.do-not-call.file',
        subject: `${result.added} number${result.added === 1 ? '' : 's'}`,
        after: result,
      });
      hub.publish('number.do-not-call.file', result);
      return reply.code(201).send(result);
    },
  );

  app.delete(
    '/api/do-not-call/:id',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          'Take a number off the do-not-call list (supervisors): the customer asked to be called again. On the call where it was noted too',
        params: DoNotCallParams,
        response: { 200: DoNotCallBody, ...errors },
      },
    },
    async (request) => {
      const principal = auth.require(request);
      const entry = outcomeOf(await numbers.remove(request.params.id, supervisorOf(principal)));
      const dto = doNotCallDto(entry);
      await recordChange(principal, {
        action: 'number.do-not-call.removed',
        subject: entry.number,
        before: { ...dto, removedAt: undefined, removedBy: undefined },
      });
      hub.publish('number.callable', { entry: dto });
      return dto;
    },
  );
};
