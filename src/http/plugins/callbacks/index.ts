/**
 * Callbacks by hand: an agent promises "I'll call you back tomorrow at 10" on a call that has ended (or a
 * voicemail), or a supervisor sets one up; the queue carries it out when it is due, as it carries out a
 * waiting caller's callback request (callback hours, the agent rung first, the retry policy). A personal
 * one is kept for its agent a while after it is due. Open requests are listed and may be cancelled. Each
 * step is on the call's timeline and the live stream (`acd.callback`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CallbackRequester, RouterInput } from '../../../acd/router-types.js';
import type { AcdRuntime } from '../../../calls/acd/acd-runtime.js';
import type { InteractionLog } from '../../../store/interaction-log.js';
import { type ApiAuth, type Principal, supervisorOf } from '../../auth.js';
import { ApiError, ErrorBody } from '../../errors.js';
import { interactionFor } from '../../interaction-access.js';
import {
  CallbackListBody,
  BookedCallbacksBody,
  CallbackListQuery,
  CallbackParams,
  CallbackRequestBody,
  CancelledCallbackBody,
  type NewCallbackRequests,
  NewCallbackRequestsBody,
  ScheduleCallbackBody,
} from './schemas.js';
import {
  CALLBACK_FILE_BYTES,
  CALLBACKS_PER_REQUEST,
  type CallbackListItem,
  readCallbackFile,
} from '../../../acd/callback-file.js';
import { listed } from '../../../acd/list-file.js';
import { typedOrFile } from '../../list-bodies.js';
import { agentIdNamed } from '../../../agents/named.js';
import { MAX_SCHEDULE_AHEAD_MS } from '../../../acd/router-callbacks.js';
import { openCallbackRequests } from './requests.js';

/** How long a personal callback is kept for its agent after it is due, unless the request says. */
const DEFAULT_RESERVE_MINUTES = 60;

/** The router's refusals of a schedule or a cancel, as the API answers them. */
const STATUS_OF: Record<string, number> = {
  CALLBACK_DIALING: 409,
  CALLBACK_CLOSED: 409,
  NOT_A_CALLBACK: 404,
};

const requesterOf = (principal: Principal): CallbackRequester =>
  principal.role === 'agent'
    ? { agentId: principal.agentId }
    : { supervisor: supervisorOf(principal) ?? null };

/** The router's input for a callback booked for `at`: kept for its agent a while when one is named. */
function scheduleInput(
  interactionId: string,
  queueId: string,
  callerNumber: string,
  at: number,
  ask: { agentId?: string; reserveMinutes?: number; note?: string },
  principal: Principal,
): RouterInput {
  return {
    type: 'scheduleCallback',
    interactionId,
    queueId,
    callerNumber,
    at,
    ...(ask.agentId !== undefined
      ? {
          reservedFor: {
            agentId: ask.agentId,
            until: at + (ask.reserveMinutes ?? DEFAULT_RESERVE_MINUTES) * 60_000,
          },
        }
      : {}),
    requestedBy: requesterOf(principal),
    ...(ask.note ? { note: ask.note } : {}),
  };
}

