import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LINE_LOST } from '../../../calls/call-session.js';
import type { NumberPlan } from '../../../calls/number-plan.js';
import type { InteractionLog } from '../../../store/interaction-log.js';
import type { InteractionEventRow, InteractionRow } from '../../../store/schema.js';
import type { ApiAuth } from '../../auth.js';
import { checkRange, isoOrNull, rangeEnd, rangeStart } from '../../dates.js';
import { ApiError, ErrorBody } from '../../errors.js';
import { plainJson } from '../../plain-json.js';
import { parseByteRange } from '../../byte-range.js';
import { agentHandled } from '../../../interactions/participants.js';
import { interactionFor } from '../../interaction-access.js';
import {
  type InteractionDto,
  InteractionDetailBody,
  InteractionListBody,
  InteractionListQuery,
} from './schemas.js';

export function toInteractionDto(row: InteractionRow): InteractionDto {
  return {
    id: row.id,
    direction: row.direction,
    state: row.state,
    channelId: row.channel_id,
    trunk: row.trunk,
    callerNumber: row.caller_number,
    callerName: row.caller_name,
    dialedNumber: row.dialed_number,
    startedAt: new Date(row.started_at).toISOString(),
    answeredAt: isoOrNull(row.answered_at),
    enqueuedAt: isoOrNull(row.enqueued_at),
    connectedAt: isoOrNull(row.connected_at),
    endedAt: isoOrNull(row.ended_at),
    ivrPath: JSON.parse(row.ivr_path) as string[],
    queueId: row.queue_id,
    agentId: row.agent_id,
    waitSeconds: row.wait_seconds,
    talkSeconds: row.talk_seconds,
    holdSeconds: row.hold_seconds,
    wrapSeconds: row.wrap_seconds,
    disposition: row.disposition,
    abandoned: row.abandoned === 1,
    endedBy: row.ended_by,
    hangupCause: row.hangup_cause,
    lineLost: row.hangup_cause?.includes(LINE_LOST) ?? false,
    recording: row.recording_path,
    csat: row.csat,
    callerData: JSON.parse(row.caller_data) as Record<string, unknown>,
    notes: row.notes,
    wrapUpCode: row.wrap_up_code ?? null,
    parentId: row.parent_id ?? null,
  };
}

export const toTimelineEntry = (row: InteractionEventRow) => ({
  seq: row.seq,
  at: new Date(row.at).toISOString(),
  type: row.type,
  payload: JSON.parse(row.payload) as Record<string, unknown>,
});

/**
 * Read access to the interaction log: every contact, filterable, each with its full timeline and recording.
 * Callers' numbers, what they said and their recordings are personal data: supervisors see everything, an
 * agent only the interactions they handled, and the voicemails (the team's shared work queue).
 */
export const interactionsPlugin: FastifyPluginAsyncTypebox<{
  log: InteractionLog;
  auth: ApiAuth;
  recordingsDir?: string;
  /** The contact center's time zone: a date in a filter is a day there. */
  timeZone: string;
  /** The numbering plan: a number searched for in any of its forms finds the calls (NumberPlan). */
  numbers: NumberPlan;
}> = async (app, { log, auth, recordingsDir, timeZone, numbers }) => {
  const errors = { 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  /**
   * The row and who asks, if they may read it: a supervisor, or an agent who took part in it
   * (interaction-access.ts).
   */
  const readable = async (request: Parameters<ApiAuth['principal']>[0], id: string, playback = false) => {
    const principal = playback ? auth.playback(request) : auth.signedIn(request);
    return { row: await interactionFor(log, principal, id), principal };
  };

  app.get(
    '/api/interactions',
    {
      schema: {
        tags: ['interactions'],
        summary: 'List interactions, newest first, with filters and paging',
        querystring: InteractionListQuery,
        response: { 200: InteractionListBody, 400: ErrorBody, ...errors },
      },
      serializerCompiler: plainJson,
    },
    async (request) => {
      const q = request.query;
      const principal = auth.signedIn(request);
      // An agent lists the calls they handled, or the voicemails waiting for the team.
      const ownOnly = principal.role === 'agent' && q.direction !== 'voicemail';
      if (ownOnly && q.agentId !== undefined && q.agentId !== principal.agentId) {
        throw new ApiError(
          403,
          'FORBIDDEN',
          `an agent lists only their own interactions (agentId=${principal.agentId})`,
        );
      }
      const from = q.from ? rangeStart(q.from, timeZone) : undefined;
      const to = q.to ? rangeEnd(q.to, timeZone) : undefined;
      checkRange(from, to, q);
      await log.afterQueuedWrites();
      const { items, total, totalIsExact } = await log.list({
        state: q.state,
        direction: q.direction,
        // `?callerNumber=+1555…` typed as is: the query string decodes the `+` to a space.
        callerNumber:
          q.callerNumber === undefined
            ? undefined
            : numbers.canonical(q.callerNumber.replace(/^ (?=\d)/, '+')),
        queueId: q.queueId,
        agentId: ownOnly && principal.role === 'agent' ? principal.agentId : q.agentId,
        disposition: q.disposition,
        from,
        to,
        order: q.order,
        limit: q.limit,
        offset: q.offset,
      });
      return {
        items: items.map(toInteractionDto),
        total,
        totalIsExact,
        limit: q.limit,
        offset: q.offset,
      };
    },
  );

  app.get(
    '/api/interactions/:id',
    {
      schema: {
        tags: ['interactions'],
        summary: 'One interaction with its timeline: every state change, in order, with its payload',
        params: Type.Object({ id: Type.String({ minLength: 1 }) }),
        response: { 200: InteractionDetailBody, ...errors },
      },
      serializerCompiler: plainJson,
    },
    async (request) => {
      const { row, principal } = await readable(request, request.params.id);
      const all = await log.timeline(row.id);
      // Supervisors' monitoring is theirs to see: an agent is not told who listened to their call.
      const timeline = principal.role === 'agent' ? all.filter((e) => e.type !== 'supervisor.monitor') : all;
      // The stored payloads were validated against the same schemas when they were written.
      return { ...toInteractionDto(row), timeline: timeline.map(toTimelineEntry) } as never;
    },
  );

  app.post(
    '/api/recordings/playback-token',
    {
      schema: {
        tags: ['interactions'],
        summary:
          'A token that only plays recordings (?play= on GET /api/interactions/:id/recording), for an <audio> element: the bearer token stays out of URLs. It ends with the token it was asked with, and at sign-out',
        response: {
          200: Type.Object({ token: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }),
          401: ErrorBody,
        },
      },
    },
    async (request) => {
      const { token, expiresAt } = auth.playbackToken(request);
      return { token, expiresAt: new Date(expiresAt).toISOString() };
    },
  );

  app.get(
    '/api/interactions/:id/recording',
    {
      schema: {
        tags: ['interactions'],
        summary: 'The call recording (caller and agent mixed, WAV), for playback in the browser',
        params: Type.Object({ id: Type.String({ minLength: 1 }) }),
        description:
          'Takes the bearer token in the Authorization header, or a playback token (POST /api/recordings/playback-token) as ?play= for an <audio> element. Honours one `Range: bytes=…` (206, for seeking); a range past the end is 416.',
        querystring: Type.Object({ play: Type.Optional(Type.String()), token: Type.Optional(Type.String()) }),
        response: {
          200: Type.Any({ description: 'WAV audio (audio/wav)' }),
          206: Type.Any({ description: 'The part of the WAV file a `Range: bytes=…` header asked for' }),
          410: ErrorBody,
          416: ErrorBody,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { row, principal } = await readable(request, request.params.id, true);
      // The conversation itself: an agent whose phone only rang for it (a ring-all queue, a missed offer)
      // may see the call's record, not hear what a colleague and the caller said.
      if (
        principal.role === 'agent' &&
        row.direction !== 'voicemail' &&
        row.agent_id !== principal.agentId &&
        !agentHandled(await log.timeline(row.id), principal.agentId)
      ) {
        throw new ApiError(
          403,
          'FORBIDDEN',
          `interaction ${row.id}'s recording is played only by the agents who talked on the call`,
        );
      }
      if (!row.recording_path) {
        const deleted = (await log.timeline(row.id)).find((e) => e.type === 'recording.deleted');
        if (deleted) {
          const { reason, retentionDays } = JSON.parse(deleted.payload) as {
            reason: string;
            retentionDays?: number;
          };
          const why =
            reason === 'erasure'
              ? "when the customer's data was erased at their request"
              : `by the retention policy (${retentionDays} days)`;
          throw new ApiError(
            410,
            'RECORDING_DELETED',
            `the recording of interaction ${row.id} was deleted on ${new Date(deleted.at).toISOString()} ${why}`,
          );
        }
      }
      // The stored name is ours (the interaction id), but never trust a path from a database row.
      const name = row.recording_path ? basename(row.recording_path) : undefined;
      const file = name && recordingsDir ? join(recordingsDir, name) : undefined;
      if (!name || !file || !existsSync(file)) {
        throw new ApiError(
          404,
          'RECORDING_NOT_FOUND',
          `interaction ${row.id} has no recording on this server`,
        );
      }
      const size = statSync(file).size;
      // A player seeking in the recording asks for the part it needs.
      const range = parseByteRange(request.headers.range, size);
      reply.header('accept-ranges', 'bytes');
      if (range === 'unsatisfiable') {
        return reply
          .status(416)
          .header('content-range', `bytes */${size}`)
          .send({ code: 'RANGE_NOT_SATISFIABLE', message: `the recording is ${size} bytes long` });
      }
      reply
        .header('content-type', name.endsWith('.wav') ? 'audio/wav' : 'application/octet-stream')
        .header('content-disposition', `inline; filename="${name}"`);
      if (range) {
        return reply
          .status(206)
          .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
          .header('content-length', range.end - range.start + 1)
          .send(createReadStream(file, { start: range.start, end: range.end }));
      }
      return reply.header('content-length', size).send(createReadStream(file));
    },
  );
};