export const callbacksPlugin: FastifyPluginAsyncTypebox<{
  acd: AcdRuntime;
  log: InteractionLog;
  auth: ApiAuth;
  /** Who the agents are: a file's "agent" may name one by name. */
  agents: () => readonly { id: string; name: string }[];
}> = async (app, { acd, log, auth, agents }) => {
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

  /**
   * The call named, if the one asking may act on it: an agent on a call they took part in or a voicemail, or,
   * with `alsoFor`, when it says so (the customer of a booked callback is on the agent's line now).
   */
  const callFor = async (
    request: Parameters<ApiAuth['signedIn']>[0],
    id: string,
    alsoFor?: (agentId: string) => boolean,
  ) => {
    const principal = auth.signedIn(request);
    const theirsAnyway = principal.role === 'agent' && Boolean(alsoFor?.(principal.agentId));
    return { row: await interactionFor(log, principal, id, theirsAnyway), principal };
  };

  /** Whether the agent's call now (talking or holding) is with this number: a callback booked for it may go. */
  const onCallWith = (agentId: string, number: string | undefined) => {
    const state = acd.router.seat(agentId)?.state;
    const call = state?.type === 'talking' || state?.type === 'on_hold' ? state.call : undefined;
    return Boolean(number && call && acd.calls.get(call.interactionId)?.callerNumber === number);
  };

  app.post(
    '/api/interactions/:id/callback',
    {
      schema: {
        tags: ['callbacks'],
        summary:
          'Schedule a callback for later on a call that has ended (or a voicemail): the queue calls the customer back when it is due, a personal one kept for its agent a while (agents: on calls they took part in, kept for themselves only)',
        params: CallbackParams,
        body: ScheduleCallbackBody,
        response: { 201: CallbackRequestBody, ...errors },
      },
    },
    async (request, reply) => {
      const { row, principal } = await callFor(request, request.params.id);
      const body = request.body;
      if (row.state === 'open' && row.direction !== 'voicemail') {
        throw new ApiError(
          409,
          'CALL_IN_PROGRESS',
          `interaction ${row.id} is still going on: schedule its callback once the call has ended (during the wrap-up, say)`,
        );
      }
      if (principal.role === 'agent' && body.agentId !== undefined && body.agentId !== principal.agentId) {
        throw new ApiError(403, 'FORBIDDEN', 'an agent may keep a callback for themselves only');
      }
      if (body.reserveMinutes !== undefined && body.agentId === undefined) {
        throw new ApiError(
          400,
          'RESERVATION_WITHOUT_AGENT',
          'reserveMinutes needs the agentId it is kept for',
        );
      }
      const queueId = body.queueId ?? row.queue_id;
      if (!queueId) {
        throw new ApiError(
          400,
          'QUEUE_REQUIRED',
          `interaction ${row.id} waited in no queue: name the queue that is to call back (queueId)`,
        );
      }
      const number =
        body.number !== undefined ? acd.numbers.canonical(body.number) : (row.caller_number ?? '');
      const refusals = acd.input(
        scheduleInput(row.id, queueId, number, Date.parse(body.at), body, principal),
        'request',
      );
      const refused = refusals[0];
      if (refused) {
        if (refused.code === 'DUPLICATE_INTERACTION') {
          throw new ApiError(
            409,
            'CALLBACK_OPEN',
            `interaction ${row.id} has a callback request open already: cancel it first to schedule another`,
          );
        }
        throw new ApiError(STATUS_OF[refused.code] ?? 400, refused.code, refused.reason);
      }
      const scheduled = openCallbackRequests(acd, { queueId }).find((r) => r.interactionId === row.id);
      if (!scheduled) throw new Error(`callback ${row.id} was scheduled but is not in line`);
      // Acknowledged once on record: a restart after this reply puts the booking back from its step.
      await log.afterQueuedWrites();
      return reply.status(201).send(scheduled);
    },
  );

  // A callback file may come as it is (curl --data-binary @list.csv -H 'content-type: text/csv'
  // '.../api/callbacks?queueId=billing'): it is the request's itemsCsv, its queue (and time) in the address.
  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: CALLBACK_FILE_BYTES },
    (request, body, done) => {
      const { queueId, at } = request.query as { queueId?: unknown; at?: unknown };
      if (typeof queueId !== 'string' || queueId === '') {
        done(
          new ApiError(
            400,
            'QUEUE_REQUIRED',
            'a CSV file sent as it is names its queue in the address: POST /api/callbacks?queueId=billing',
          ),
        );
        return;
      }
      done(null, { queueId, itemsCsv: body, ...(typeof at === 'string' ? { at } : {}) });
    },
  );

  /** A file's "agent" as the queue knows them: a member's id, or the one member of that name. */
  const memberNamed = (queueId: string, given: string): string => {
    const members = new Set(acd.router.memberIds(queueId));
    return agentIdNamed(
      agents().filter((a) => members.has(a.id)),
      given,
    );
  };

  /** The request's callbacks, each with its place to name in a refusal: typed items, or a file's lines. */
  const itemsOf = (
    body: NewCallbackRequests,
  ): { items: CallbackListItem[]; placeOf: (i: number) => string; lines?: number[] } => {
    const given = typedOrFile(body, 'the callbacks', 'a CSV file');
    if ('items' in given) return { items: given.items, placeOf: (i) => `items.${i}.` };
    const file = readCallbackFile(given.csv, acd.timeZone, acd.now());
    if ('problems' in file)
      throw new ApiError(400, 'INVALID_CALLBACK_FILE', `nothing was booked: ${file.problems.join('; ')}`);
    const items = file.items.map((item) =>
      item.agentId === undefined ? item : { ...item, agentId: memberNamed(body.queueId, item.agentId) },
    );
    return { items, placeOf: (i) => `line ${file.lines[i]}: `, lines: file.lines };
  };

  app.post(
    '/api/callbacks',
    {
      bodyLimit: 2 * CALLBACK_FILE_BYTES,
      schema: {
        tags: ['callbacks'],
        summary: `Callbacks asked for outside any call (supervisors; a website's "call me back" form, a CRM, a list of up to ${CALLBACKS_PER_REQUEST}): each is a callback interaction of its own, closed as callback-requested, whose request the queue carries out as any other (callback hours, the agent rung first, the retry policy). As JSON (items, or itemsCsv: a CSV file), or the file as the body (content-type text/csv, with ?queueId= and optionally &at=). All or none: one bad item refuses the lot, each problem named by its place (items.3. or a file's line)`,
        body: NewCallbackRequestsBody,
        response: { 201: BookedCallbacksBody, ...errors },
      },
    },
    async (request, reply) => {
      const principal = auth.require(request);
      const { queueId } = request.body;
      if (!acd.router.queue(queueId))
        throw new ApiError(404, 'QUEUE_NOT_FOUND', `no queue with id ${queueId}`);
      const { items, placeOf, lines } = itemsOf(request.body);
      const now = acd.now();
      const members = new Set(acd.router.memberIds(queueId));
      const problems: { code: string; message: string }[] = [];
      const seen = new Set<string>();
      const timeOf = (at: string | undefined, what: string, refuse: (code: string, what: string) => void) => {
        if (at === undefined) return undefined;
        const ms = Date.parse(at);
        if (!(ms > now && ms <= now + MAX_SCHEDULE_AHEAD_MS))
          refuse('INVALID_TIME', `${what}: ${at} is not after now and at most 180 days ahead`);
        return ms;
      };
      const allAt = timeOf(request.body.at, 'at', (code, message) => problems.push({ code, message }));
      const checked = items.map((item, i) => {
        const refuse = (code: string, what: string) =>
          problems.push({ code, message: `${placeOf(i)}${what}` });
        const number = acd.numbers.canonical(item.number);
        const refusal = acd.router.callbackNumberRefusal(number);
        if (refusal) refuse(refusal.code, `number: ${refusal.reason}`);
        else if (seen.has(number) || acd.router.callbacksFor(queueId, number).length > 0)
          refuse('CALLBACK_OPEN', `number: ${number} has a callback open in ${queueId} already`);
        seen.add(number);
        const at = timeOf(item.at, 'at', refuse) ?? allAt;
        if (item.agentId !== undefined && !members.has(item.agentId))
          refuse(
            'NOT_A_MEMBER',
            `${lines ? 'agent' : 'agentId'}: ${item.agentId} is not a member of ${queueId}${lines ? ' (give their id or name)' : ''}`,
          );
        if (item.reserveMinutes !== undefined && item.agentId === undefined)
          refuse(
            'RESERVATION_WITHOUT_AGENT',
            lines
              ? 'reserve minutes: needs the agent it is kept for'
              : 'reserveMinutes: needs the agentId it is kept for',
          );
        return { ...item, number, at };
      });
      if (problems.length > 0) {
        const codes = [...new Set(problems.map((p) => p.code))];
        throw new ApiError(
          400,
          codes.length === 1 ? codes[0]! : 'INVALID_CALLBACK_REQUESTS',
          `nothing was booked: ${listed(problems.map((p) => p.message)).join('; ')}`,
        );
      }
      // On record first, all together; then in line, in the list's order.
      const ids = await log.recordCallbackRequests(
        checked.map((item) => ({
          callerNumber: item.number,
          ...(item.name ? { callerName: item.name } : {}),
        })),
        now,
      );
      // Due at the time asked, or as soon as the callback hours allow; never before the router's now (a time
      // asked for may have come while they were written). Those due at one time are called in the list's
      // order, each a millisecond after the one before (the line breaks ties by id, which would shuffle them).
      const earliest = acd.now() + 100;
      const sameTime = new Map<number, number>();
      const booked: string[] = [];
      const notBooked: { index: number; interactionId: string; code: string; reason: string }[] = [];
      for (const [i, item] of checked.entries()) {
        const asked = Math.max(item.at ?? earliest, earliest);
        const before = sameTime.get(asked) ?? 0;
        sameTime.set(asked, before + 1);
        const id = ids[i]!;
        // Checked above; the line may have changed while the list was written (the same number booked
        // meanwhile, the queue's members changed). Its interaction is on record already: it says why no call
        // will come, and the reply names it.
        const refused =
          acd.router.callbacksFor(queueId, item.number).length > 0
            ? {
                code: 'CALLBACK_OPEN',
                reason: `${item.number} has a callback open in ${queueId} already (booked while this list was written)`,
              }
            : acd.input(
                scheduleInput(id, queueId, item.number, asked + before, item, principal),
                'request',
              )[0];
        if (!refused) {
          booked.push(id);
          continue;
        }
        request.log.warn({ interactionId: id, refusal: refused }, 'callback request refused');
        notBooked.push({
          index: i,
          ...(lines ? { line: lines[i] } : {}),
          interactionId: id,
          code: refused.code,
          reason: refused.reason,
        });
        void log
          .record(id, acd.now(), {
            type: 'acd.callback',
            payload: {
              queueId,
              step: 'closed',
              reason: `not booked: ${refused.reason}`,
              callerNumber: item.number,
            },
          })
          .catch((error: unknown) =>
            request.log.error(
              { err: error, interactionId: id },
              'callback not booked, and its record not told why',
            ),
          );
      }
      // Acknowledged once on record: a restart after this reply puts each back from its step.
      await log.afterQueuedWrites();
      const open = openCallbackRequests(acd, { queueId });
      return reply
        .status(201)
        .send({ items: booked.flatMap((id) => open.filter((r) => r.interactionId === id)), notBooked });
    },
  );

  app.delete(
    '/api/interactions/:id/callback',
    {
      schema: {
        tags: ['callbacks'],
        summary:
          "Cancel a call's open callback request (a waiting caller's or one scheduled for later), e.g. the customer called in meanwhile (an agent: on a call they took part in, or for the customer on their line now); not while its agent is dialling the customer",
        params: CallbackParams,
        response: { 200: CancelledCallbackBody, ...errors },
      },
    },
    async (request) => {
      const id = request.params.id;
      const number = acd.router.callbackNumber(id);
      const { row, principal } = await callFor(request, id, (agentId) => onCallWith(agentId, number));
      if (!acd.router.callbackInLine(row.id)) {
        throw new ApiError(404, 'NO_OPEN_CALLBACK', `interaction ${row.id} has no callback request open`);
      }
      const refusals = acd.input(
        { type: 'cancelCallback', interactionId: row.id, cancelledBy: requesterOf(principal) },
        'request',
      );
      const refused = refusals[0];
      if (refused) throw new ApiError(STATUS_OF[refused.code] ?? 409, refused.code, refused.reason);
      await log.afterQueuedWrites(); // on record before it is acknowledged, as a booking is
      return { interactionId: row.id, cancelled: true as const };
    },
  );

  app.get(
    '/api/callbacks',
    {
      schema: {
        tags: ['callbacks'],
        summary:
          "Callback requests open now, in each queue's order: due, being attempted, waiting to retry, or scheduled for later (agents: the personal ones kept for them)",
        querystring: CallbackListQuery,
        response: { 200: CallbackListBody, ...errors },
      },
    },
    async (request) => {
      const principal = auth.signedIn(request);
      const { queueId } = request.query;
      if (queueId !== undefined && !acd.router.queue(queueId)) {
        throw new ApiError(404, 'QUEUE_NOT_FOUND', `no queue with id ${queueId}`);
      }
      const items = openCallbackRequests(acd, queueId === undefined ? {} : { queueId });
      return {
        items:
          principal.role === 'agent'
            ? items.filter((r) => r.callback.reservedFor?.agentId === principal.agentId)
            : items,
      };
    },
  );
};
